"""What a candidate does to their own record: their login by emailed code, and corrections."""

from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from phonenumber_field.phonenumber import PhoneNumber

from candidates.details import describe_changes, normalise_email
from candidates.models import Candidate, Note
from rfs.accounts.models import Role, User
from rfs.accounts.services import grant_role

# The fields a candidate may correct themselves: contact details and office plans.
SELF_SERVICE_FIELDS = (
    "preferred_name",
    "pronouns",
    "phone",
    "zip_code",
    "state",
    "city",
    "office_level",
    "office",
    "district",
    "election_year",
    "has_filed",
    "needs",
)


@transaction.atomic
def ensure_candidate_login(*, email: str) -> User | None:
    """A login for the candidate with this email, made on first use (role candidate, no
    password: they log in by a code emailed to that address). It opens their record only
    once they have entered the code (link_confirmed_login). Someone who already has a login
    in another role (a volunteer who runs for office) keeps that one login and gets the
    candidate role added to it; a session of theirs that logs in by code acts as candidate
    only. None when no candidate has this email."""
    email = normalise_email(email)
    candidate = Candidate.objects.filter(email=email).first()
    if candidate is None:
        return None
    if candidate.user_id is not None:
        return candidate.user
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, name=candidate.display_name, roles=[Role.CANDIDATE])
        user.set_unusable_password()
        try:
            with transaction.atomic():
                user.save(force_insert=True)
        except IntegrityError:  # made a moment ago by a concurrent request
            user = User.objects.get(email=email)
    if Role.CANDIDATE not in user.roles:
        grant_role(user=user, role=Role.CANDIDATE)
    # Unverified until the code sent to it is entered: that proves the address is theirs.
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": False, "primary": True}
    )
    return user


@transaction.atomic
def link_confirmed_login(*, user: User) -> Candidate | None:
    """Link a candidate login to the record whose email its owner has confirmed (by entering
    a code sent there). Returns that record, or None."""
    if not user.has_role(Role.CANDIDATE) or Candidate.objects.filter(user=user).exists():
        return None
    confirmed = EmailAddress.objects.filter(user=user, verified=True).values("email")
    candidate = (
        Candidate.objects.select_for_update().filter(email__in=confirmed, user__isnull=True).first()
    )
    if candidate is None:
        return None
    Candidate.objects.filter(pk=candidate.pk).update(user=user)
    candidate.user = user
    return candidate


def _comparable(name: str, value: Any) -> Any:
    if name == "phone":
        return value.as_e164 if isinstance(value, PhoneNumber) and value else None
    if name == "needs":
        return sorted(value or [])
    if isinstance(value, str):
        return value.strip()
    return value


@transaction.atomic
def update_candidate_details(*, candidate: Candidate, data: dict, by) -> list[str]:
    """Apply a candidate's corrections to their contact details and office plans; the earlier
    values go to a Note on their timeline. Returns the names of the fields that changed."""
    locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
    changes = {}
    for name in SELF_SERVICE_FIELDS:
        if name not in data:
            continue
        old, new = _comparable(name, getattr(locked, name)), _comparable(name, data[name])
        if name == "election_year" and new == "":
            new = None
        if old != new:
            changes[name] = (old, new)
            setattr(locked, name, new)
    if changes:
        locked.save(update_fields=[*changes, "updated_at"])
        Note.objects.create(
            candidate=locked,
            author=by,
            body=describe_changes(changes, heading="Corrected by the candidate in the portal:"),
        )
        candidate.refresh_from_db()
    return list(changes)


def choose_language(*, candidate: Candidate, language: str) -> bool:
    """The language the candidate chose for the site and their emails; True if it changed.
    A code that is not one of settings.LANGUAGES is refused with ValueError."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"not a language of the site: {language!r}")
    return bool(
        Candidate.objects.filter(pk=candidate.pk)
        .exclude(language=language)
        .update(language=language)
    )
