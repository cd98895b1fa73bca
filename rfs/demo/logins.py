"""Demo logins for a development machine. Never created in production."""

from allauth.account.models import EmailAddress
from django.db import transaction

from rfs.accounts.models import Role, User

DEMO_PASSWORD = "rfs-demo-2026"  # noqa: S105 - documented demo password, refused in production
DEMO_USERS = [
    ("staff@example.org", "Sam Staff", Role.STAFF),
    ("screener@example.org", "Sky Screener", Role.SCREENER),
    ("mentor@example.org", "Morgan Mentor", Role.MENTOR),
    # A contact at Latino Victory Project (rfs.demo.partners), landing on its referrals.
    ("partner@example.org", "Paz Partner", Role.PARTNER),
    ("reviewer@example.org", "Reese Reviewer", Role.REVIEWER),
]
# The demo screener's teammates: their claims and calls fill the oversight pages.
DEMO_SCREENERS = [
    ("river@example.org", "River Screener"),
    ("jules@example.org", "Jules Screener"),
    ("ash@example.org", "Ash Screener"),
    ("noor@example.org", "Noor Screener"),
    ("sasha@example.org", "Sasha Screener"),
    ("remy@example.org", "Remy Screener"),
]


def _login(email: str, name: str, role: str) -> User:
    # The demo staff login may use the whole admin, so every page can be tried.
    admin = role == Role.STAFF
    user, created = User.objects.get_or_create(
        email=email,
        defaults={"name": name, "role": role, "is_staff": admin, "is_superuser": admin},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def seed_users() -> list[User]:
    """Create the demo logins once; a second run leaves them as they are."""
    return [_login(email, name, role) for email, name, role in DEMO_USERS]


@transaction.atomic
def seed_screeners() -> list[User]:
    """The demo screener's teammates, with the demo password, created once."""
    return [_login(email, name, Role.SCREENER) for email, name in DEMO_SCREENERS]
