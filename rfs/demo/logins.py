"""Demo logins for a development machine. Never created in production."""

from allauth.account.models import EmailAddress
from django.db import transaction

from rfs.accounts.models import Role, User

DEMO_PASSWORD = "rfs-demo-2026"  # noqa: S105 - documented demo password, refused in production
DEMO_USERS = [
    ("staff@example.org", "Sam Staff", Role.STAFF),
    ("screener@example.org", "Sky Screener", Role.SCREENER),
    ("mentor@example.org", "Morgan Mentor", Role.MENTOR),
]


@transaction.atomic
def seed_users() -> list[User]:
    """Create the demo logins once; a second run leaves them as they are."""
    users = []
    for email, name, role in DEMO_USERS:
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
        users.append(user)
    return users
