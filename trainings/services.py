"""Use-cases of trainings: trainings and sessions, invitations, registration with a waitlist,
reminders before a session, and attendance.

Lock order: a Session row, then its Registration rows. Every email is recorded in the
outbox in the transaction of the change, under a key that names it, so none goes twice.
"""

from datetime import datetime, timedelta

from django.core import signing
from django.db import transaction
from django.db.models import QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from candidates.links import candidate_page_url
from candidates.models import Candidate
from rfs.notify import calendar
from rfs.notify import services as outbox
from screening.services.zones import candidate_zone, format_local
from trainings.models import Invitation, Registration, Session, Training

JOIN_SALT = "trainings.join"
HOUR_BEFORE = timedelta(hours=1)


class RegistrationRefused(Exception):
    """The registration cannot be made or changed as asked; the message says why."""


# --- Trainings and sessions -----------------------------------------------------------


@transaction.atomic
def create_training(*, topic: str, description: str = "") -> Training:
    return Training.objects.create(topic=topic, description=description)


@transaction.atomic
def add_session(
    *,
    training: Training,
    starts_at: datetime,
    time_zone: str,
    capacity: int,
    link: str,
    facilitator: str,
    duration_minutes: int = 90,
) -> Session:
    """Schedule a session; invitations that waited for one are sent to it."""
    session = Session.objects.create(
        training=training,
        starts_at=starts_at,
        time_zone=time_zone,
        capacity=capacity,
        link=link,
        facilitator=facilitator,
        duration_minutes=duration_minutes,
    )
    waiting = Invitation.objects.waiting_for_session().filter(training=training)
    for invitation in waiting.select_for_update().select_related("candidate"):
        _send_invitation(invitation, session, at=timezone.now())
    return session


def next_session(training: Training, *, now: datetime) -> Session | None:
    return Session.objects.upcoming(now).filter(training=training).first()


def training_choices() -> list[tuple[str, str]]:
    """(uuid, topic) of every training, for a form that picks one."""
    return [(str(uuid), topic) for uuid, topic in Training.objects.values_list("uuid", "topic")]


def training_named(uuid) -> Training | None:
    return Training.objects.filter(uuid=uuid).first() if uuid else None


# --- Invitations -----------------------------------------------------------------------


def join_token(invitation: Invitation) -> str:
    """The signed part of the one-click link in an invitation email."""
    return signing.dumps(str(invitation.uuid), salt=JOIN_SALT, compress=True)


def invitation_for_token(token: str) -> Invitation | None:
    try:
        value = signing.loads(token, salt=JOIN_SALT)
    except signing.BadSignature:
        return None
    return Invitation.objects.filter(uuid=value).select_related("session", "candidate").first()


@transaction.atomic
def invite(*, candidate: Candidate, training: Training, key: str, by=None, at=None) -> Invitation:
    """Invite a candidate to the next session of a training, or to the first one staff add.
    The same `key` again changes that invitation (another training) instead of adding one."""
    at = at or timezone.now()
    invitation, created = Invitation.objects.select_for_update().get_or_create(
        key=key,
        defaults={"candidate": candidate, "training": training, "invited_by": by, "created_at": at},
    )
    if not created:
        if invitation.training_id == training.pk and invitation.withdrawn_at is None:
            return invitation
        _withdraw_email(invitation)
        invitation.training, invitation.session, invitation.sent_at = training, None, None
        invitation.withdrawn_at = None
        invitation.save(update_fields=["training", "session", "sent_at", "withdrawn_at"])
    if session := next_session(training, now=at):
        _send_invitation(invitation, session, at=at)
    return invitation


@transaction.atomic
def withdraw_invitation(*, key: str, at=None) -> bool:
    """Withdraw the invitation under `key` (its reason changed); an email not yet sent stays
    unsent. Registrations already made stay. Returns True if one was withdrawn."""
    invitation = Invitation.objects.select_for_update().filter(key=key).first()
    if invitation is None or invitation.withdrawn_at is not None:
        return False
    _withdraw_email(invitation)
    invitation.withdrawn_at = at or timezone.now()
    invitation.save(update_fields=["withdrawn_at"])
    return True


def _invitation_email_key(invitation: Invitation) -> str:
    return f"training:invite:{invitation.pk}:{invitation.training_id}:{invitation.session_id}"


def _withdraw_email(invitation: Invitation) -> None:
    if invitation.session_id:
        outbox.cancel(key=_invitation_email_key(invitation))


def _send_invitation(invitation: Invitation, session: Session, *, at: datetime) -> None:
    invitation.session, invitation.sent_at = session, at
    invitation.save(update_fields=["session", "sent_at"])
    candidate = invitation.candidate
    outbox.record(
        key=_invitation_email_key(invitation),
        **candidate.recipient,
        template="training_invitation",
        context={
            "name": candidate.greeting_name,
            "topic": session.training.topic,
            "when": format_local(
                session.starts_at, candidate_zone(candidate), language=candidate.language
            ),
            "link": reverse("trainings:join", args=[join_token(invitation)]),
        },
        ref=candidate.ref,
    )


def invitation_sent_at(*, key: str) -> datetime | None:
    return (
        Invitation.objects.filter(key=key, withdrawn_at__isnull=True)
        .values_list("sent_at", flat=True)
        .first()
    )


# --- Registration and the waitlist -------------------------------------------------------


def reminder_times(session: Session, candidate: Candidate) -> tuple[datetime, datetime]:
    """The day-before reminder at the session's wall-clock time the day before in the
    candidate's zone (a DST change in between is honoured), and the hour-before one."""
    zone = candidate_zone(candidate)
    local = session.starts_at.astimezone(zone)
    day_before = datetime.combine(
        local.date() - timedelta(days=1), local.timetz().replace(tzinfo=None), tzinfo=zone
    )
    return day_before, session.starts_at - HOUR_BEFORE


def _take_place(registration: Registration, session: Session, *, at: datetime) -> None:
    day_before, hour_before = reminder_times(session, registration.candidate)
    registration.status = Registration.Status.REGISTERED
    registration.registered_at = at
    registration.cancelled_at = None
    registration.day_before_at = day_before if at < day_before else None
    registration.hour_before_at = hour_before if at < hour_before else None
    registration.day_before_done_at = registration.hour_before_done_at = None


def session_invitation(registration: Registration, session: Session, *, method: str) -> dict:
    """The session as a calendar event, one UID per registration; a cancelled place is a
    later version with METHOD:CANCEL. The link to join goes only to registered people.
    In the candidate's language."""
    with translation.override(registration.candidate.language):
        summary = gettext("Run for Something training: %(topic)s") % {
            "topic": session.training.topic
        }
        description = gettext("With %(facilitator)s.") % {"facilitator": session.facilitator}
    return calendar.attachment(
        calendar.event(
            uid=f"training-registration-{registration.uuid}@runforsomething",
            sequence=1 if method == calendar.CANCEL else 0,
            starts_at=session.starts_at,
            ends_at=session.starts_at + timedelta(minutes=session.duration_minutes),
            summary=summary,
            description=description,
            location=session.link if method == calendar.REQUEST else "",
            attendee=registration.candidate.email,
            method=method,
        ),
        method=method,
    )


def _email(
    registration: Registration,
    session: Session,
    *,
    template: str,
    key: str,
    invitation: str = "",
) -> None:
    candidate = registration.candidate
    outbox.record(
        key=key,
        **candidate.recipient,
        template=template,
        context={
            "name": candidate.greeting_name,
            "topic": session.training.topic,
            "when": format_local(
                session.starts_at, candidate_zone(candidate), language=candidate.language
            ),
            # Their page, in the language of the email that links it.
            "link": candidate_page_url(language=candidate.language),
        },
        ref=candidate.ref,
        attachments=[session_invitation(registration, session, method=invitation)]
        if invitation
        else None,
    )


@transaction.atomic
def register(*, session: Session, candidate: Candidate, at=None) -> Registration:
    """Register a candidate for a session, or put them on its waitlist when it is full.
    Registering again returns the registration they have. The session row is locked, so two
    people registering for the last place at once get one place and one waitlist spot."""
    at = at or timezone.now()
    session = Session.objects.select_for_update().select_related("training").get(pk=session.pk)
    if session.cancelled_at is not None or session.starts_at <= at:
        raise RegistrationRefused(gettext("This session is no longer open for registration."))
    registration = Registration.objects.filter(session=session, candidate=candidate).first()
    if registration is not None and registration.status != Registration.Status.CANCELLED:
        return registration
    registration = registration or Registration(session=session, candidate=candidate)
    registration.candidate, registration.created_at = candidate, at
    taken = Registration.objects.filter(
        session=session, status=Registration.Status.REGISTERED
    ).count()
    if taken < session.capacity:
        _take_place(registration, session, at=at)
        template = "training_registered"
    else:
        registration.status, registration.cancelled_at = Registration.Status.WAITLISTED, None
        template = "training_waitlisted"
    registration.save()
    _email(
        registration,
        session,
        template=template,
        key=f"training:{registration.status}:{registration.pk}:{int(at.timestamp())}",
        invitation=calendar.REQUEST if template == "training_registered" else "",
    )
    return registration


@transaction.atomic
def cancel_registration(*, registration: Registration, at=None) -> Registration:
    """Give up a place (or a waitlist spot). A freed place goes to the first on the
    waitlist, who is told by email; reminders of a cancelled registration are never sent."""
    at = at or timezone.now()
    session = (
        Session.objects.select_for_update()
        .select_related("training")
        .get(pk=registration.session_id)
    )
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if locked.status == Registration.Status.CANCELLED:
        return locked
    freed = locked.status == Registration.Status.REGISTERED
    locked.status, locked.cancelled_at = Registration.Status.CANCELLED, at
    locked.save(update_fields=["status", "cancelled_at"])
    if freed:
        _email(
            locked,
            session,
            template="training_cancelled",
            key=f"training:cancelled:{locked.pk}:{int(at.timestamp())}",
            invitation=calendar.CANCEL,
        )
    if freed and session.starts_at > at:
        _offer_place(session, at=at)
    registration.refresh_from_db()
    return registration


def _offer_place(session: Session, *, at: datetime) -> None:
    first = (
        Registration.objects.select_for_update()
        .filter(session=session, status=Registration.Status.WAITLISTED)
        .select_related("candidate")
        .order_by("created_at", "pk")
        .first()
    )
    if first is None:
        return
    _take_place(first, session, at=at)
    first.save()
    _email(
        first,
        session,
        template="training_place_offered",
        key=f"training:offered:{first.pk}",
        invitation=calendar.REQUEST,
    )


@transaction.atomic
def mark_attendance(*, registration: Registration, attended: bool) -> Registration:
    Registration.objects.filter(pk=registration.pk).update(attended=attended)
    registration.attended = attended
    return registration


# --- Reminders ---------------------------------------------------------------------------

REMINDERS = {"day_before": "training_reminder_day", "hour_before": "training_reminder_hour"}


def _due(which: str, now: datetime) -> QuerySet:
    """Registrations whose `which` reminder is due. Its own columns only: a conditional
    UPDATE through a join would be re-checked against the old rows, and claim twice."""
    return Registration.objects.filter(
        status=Registration.Status.REGISTERED,
        **{f"{which}_at__lte": now, f"{which}_done_at__isnull": True},
    )


def remind(*, registration_id: int, which: str, now=None) -> bool:
    """Record one reminder, once: the conditional UPDATE claims it, so of two sweeps at once
    only one records the email. Returns True if this call did."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = _due(which, now).filter(pk=registration_id).update(**{f"{which}_done_at": now})
        if not claimed:
            return False
        registration = Registration.objects.select_related("candidate", "session__training").get(
            pk=registration_id
        )
        session = registration.session
        if session.cancelled_at is None:
            _email(
                registration,
                session,
                template=REMINDERS[which],
                key=f"training:{which}:{registration.pk}:{int(session.starts_at.timestamp())}",
            )
    return True


def send_reminders(*, now=None) -> int:
    """Record every reminder that has fallen due. Returns how many this run recorded."""
    now = now or timezone.now()
    sent = 0
    for which in REMINDERS:
        for pk in _due(which, now).values_list("pk", flat=True)[:5000]:
            sent += remind(registration_id=pk, which=which, now=now)
    return sent


# --- What a candidate sees ---------------------------------------------------------------


def invitations_for(candidate: Candidate, *, now: datetime) -> QuerySet:
    """Open invitations to sessions still ahead that the candidate has not registered for."""
    return (
        Invitation.objects.filter(
            candidate=candidate,
            withdrawn_at__isnull=True,
            session__starts_at__gt=now,
            session__cancelled_at__isnull=True,
        )
        .exclude(session__registrations__candidate=candidate)
        .select_related("session__training")
    )


def last_registration(candidate_ref) -> Subquery:
    """The latest moment a candidate (`candidate_ref`, an OuterRef) registered for a session
    or attended one: their last contact through trainings."""
    latest = (
        Registration.objects.filter(candidate=candidate_ref)
        .annotate(moment=Greatest("created_at", Coalesce("registered_at", "created_at")))
        .order_by("-moment")
        .values("moment")[:1]
    )
    return Subquery(latest)


def registrations_for(candidate: Candidate) -> QuerySet:
    return (
        Registration.objects.filter(candidate=candidate)
        .active()
        .select_related("session__training")
        .order_by("session__starts_at")
    )
