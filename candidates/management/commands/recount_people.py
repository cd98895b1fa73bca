"""Check the live count of unique people against a recount from the candidate records."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from candidates.services import people_counts


class Command(BaseCommand):
    help = "Recount unique people per day and source; report (or --fix) any difference."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--fix", action="store_true", help="Rewrite the kept counts.")

    def handle(self, *args, fix: bool = False, **options) -> None:
        wrong = people_counts.differences()
        for key, (kept, counted) in sorted(wrong.items(), key=str):
            counter = " ".join(str(part if part is not None else "own") for part in key)
            self.stdout.write(f"{counter}: kept {kept}, recounted {counted}")
        if not wrong:
            self.stdout.write(f"The count is right: {people_counts.total()} unique people.")
            return
        if fix:
            with transaction.atomic():
                people_counts.rewrite()
            self.stdout.write(f"Rewritten: {people_counts.total()} unique people.")
            return
        raise CommandError(f"{len(wrong)} count(s) differ from the records; --fix rewrites them.")
