from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rfs.demo import endorsements
from rfs.demo.logins import DEMO_PASSWORD, seed_users
from rfs.demo.seed import seed
from rfs.demo.synthetic import generate


class Command(BaseCommand):
    help = "Create the demo logins and demo data (idempotent; refused in production)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--candidates",
            type=int,
            metavar="N",
            help="After the demo data, top a synthetic organisation up to N candidates "
            "(with a year of histories, calls, mentors and requests; see rfs/demo/synthetic.py).",
        )

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("seed_demo never runs with DJANGO_ENV=production.")
        size = options.get("candidates")
        if size is not None and size < 0:
            raise CommandError("--candidates must be zero or more.")
        users = seed_users()
        seed(stdout=self.stdout)
        endorsements.seed(stdout=self.stdout)
        if size:
            generate(n=size, stdout=self.stdout)
        self.stdout.write(
            "Demo logins (password {}): {}".format(DEMO_PASSWORD, ", ".join(u.email for u in users))
        )
