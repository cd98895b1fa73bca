"""Booked calls: booking, moving and cancelling a call with the candidate, the emails that
confirm it, and the beat sweep that records its reminders."""

import zoneinfo
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from candidates.models import Candidate
from rfs.notify import calendar
from rfs.notify import services as outbox
from screening.models import ScheduledCall, ScreeningCall
from screening.services.guards import ScreeningError, require_claim
from screening.services.zones import candidate_zone, format_local, zone_named

# Reminders fall at these candidate-local times: the day before, and on the day.
DAY_BEFORE_AT = time(11, 0)
SAME_DAY_AT = time(8, 0)
REMINDER_TEMPLATE = "screening_call_reminder"
# How long a call's calendar event lasts.
CALL_LENGTH = timedelta(minutes=45)


def reminder_times(*, starts_at: datetime, zone: zoneinfo.ZoneInfo) -> tuple[datetime, datetime]:
    """The day-before and same-day reminder moments for a call, at the candidate's wall-clock
    times; zoneinfo gives each day its own offset, so a DST change in between is honoured."""
    day = starts_at.astimezone(zone).date()
    day_before = datetime.combine(day - timedelta(days=1), DAY_BEFORE_AT, tzinfo=zone)
    same_day = datetime.combine(day, SAME_DAY_AT, tzinfo=zone)
    return day_before, same_day


def call_invitation(scheduled: ScheduledCall, candidate: Candidate, *, method: str) -> dict:
    """The call as a calendar event: one UID per booked call; each move is a new version
    (SEQUENCE), and a cancellation one more, so calendars update or drop it. In the
    candidate's language."""
    with translation.override(candidate.language):
        summary = gettext("Screening call with Run for Something")
        description = gettext("A volunteer from Run for Something will call you.")
    return calendar.attachment(
        calendar.event(
            uid=f"screening-call-{scheduled.uuid}@runforsomething",
            sequence=scheduled.version + (1 if method == calendar.CANCEL else 0),
            starts_at=scheduled.starts_at,
            ends_at=scheduled.starts_at + CALL_LENGTH,
            summary=summary,
            description=description,
            attendee=candidate.email,
            method=method,
        ),
        method=method,
    )


def _email_candidate(
    scheduled: ScheduledCall,
    candidate: Candidate,
    *,
    key: str,
    template: str,
    invitation: str = "",
    **extra: str,
) -> None:
    """Record an email to the candidate about this call, naming its time in their zone;
    `invitation` (a calendar method) attaches the call as a calendar event."""
    context = {
        "name": candidate.greeting_name,
        "when": format_local(
            scheduled.starts_at, zone_named(scheduled.time_zone), language=candidate.language
        ),
        **extra,
    }
    outbox.record(
        key=key,
        **candidate.recipient,
        template=template,
        context=context,
        ref=candidate.ref,
        attachments=[call_invitation(scheduled, candidate, method=invitation)]
        if invitation
        else None,
    )


def _email_keys(scheduled: ScheduledCall) -> list[str]:
    """Every email that belongs to the current version of a booked call."""
    base = f"screening:call:{scheduled.pk}:v{scheduled.version}"
    return [f"{base}:confirmed", f"{base}:updated", f"{base}:day-before", f"{base}:same-day"]


def _withdraw_pending(scheduled: ScheduledCall) -> None:
    for key in _email_keys(scheduled):
        outbox.cancel(key=key)


def _plan_reminders(scheduled: ScheduledCall, now: datetime) -> None:
    """Set the reminder moments for the current time; a moment already past, or not before
    the call, gets no reminder."""
    day_before, same_day = reminder_times(
        starts_at=scheduled.starts_at, zone=zone_named(scheduled.time_zone)
    )
    scheduled.day_before_at = day_before if now < day_before < scheduled.starts_at else None
    scheduled.same_day_at = same_day if now < same_day < scheduled.starts_at else None
    scheduled.day_before_done_at = scheduled.same_day_done_at = None


def _lock_booked(scheduled: ScheduledCall) -> ScheduledCall:
    """The call locked for this transaction; ScreeningError if it is no longer booked."""
    locked = (
        ScheduledCall.objects.select_for_update()
        .filter(pk=scheduled.pk, status=ScheduledCall.Status.SCHEDULED)
        .first()
    )
    if locked is None:
        raise ScreeningError("This call is no longer booked.")
    return locked


def _check_start(starts_at: datetime, now: datetime) -> None:
    if starts_at <= now:
        raise ScreeningError("Choose a time in the future.")
    if starts_at > now + timedelta(days=settings.RFS_SCHEDULE_MAX_DAYS):
        raise ScreeningError(
            f"Choose a time within the next {settings.RFS_SCHEDULE_MAX_DAYS} days."
        )


@transaction.atomic
def schedule_call(*, candidate: Candidate, by, starts_at: datetime) -> ScheduledCall:
    """Book a call and record the confirmation email at once; the beat sweep sends reminders."""
    claim = require_claim(candidate, by)
    now = timezone.now()
    _check_start(starts_at, now)
    if ScheduledCall.objects.filter(
        candidate=candidate, status=ScheduledCall.Status.SCHEDULED
    ).exists():
        raise ScreeningError("A call is already booked with this candidate; move it instead.")
    scheduled = ScheduledCall(
        candidate=candidate,
        screener=by,
        claim=claim,
        starts_at=starts_at,
        time_zone=candidate_zone(candidate).key,
    )
    _plan_reminders(scheduled, now)
    scheduled.save()
    _email_candidate(
        scheduled,
        candidate,
        key=_email_keys(scheduled)[0],
        template="screening_call_confirmed",
        invitation=calendar.REQUEST,
    )
    return scheduled


@transaction.atomic
def reschedule_call(*, scheduled: ScheduledCall, by, starts_at: datetime) -> ScheduledCall:
    """Move a booked call: emails pending for the old time are withdrawn, the reminders are
    planned again under a new version, and the candidate gets the new time."""
    candidate = scheduled.candidate
    require_claim(candidate, by)
    locked = _lock_booked(scheduled)
    if locked.starts_at == starts_at:
        return locked
    now = timezone.now()
    _check_start(starts_at, now)
    _withdraw_pending(locked)
    locked.version += 1
    locked.starts_at = starts_at
    _plan_reminders(locked, now)
    locked.save()
    _email_candidate(
        locked,
        candidate,
        key=_email_keys(locked)[1],
        template="screening_call_updated",
        invitation=calendar.REQUEST,
    )
    return locked


def cancel_booked(scheduled: ScheduledCall, *, candidate: Candidate, tell_candidate: bool) -> None:
    """Cancel a locked booked call and withdraw its pending emails, telling the candidate
    if asked; the caller has checked that it may."""
    _withdraw_pending(scheduled)
    ScheduledCall.objects.filter(pk=scheduled.pk).update(
        status=ScheduledCall.Status.CANCELLED, updated_at=timezone.now()
    )
    scheduled.status = ScheduledCall.Status.CANCELLED
    if tell_candidate:
        _email_candidate(
            scheduled,
            candidate,
            key=f"screening:call:{scheduled.pk}:cancelled",
            template="screening_call_cancelled",
            invitation=calendar.CANCEL,
        )


@transaction.atomic
def cancel_call(*, scheduled: ScheduledCall, by) -> ScheduledCall:
    """Cancel a booked call: pending emails are withdrawn and the candidate is told."""
    require_claim(scheduled.candidate, by)
    locked = _lock_booked(scheduled)
    cancel_booked(locked, candidate=scheduled.candidate, tell_candidate=True)
    return locked


def complete_booked(call: ScreeningCall, *, now: datetime) -> None:
    """Mark the candidate's booked call done and link it to the call just logged, if that
    is the call it booked: once its time has come, or once the call reached them."""
    booked = (
        ScheduledCall.objects.select_for_update()
        .filter(candidate=call.candidate, status=ScheduledCall.Status.SCHEDULED)
        .first()
    )
    if booked is None or not (call.reached or booked.starts_at <= now):
        return
    _withdraw_pending(booked)
    ScheduledCall.objects.filter(pk=booked.pk).update(
        status=ScheduledCall.Status.DONE, updated_at=now
    )
    ScreeningCall.objects.filter(pk=call.pk).update(scheduled_call=booked)
    call.scheduled_call = booked


# --- Reminders ---------------------------------------------------------------------


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Beat sweep: record every reminder that has fallen due. Returns how many were recorded."""
    now = now or timezone.now()
    due = (
        ScheduledCall.objects.upcoming()
        .filter(starts_at__gt=now)
        .filter(
            Q(day_before_at__lte=now, day_before_done_at__isnull=True)
            | Q(same_day_at__lte=now, same_day_done_at__isnull=True)
        )
    )
    ids = list(due.values_list("pk", flat=True)[:1000])
    return sum(send_reminders_for(scheduled_id=pk, now=now) for pk in ids)


@transaction.atomic
def send_reminders_for(*, scheduled_id: int, now: datetime | None = None) -> int:
    """Record the reminders of one booked call that are due, each once per version."""
    now = now or timezone.now()
    scheduled = (
        ScheduledCall.objects.upcoming()
        .filter(pk=scheduled_id, starts_at__gt=now)
        .select_for_update(skip_locked=True)
        .first()
    )
    if scheduled is None:
        return 0
    candidate = Candidate.objects.get(pk=scheduled.candidate_id)
    same_day_due = (
        scheduled.same_day_at is not None
        and scheduled.same_day_at <= now
        and scheduled.same_day_done_at is None
    )
    day_before_due = (
        scheduled.day_before_at is not None
        and scheduled.day_before_at <= now
        and scheduled.day_before_done_at is None
    )
    keys = _email_keys(scheduled)
    recorded = 0
    if day_before_due:
        scheduled.day_before_done_at = now
        # A sweep that ran late sends only the nearer reminder, not both at once.
        if not same_day_due:
            _email_candidate(
                scheduled, candidate, key=keys[2], template=REMINDER_TEMPLATE, day="tomorrow"
            )
            recorded += 1
    if same_day_due:
        scheduled.same_day_done_at = now
        _email_candidate(scheduled, candidate, key=keys[3], template=REMINDER_TEMPLATE, day="today")
        recorded += 1
    scheduled.save(update_fields=["day_before_done_at", "same_day_done_at", "updated_at"])
    return recorded
