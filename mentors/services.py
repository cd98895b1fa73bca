"""Use-cases of the mentors app: profiles, state leads and coverage, matching, mentorships."""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from candidates.geography import BY_CODE, COVERAGE_CODES
from candidates.languages import other_languages
from candidates.models import Candidate, HelpRequest, Need, OfficeLevel
from candidates.services.help_requests import (
    open_request,
    reassign_request,
    record_first_response,
    resolve_request,
)
from mentors.models import (
    EXPERIENCE_RANK,
    MENTOR_INTRO,
    MENTOR_MATCH,
    NEED_EXPERTISE,
    OFFICE_NEEDS_RANK,
    Mentor,
    MentorApplication,
    Mentorship,
    StateLead,
)
from rfs.accounts import applications
from rfs.accounts.models import Role, User
from rfs.accounts.services import grant_role
from rfs.notify import services as outbox


class MatchRefused(Exception):
    """The match cannot be made; the message says why."""


class ProfileRefused(Exception):
    """The mentor profile cannot be saved as asked; the message says why."""


# --- Profiles ---------------------------------------------------------------------


@transaction.atomic
def create_mentor(*, data: dict, with_login: bool = True) -> Mentor:
    """Add a mentor. With a login, the mentor signs in by emailed code (no password is set).
    ProfileRefused if a mentor with this email was added meanwhile (a double submit)."""
    mentor = Mentor(**data)
    try:
        # A savepoint: the unique email indexes decide two adds of one person at once.
        with transaction.atomic():
            if with_login:
                mentor.user = _mentor_login(email=mentor.email, name=mentor.name)
            mentor.save()
    except IntegrityError as exc:
        raise ProfileRefused("Another mentor has this email.") from exc
    return mentor


def _mentor_login(*, email: str, name: str) -> User:
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, name=name, roles=[Role.MENTOR])
        user.set_unusable_password()
        user.save()
    else:
        # A staff member who also mentors keeps one login, with both roles.
        grant_role(user=user, role=Role.MENTOR)
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def update_mentor(*, mentor: Mentor, changes: dict) -> Mentor:
    """Save changed profile fields (a mentor's own edit or staff's); the login follows a
    changed name or email, so emails and sign-in codes reach the same address."""
    old_email = mentor.email
    for name, value in changes.items():
        setattr(mentor, name, value)
    mentor.save()
    if mentor.user_id is None:
        return mentor
    if mentor.user.name != mentor.name:
        User.objects.filter(pk=mentor.user_id).update(name=mentor.name)
    if mentor.email != old_email and mentor.user.email == old_email:
        User.objects.filter(pk=mentor.user_id).update(email=mentor.email)
        EmailAddress.objects.filter(user_id=mentor.user_id).delete()
        # Staff vouch for the new address; the next sign-in code goes there.
        EmailAddress.objects.create(
            user_id=mentor.user_id, email=mentor.email, verified=True, primary=True
        )
    return mentor


def set_availability(*, mentor: Mentor, available: bool) -> Mentor:
    """Pause a mentor (no new mentees) or make them available again."""
    Mentor.objects.filter(pk=mentor.pk).update(is_available=available, updated_at=timezone.now())
    mentor.is_available = available
    return mentor


# --- State leads and coverage --------------------------------------------------------


class LeadRefused(Exception):
    """The state lead cannot be set as asked."""


@transaction.atomic
def make_state_lead(*, mentor: Mentor, state: str, at=None) -> StateLead:
    """Make `mentor` the lead for `state`, ending the current lead's term if another mentor
    holds it. Keeps every earlier term."""
    if state not in BY_CODE:
        raise LeadRefused("Choose a state.")
    at = at or timezone.now()
    current = StateLead.objects.select_for_update().active().filter(state=state).first()
    if current is not None:
        if current.mentor_id == mentor.pk:
            return current
        current.ended_at = max(at, current.started_at)
        current.save(update_fields=["ended_at"])
    try:
        # A savepoint: the partial unique index decides two staff naming leads at once.
        with transaction.atomic():
            return StateLead.objects.create(state=state, mentor=mentor, started_at=at)
    except IntegrityError as exc:
        raise LeadRefused("Someone else just named a lead for this state; reload.") from exc


def end_state_lead(*, lead: StateLead, at=None) -> StateLead:
    """End a lead's term (the row stays as history)."""
    at = at or timezone.now()
    StateLead.objects.filter(pk=lead.pk, ended_at__isnull=True).update(
        ended_at=max(at, lead.started_at)
    )
    lead.refresh_from_db()
    return lead


def waiting_candidates():
    """Open candidates without a current mentor."""
    return Candidate.objects.open().exclude(
        Exists(Mentorship.objects.active().filter(candidate=OuterRef("pk")))
    )


def coverage() -> dict:
    """How many of the 50 states and DC have an active lead, each state's lead, and the
    uncovered states with their count of waiting candidates (open, no mentor yet)."""
    leads = {
        lead.state: lead
        for lead in StateLead.objects.active().select_related("mentor").order_by("state")
    }
    waiting = dict(waiting_candidates().values_list("state").annotate(n=Count("pk")).order_by())
    states = [
        {
            "code": code,
            "name": BY_CODE[code].name,
            "lead": leads.get(code),
            "waiting": waiting.get(code, 0),
        }
        for code in sorted(COVERAGE_CODES, key=lambda c: BY_CODE[c].name)
    ]
    uncovered = sorted(
        (s for s in states if s["lead"] is None), key=lambda s: (-s["waiting"], s["name"])
    )
    return {
        "total": len(states),
        "covered": len(states) - len(uncovered),
        "states": states,
        "uncovered": uncovered,
    }


# --- Matching ------------------------------------------------------------------------


@dataclass
class Match:
    mentor: Mentor
    score: float
    reasons: list[str] = field(default_factory=list)
    # Speaks the language the candidate prefers, when that is not the organisation's own.
    speaks_language: bool = False


def candidate_needs(candidate: Candidate) -> list[str]:
    """Needs the candidate named at signup plus those found in screening calls, if the
    screening app records them (read through the `screening_calls` relation)."""
    needs = set(candidate.needs or [])
    try:
        Candidate._meta.get_field("screening_calls")
    except FieldDoesNotExist:
        pass
    else:
        for call_needs in candidate.screening_calls.values_list("needs", flat=True):
            needs.update(call_needs or [])
    return [need for need in Need.values if need in needs]


def _available_mentors(candidate: Candidate) -> QuerySet[Mentor]:
    """Matchable mentors who are not the candidate's mentor already, each annotated with
    `leads_state` (they lead the candidate's state)."""
    return (
        Mentor.objects.matchable()
        .exclude(
            Exists(Mentorship.objects.active().filter(mentor=OuterRef("pk"), candidate=candidate))
        )
        .annotate(
            leads_state=Exists(
                StateLead.objects.active().filter(mentor=OuterRef("pk"), state=candidate.state)
            )
        )
        .order_by("name")
    )


def rank_mentors(*, candidate: Candidate, limit: int = 10) -> list[Match]:
    """Mentors who can take this candidate, best first, each with the reasons. Paused and
    full mentors never appear, nor the candidate's current mentor. Among equal matches, those
    who speak the language the candidate prefers (if not the organisation's own) come first."""
    needs = candidate_needs(candidate)
    wanted_rank = OFFICE_NEEDS_RANK.get(candidate.office_level, 1)
    race = (
        f"Experience fits a {candidate.get_office_level_display().lower()} race"
        if candidate.office_level != OfficeLevel.OTHER
        else "Experience fits this race"
    )
    state_name = BY_CODE[candidate.state].name if candidate.state in BY_CODE else candidate.state
    matches = []
    for mentor in _available_mentors(candidate):
        score, reasons = 0.0, []
        if mentor.leads_state:
            score += 4
            reasons.append(f"Lead operative for {state_name}")
        elif candidate.state in mentor.states:
            score += 3
            reasons.append(f"Knows {state_name}")
        covered = [
            need for need in needs if NEED_EXPERTISE.get(need, set()) & set(mentor.expertise)
        ]
        if covered:
            score += 2 * len(covered)
            reasons.append("Covers " + ", ".join(Need(n).label.lower() for n in covered))
        free = mentor.capacity - mentor.load
        score += 2 * free / mentor.capacity
        reasons.append(f"{mentor.load} of {mentor.capacity} mentees")
        if EXPERIENCE_RANK.get(mentor.experience_level, 1) >= wanted_rank:
            score += 2
            reasons.append(race)
        speaks = candidate.language in other_languages(mentor.languages)
        if speaks:
            reasons.append(f"Speaks {candidate.language_preference}")
        matches.append(
            Match(mentor=mentor, score=round(score, 2), reasons=reasons, speaks_language=speaks)
        )
    matches.sort(
        key=lambda m: (
            -m.score,
            not m.speaks_language,
            m.mentor.load / m.mentor.capacity,
            m.mentor.name,
        )
    )
    return matches[:limit]


def current_mentorship(candidate: Candidate) -> Mentorship | None:
    return (
        Mentorship.objects.active()
        .filter(candidate=candidate)
        .select_related("mentor", "mentor__user")
        .first()
    )


@transaction.atomic
def request_mentor_match(*, candidate: Candidate, subject: str = "", at=None) -> HelpRequest:
    """Ask staff to match this candidate with a mentor: a staff-pool request, due after the
    kind's window, that the next mentorship resolves."""
    return open_request(
        candidate=candidate,
        kind=MENTOR_MATCH,
        subject=subject or "Match a mentor",
        at=at or timezone.now(),
    )


# --- Mentorships --------------------------------------------------------------------


@transaction.atomic
def confirm_match(*, candidate: Candidate, mentor: Mentor, by, at=None) -> Mentorship:
    """Match a mentor to a candidate: a new mentorship (ending the current one, if another
    mentor's), introduction emails to both, and a mentor-introduction request the mentor
    answers by confirming first contact."""
    at = at or timezone.now()
    # Lock in a fixed order (candidate, then mentor) so concurrent matches queue up.
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    mentor = Mentor.objects.select_for_update().get(pk=mentor.pk)
    current = Mentorship.objects.active().filter(candidate=candidate).first()
    if current is not None and current.mentor_id == mentor.pk:
        return current
    if not mentor.is_available:
        raise MatchRefused(f"{mentor.name} is paused and takes no new mentees.")
    load = Mentorship.objects.active().filter(mentor=mentor).count()
    if load >= mentor.capacity:
        raise MatchRefused(f"{mentor.name} already has {load} of {mentor.capacity} mentees.")
    if not candidate.is_open:
        raise MatchRefused("This candidate's record is closed.")
    if current is not None:
        _end(current, by=by, reason=f"Changed mentor to {mentor.name}", at=at)
    mentorship = Mentorship.objects.create(
        candidate=candidate, mentor=mentor, started_at=at, created_by=by
    )
    # A mentorship answers every open request to find this candidate a mentor.
    for match_request in HelpRequest.objects.filter(candidate=candidate, kind=MENTOR_MATCH).exclude(
        status=HelpRequest.Status.RESOLVED
    ):
        resolve_request(help_request=match_request, at=at)
    open_request(
        candidate=candidate,
        kind=MENTOR_INTRO,
        owner=mentor.user if mentor.user_id and mentor.user.is_active else None,
        subject=f"Introduction to {mentor.name}",
        at=at,
    )
    outbox.record(
        key=f"mentor:intro:mentor:{mentorship.pk}",
        to=mentor.email,
        template="mentor_intro_mentor",
        context={"name": mentor.name.split(" ")[0], "link": reverse("mentors:home")},
        ref=candidate.ref,
    )
    outbox.record(
        key=f"mentor:intro:candidate:{mentorship.pk}",
        **candidate.recipient,
        template="mentor_intro_candidate",
        context={"name": candidate.greeting_name},
        ref=candidate.ref,
    )
    return mentorship


@transaction.atomic
def end_mentorship(*, mentorship: Mentorship, by, reason: str, at=None) -> Mentorship:
    """End a mentorship (the row stays as history). The mentor's open requests for this
    candidate go to the staff pool; an unanswered introduction is closed."""
    at = at or timezone.now()
    locked = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if locked.ended_at is None:
        _end(locked, by=by, reason=reason, at=at)
    mentorship.refresh_from_db()
    return mentorship


def _end(mentorship: Mentorship, *, by, reason: str, at) -> None:
    mentorship.ended_at = max(at, mentorship.started_at)
    mentorship.ended_reason = (reason or "Ended")[:500]
    mentorship.save(update_fields=["ended_at", "ended_reason"])
    user_id = mentorship.mentor.user_id
    if user_id is None:
        intros = HelpRequest.objects.none()
        others = HelpRequest.objects.none()
    else:
        mine = (
            HelpRequest.objects.filter(candidate_id=mentorship.candidate_id, owner_id=user_id)
            .exclude(status=HelpRequest.Status.RESOLVED)
            .select_related("candidate")
        )
        intros = mine.filter(kind=MENTOR_INTRO)
        others = mine.exclude(kind=MENTOR_INTRO)
    for request in intros:
        # The introduction is moot now; closing it unanswered keeps it out of response times.
        HelpRequest.objects.filter(pk=request.pk).update(
            status=HelpRequest.Status.RESOLVED, resolved_at=mentorship.ended_at, waiting_since=None
        )
    for request in others:
        reassign_request(help_request=request, owner=None, by=by)


def pending_introduction(mentorship: Mentorship) -> HelpRequest | None:
    """The open introduction request of this mentorship, if first contact is not confirmed."""
    requests = HelpRequest.objects.filter(
        candidate_id=mentorship.candidate_id,
        kind=MENTOR_INTRO,
        opened_at__gte=mentorship.started_at,
    ).exclude(status=HelpRequest.Status.RESOLVED)
    return requests.order_by("opened_at").first()


@transaction.atomic
def confirm_first_contact(*, mentorship: Mentorship, by, at=None) -> HelpRequest | None:
    """The mentor has reached their new mentee: answers and resolves the introduction."""
    at = at or timezone.now()
    if mentorship.ended_at is not None:
        raise MatchRefused("This mentorship has ended.")
    request = pending_introduction(mentorship)
    if request is None:
        return None
    record_first_response(help_request=request, at=at)
    return resolve_request(help_request=request, at=at, by=by)


# --- Applications ------------------------------------------------------------------------

APPLICATION_ROLE_LABEL = "mentor"


@transaction.atomic
def approve_application(*, application: MentorApplication, by: User) -> Mentor:
    """Approve: the applicant gets a mentor login, a mentor profile with what they offered,
    and an invitation to set their password. ApplicationRefused if decided already."""
    user = applications.approve(
        application=application, by=by, role=Role.MENTOR, role_label=APPLICATION_ROLE_LABEL
    )
    offered = {
        "name": application.name,
        "bio": application.bio,
        "states": application.states,
        "expertise": application.expertise,
        "experience_level": application.experience_level,
        "languages": application.languages,
        "capacity": application.capacity,
        "user": user,
    }
    mentor, _ = Mentor.objects.update_or_create(email=application.email, defaults=offered)
    return mentor


def decline_application(*, application: MentorApplication, by: User) -> MentorApplication:
    """Decline, with a kind email. ApplicationRefused if decided already."""
    return applications.decline(application=application, by=by, role_label=APPLICATION_ROLE_LABEL)


def ask_applicant(*, application: MentorApplication, by: User, question: str):
    """Email the applicant a question; they answer by replying."""
    return applications.ask(
        application=application, by=by, question=question, role_label=APPLICATION_ROLE_LABEL
    )
