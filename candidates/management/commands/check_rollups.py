"""manage.py check_rollups [--fix]: recount the stay columns of the stage history and the
daily counts (StageDay, StayDay) from the history itself, and the daily counts of answered
requests (ResponseDay) and signups (SignupDay) from their rows, and report any difference."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from candidates.services.daily_counts import recount_daily_counts
from candidates.services.pipeline import recount_history, recount_stays


class Command(BaseCommand):
    help = (
        "Recompute the stage history's stay columns and daily counts from the history and "
        "report any difference (exit status 1); --fix rewrites them."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--fix", action="store_true", help="rewrite what differs from the recount"
        )

    def handle(self, *args, fix: bool = False, **options) -> None:
        with transaction.atomic():
            found = recount_history(fix=fix)
            found["stays"] = recount_stays(fix=fix)
            found |= recount_daily_counts(fix=fix)
        if not any(found.values()):
            self.stdout.write(
                "The stage history's stays and daily counts, and the daily counts of answered "
                "requests and signups, match a recount."
            )
            return
        self.stdout.write(
            f"{found['rows']:,} history rows with stay columns that differ from a recount; "
            f"{found['days']:,} daily counts that differ; {found['stays']:,} daily counts of "
            f"ended stays, {found['responses']:,} of answered requests and "
            f"{found['signups']:,} of signups that differ."
        )
        if fix:
            self.stdout.write("Rewritten from the history.")
            return
        raise CommandError("Run check_rollups --fix to rewrite them from the history.")
