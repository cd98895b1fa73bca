from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rfs.demo.logins import DEMO_PASSWORD, seed_users

# Each app that has demo data offers `<app>.demo.seed()`; they run in this order.
DEMO_APPS = ["candidates", "screening", "mentors", "partners", "endorsements"]


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
        for app in DEMO_APPS:
            if find_spec(f"{app}.demo") is not None:
                import_module(f"{app}.demo").seed(stdout=self.stdout)
        if size:
            from rfs.demo.synthetic import generate

            generate(n=size, stdout=self.stdout)
        self.stdout.write(
            "Demo logins (password {}): {}".format(DEMO_PASSWORD, ", ".join(u.email for u in users))
        )
