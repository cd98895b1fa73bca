"""The candidate portal: the candidate's login, what they see, the corrections they make."""

from typing import Any

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from phonenumber_field.phonenumber import PhoneNumber

from candidates.models import Candidate, Note, Stage
from candidates.services.intake import describe_changes, normalise_email
from rfs.accounts.models import Role, User

# The fields a candidate may correct themselves: contact details and office plans.
PORTAL_FIELDS = (
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

# Each stage in plain words: where the candidate is, and what happens next.
STAGE_WORDS: dict[str, tuple[str, str]] = {
    Stage.SIGNED_UP: (
        "We have your signup.",
        "A volunteer will get in touch soon to set up a short call about your plans.",
    ),
    Stage.SCREENING: (
        "A volunteer is getting to know you.",
        "Your volunteer will call you to talk through your plans and the help you need.",
    ),
    Stage.SCREENED: (
        "You have talked with one of our volunteers.",
        "We are finding the right mentor and resources for your race.",
    ),
    Stage.ACTIVE: (
        "You are building your campaign with our support.",
        "Your mentor and our staff help you plan, raise money and reach voters. Ask us "
        "whenever you need something.",
    ),
    Stage.ON_BALLOT: (
        "You are on the ballot.",
        "Keep asking for help as election day comes closer.",
    ),
    Stage.ENDORSED: (
        "We have endorsed you.",
        "Our team helps you make the most of the endorsement through election day.",
    ),
    Stage.WON: ("You won your election. Congratulations!", "We are proud of you."),
    Stage.LOST: (
        "Your election is over.",
        "Many people win on their second try. Ask us whenever you are ready to run again.",
    ),
    Stage.NOT_A_FIT: (
        "We are not the right help for you at the moment.",
        "If your plans change, ask us a question and we will take another look.",
    ),
    Stage.UNRESPONSIVE: (
        "We could not reach you.",
        "Ask us a question and a volunteer will get back in touch.",
    ),
    Stage.WITHDRAWN: (
        "You have stepped back from running.",
        "Whenever you want to pick it up again, ask us a question.",
    ),
}


@transaction.atomic
def ensure_portal_user(*, email: str) -> User | None:
    """The portal login of the candidate with this email, made on first use (role candidate,
    no password: they log in by emailed code). None when no candidate has this email, or the
    address already belongs to someone in another role."""
    email = normalise_email(email)
    candidate = Candidate.objects.select_for_update().filter(email=email).first()
    if candidate is None:
        return None
    if candidate.user_id is not None:
        user = candidate.user
    else:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, name=candidate.display_name, role=Role.CANDIDATE)
            user.set_unusable_password()
            try:
                with transaction.atomic():
                    user.save(force_insert=True)
            except IntegrityError:  # made a moment ago by a concurrent request
                user = User.objects.get(email=email)
        if user.role != Role.CANDIDATE or Candidate.objects.filter(user=user).exists():
            return None
        Candidate.objects.filter(pk=candidate.pk).update(user=user)
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def candidate_for(user) -> Candidate | None:
    """The candidate record a portal user may see, if any."""
    return Candidate.objects.visible_to(user).select_related("owner").first()


def current_helpers(candidate: Candidate) -> list[tuple[str, str]]:
    """Who is helping the candidate now: (role, name) pairs, read through relations so the
    candidates app imports none of the helping apps."""
    helpers = []
    if candidate.owner_id is not None:
        role = "Your volunteer screener" if candidate.owner.role == Role.SCREENER else "Our staff"
        helpers.append((role, candidate.owner.name or "A volunteer"))
    if hasattr(candidate, "mentorships"):
        current = candidate.mentorships.filter(ended_at__isnull=True).select_related("mentor")
        helpers.extend(("Your mentor", m.mentor.name) for m in current)
    return helpers


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
    for name in PORTAL_FIELDS:
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
