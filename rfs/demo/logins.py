"""Demo logins for a development machine. Never created in production."""

from allauth.account.models import EmailAddress
from django.db import transaction

from rfs.accounts import onboarding
from rfs.accounts.models import Guide, Role, User

DEMO_PASSWORD = "rfs-demo-2026"  # noqa: S105 - documented demo password, refused in production
DEMO_USERS = [
    ("staff@example.org", "Sam Staff", [Role.STAFF]),
    ("screener@example.org", "Sky Screener", [Role.SCREENER]),
    ("mentor@example.org", "Morgan Mentor", [Role.MENTOR]),
    # A contact at Latino Victory Project (rfs.demo.partners), landing on its referrals.
    ("partner@example.org", "Paz Partner", [Role.PARTNER]),
    ("reviewer@example.org", "Reese Reviewer", [Role.REVIEWER]),
    # One person in two roles: a staff member who also mentors, landing on /places/.
    ("dana@example.org", "Dana Staff-Mentor", [Role.STAFF, Role.MENTOR]),
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


def _login(email: str, name: str, roles: list[str]) -> User:
    # The demo staff logins may use the whole admin, so every page can be tried.
    admin = Role.STAFF in roles
    user, created = User.objects.get_or_create(
        email=email,
        defaults={"name": name, "roles": roles, "is_staff": admin, "is_superuser": admin},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    # The demo's volunteers and mentor have read the guide and accepted the agreement.
    if onboarding.required(user):
        for guide in Guide.objects.filter(role__in=onboarding.roles_of(user)):
            onboarding.read_guide(user=user, guide=guide)
        if agreement := onboarding.current_agreement():
            onboarding.accept_agreement(user=user, agreement=agreement)
    return user


GUIDES = {
    Role.SCREENER: (
        "The screening guide",
        "Thank you for volunteering. A screening call is a friendly first conversation.\n\n"
        "Claim the person who has waited longest, call within a day, and listen more than you "
        "talk: where might they run, why, and what help do they need?\n\n"
        "Log every attempt and the call itself, with the rubric. What you learn stays here.",
    ),
    Role.MENTOR: (
        "The mentor guide",
        "Thank you for mentoring. Confirm your first contact with each new mentee within three "
        "days, and answer the questions routed to you.",
    ),
}
AGREEMENT = (
    "I will keep confidential everything I learn about candidates and other people through "
    "Run for Something. I will use their details only to help them, never copy them out of "
    "the system, and tell staff at once if I think any have been exposed."
)


def seed_onboarding() -> None:
    """The guides and a first version of the agreement, once."""
    for role, (title, body) in GUIDES.items():
        if not Guide.objects.filter(role=role).exists():
            onboarding.save_guide(role=role, title=title, body=body, by=None)
    if onboarding.current_agreement() is None:
        onboarding.publish_agreement(text=AGREEMENT, by=None)


@transaction.atomic
def seed_users() -> list[User]:
    """Create the demo logins once; a second run leaves them as they are."""
    seed_onboarding()
    return [_login(email, name, roles) for email, name, roles in DEMO_USERS]


@transaction.atomic
def seed_screeners() -> list[User]:
    """The demo screener's teammates, with the demo password, created once."""
    seed_onboarding()
    return [_login(email, name, [Role.SCREENER]) for email, name in DEMO_SCREENERS]
