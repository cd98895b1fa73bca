"""Screening use-cases: claiming candidates, reaching them, booking and logging calls.

Lock order, to keep concurrent actions from deadlocking: a Claim row first, then the
Candidate row (move_stage locks it), then a ScheduledCall row.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from candidates import request_kinds
from candidates.geography import time_zone_for
from candidates.models import Candidate, HelpRequest, Stage
from candidates.services.help_requests import record_first_response, resolve_request
from candidates.services.pipeline import StageMoveRefused, move_stage
from rfs.accounts.models import Role
from rfs.notify import services as outbox
from screening.models import (
    SCORE_FIELDS,
    Claim,
    ContactAttempt,
    ScheduledCall,
    ScreeningCall,
    ScreeningCallRevision,
    awaiting_contact,
)

# Reminders fall at these candidate-local times: the day before, and on the day.
DAY_BEFORE_AT = time(11, 0)
SAME_DAY_AT = time(8, 0)

# The stage each reached outcome moves the candidate to.
OUTCOME_STAGE = {
    ScreeningCall.Outcome.ADVANCE: Stage.SCREENED,
    # Back to signed up, as the pipeline allows; awaiting_contact() keeps them out of the
    # queue until they come back, so nobody calls them again next week.
    ScreeningCall.Outcome.NOT_YET: Stage.SIGNED_UP,
    ScreeningCall.Outcome.NOT_A_FIT: Stage.NOT_A_FIT,
}

EDITABLE_FIELDS = ["happened_at", "duration_minutes", *SCORE_FIELDS, "needs", "notes", "next_step"]

# The same attempt logged again this soon, with no time of its own, is a double submit.
REPEAT_ATTEMPT_WINDOW = timedelta(minutes=1)


class ScreeningError(Exception):
    """A screening action that cannot be done; the message is for the person who tried."""


# --- Time zones ---------------------------------------------------------------


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.RFS_TIME_ZONE)


def user_zone(user) -> zoneinfo.ZoneInfo:
    """The zone a user reads times in: their own choice, else the organisation's."""
    return _zone(getattr(user, "time_zone", "") or settings.RFS_TIME_ZONE)


def candidate_zone(candidate: Candidate) -> zoneinfo.ZoneInfo:
    """The main zone of the candidate's state."""
    return _zone(time_zone_for(candidate.state, settings.RFS_TIME_ZONE))


def format_local(moment: datetime, zone: zoneinfo.ZoneInfo) -> str:
    """'Tuesday, March 11, 2025 at 10:00 AM EDT': how emails name a time."""
    local = moment.astimezone(zone)
    clock = local.strftime("%I:%M %p").lstrip("0")
    return f"{local:%A, %B} {local.day}, {local.year} at {clock} {local:%Z}"


def reminder_times(*, starts_at: datetime, zone: zoneinfo.ZoneInfo) -> tuple[datetime, datetime]:
    """The day-before and same-day reminder moments for a call, at the candidate's wall-clock
    times; zoneinfo gives each day its own offset, so a DST change in between is honoured."""
    day = starts_at.astimezone(zone).date()
    day_before = datetime.combine(day - timedelta(days=1), DAY_BEFORE_AT, tzinfo=zone)
    same_day = datetime.combine(day, SAME_DAY_AT, tzinfo=zone)
    return day_before, same_day


# --- Claims -----------------------------------------------------------------------


def _require_worker(user) -> None:
    if not user.has_role(Role.SCREENER, Role.STAFF):
        raise ScreeningError("Only screeners and staff can work the screening queue.")


def _claim(candidate: Candidate, screener) -> Claim:
    now = timezone.now()
    try:
        with transaction.atomic():
            claim = Claim.objects.create(candidate=candidate, screener=screener, claimed_at=now)
    except IntegrityError as exc:
        raise ScreeningError("Someone else has just claimed this candidate.") from exc
    move_stage(candidate=candidate, to=Stage.SCREENING, by=screener, reason="Claimed for screening")
    Candidate.objects.filter(pk=candidate.pk).update(owner=screener)
    candidate.owner = screener
    return claim


@transaction.atomic
def claim_next(*, screener, state: str = "", office_level: str = "") -> Claim | None:
    """Claim the candidate who has waited longest (within the filters), or None if nobody waits.
    Rows another screener is claiming at this moment are skipped, never shared."""
    _require_worker(screener)
    waiting = awaiting_contact()
    if state:
        waiting = waiting.filter(state=state)
    if office_level:
        waiting = waiting.filter(office_level=office_level)
    candidate = waiting.select_for_update(skip_locked=True).first()
    if candidate is None:
        return None
    return _claim(candidate, screener)


@transaction.atomic
def claim_candidate(*, candidate: Candidate, screener) -> Claim:
    """Claim this candidate if they still wait; ScreeningError if someone else was first."""
    _require_worker(screener)
    locked = awaiting_contact().filter(pk=candidate.pk).select_for_update(skip_locked=True).first()
    if locked is None:
        raise ScreeningError("Someone else has just claimed this candidate.")
    claim = _claim(locked, screener)
    candidate.stage, candidate.owner = locked.stage, screener
    return claim


def _held_claim(candidate: Candidate, user) -> Claim | None:
    """The open claim `user` holds on `candidate`, locked for this transaction."""
    return (
        Claim.objects.select_for_update()
        .filter(candidate=candidate, screener=user, released_at__isnull=True)
        .first()
    )


def _require_claim(candidate: Candidate, user) -> Claim:
    claim = _held_claim(candidate, user)
    if claim is None:
        raise ScreeningError("You no longer hold this candidate; claim them from the queue first.")
    return claim


def _end_claim(
    claim: Claim, *, reason: str, by, at: datetime, back_to_queue: bool, tell_candidate: bool
) -> None:
    """Close a locked open claim, hand the candidate back and cancel the calls it booked."""
    Claim.objects.filter(pk=claim.pk).update(released_at=at, release_reason=reason)
    claim.released_at, claim.release_reason = at, reason
    # Locked before reading the stage: a staff move in flight commits first, and is seen.
    candidate = Candidate.objects.select_for_update().get(pk=claim.candidate_id)
    # Only a candidate still in screening goes back to the queue; one that staff moved
    # elsewhere meanwhile (withdrawn, say) stays where staff put them.
    if back_to_queue and candidate.stage == Stage.SCREENING:
        move_stage(
            candidate=candidate,
            to=Stage.SIGNED_UP,
            by=by,
            reason=Claim.ReleaseReason(reason).label,
            at=at,
        )
    Candidate.objects.filter(pk=candidate.pk, owner_id=claim.screener_id).update(owner=None)
    for scheduled in ScheduledCall.objects.select_for_update().filter(
        candidate=candidate, status=ScheduledCall.Status.SCHEDULED
    ):
        _cancel(scheduled, candidate=candidate, tell_candidate=tell_candidate)


@transaction.atomic
def release_claim(*, claim: Claim, by) -> bool:
    """End an open claim by hand: the screener gives the candidate back, or staff take them
    back. The candidate returns to the queue. Returns False if the claim had already ended."""
    locked = Claim.objects.select_for_update().filter(pk=claim.pk, released_at__isnull=True).first()
    if locked is None:
        return False
    if locked.screener_id != by.pk and not by.has_role(Role.STAFF):
        raise ScreeningError("Only the screener holding this claim, or staff, can release it.")
    reason = (
        Claim.ReleaseReason.RELEASED
        if locked.screener_id == by.pk
        else Claim.ReleaseReason.RELEASED_BY_STAFF
    )
    _end_claim(
        locked, reason=reason, by=by, at=timezone.now(), back_to_queue=True, tell_candidate=True
    )
    claim.released_at, claim.release_reason = locked.released_at, locked.release_reason
    return True


def _expiry_cutoff(now: datetime) -> datetime:
    return now - timedelta(hours=settings.RFS_CLAIM_EXPIRY_HOURS)


def _expirable(now: datetime):
    booked = ScheduledCall.objects.filter(
        claim=OuterRef("pk"), status=ScheduledCall.Status.SCHEDULED
    )
    return (
        Claim.objects.open()
        .filter(last_contact_at__isnull=True, claimed_at__lte=_expiry_cutoff(now))
        .exclude(Exists(booked))
    )


def expire_claims(*, now: datetime | None = None) -> int:
    """Release every claim with no logged contact for RFS_CLAIM_EXPIRY_HOURS. Returns how many."""
    now = now or timezone.now()
    ids = list(_expirable(now).values_list("pk", flat=True)[:1000])
    return sum(expire_claim(claim_id=pk, now=now) for pk in ids)


@transaction.atomic
def expire_claim(*, claim_id: int, now: datetime | None = None) -> bool:
    """Release one stale claim and tell its screener and staff (once per claim). Safe to run
    twice: the claim is re-checked under a lock, so a contact logged meanwhile keeps it."""
    now = now or timezone.now()
    claim = (
        _expirable(now)
        .filter(pk=claim_id)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("screener", "candidate")
        .first()
    )
    if claim is None:
        return False
    _end_claim(
        claim,
        reason=Claim.ReleaseReason.EXPIRED,
        by=None,
        at=now,
        back_to_queue=True,
        tell_candidate=True,
    )
    context = {
        "name": claim.screener.get_short_name(),
        "hours": settings.RFS_CLAIM_EXPIRY_HOURS,
        "link": reverse("screening:queue"),
    }
    outbox.record(
        key=f"screening:claim-expired:{claim.pk}:screener",
        to=claim.screener.email,
        template="screening_claim_expired",
        context=context,
        ref=claim.candidate.ref,
    )
    outbox.record(
        key=f"screening:claim-expired:{claim.pk}:staff",
        to=settings.RFS_STAFF_EMAIL,
        template="screening_claim_expired_staff",
        context={
            "hours": settings.RFS_CLAIM_EXPIRY_HOURS,
            "link": reverse("screening:candidate", args=[claim.candidate.uuid]),
        },
        ref=claim.candidate.ref,
    )
    return True


# --- Contact attempts -----------------------------------------------------------


def _first_contact_request(candidate: Candidate) -> HelpRequest | None:
    return (
        HelpRequest.objects.filter(candidate=candidate, kind=request_kinds.FIRST_CONTACT)
        .exclude(status=HelpRequest.Status.RESOLVED)
        .first()
    )


def _touch(claim: Claim, at: datetime) -> None:
    latest = max(claim.last_contact_at or at, at)
    Claim.objects.filter(pk=claim.pk).update(last_contact_at=latest)
    claim.last_contact_at = latest


@transaction.atomic
def log_attempt(
    *, candidate: Candidate, by, kind: str, at: datetime | None = None, note: str = ""
) -> ContactAttempt:
    """Record one try at reaching the candidate. The first one is the first response to the
    candidate's signup (their first-contact request). The same attempt posted twice (same
    kind and note, and the same time or none given within a minute) is recorded once."""
    claim = _require_claim(candidate, by)
    note = note[:500]
    latest = claim.attempts.filter(call__isnull=True).order_by("-created_at", "-pk").first()
    if (
        latest is not None
        and (latest.kind, latest.note) == (kind, note)
        and (latest.at == at if at else latest.created_at >= timezone.now() - REPEAT_ATTEMPT_WINDOW)
    ):
        return latest
    at = at or timezone.now()
    attempt = ContactAttempt.objects.create(
        candidate=candidate, screener=by, claim=claim, at=at, kind=kind, note=note
    )
    _touch(claim, at)
    if request := _first_contact_request(candidate):
        record_first_response(help_request=request, at=at)
    return attempt


@dataclass(frozen=True)
class UnresponsiveCheck:
    allowed: bool
    failed_attempts: int
    span: timedelta
    message: str


def unresponsive_check(*, candidate: Candidate) -> UnresponsiveCheck:
    """Whether the candidate may be moved to unresponsive: enough failed attempts since they
    last answered, spread over enough days."""
    needed = settings.RFS_UNRESPONSIVE_ATTEMPTS
    days = settings.RFS_UNRESPONSIVE_DAYS
    attempts = ContactAttempt.objects.filter(candidate=candidate)
    last_answer = attempts.filter(kind=ContactAttempt.Kind.ANSWERED).aggregate(at=Max("at"))["at"]
    failed = attempts.filter(kind__in=ContactAttempt.FAILED_KINDS)
    if last_answer is not None:
        failed = failed.filter(at__gt=last_answer)
    stats = failed.aggregate(n=Count("pk"), first=Min("at"), last=Max("at"))
    span = (stats["last"] - stats["first"]) if stats["n"] else timedelta(0)
    if stats["n"] < needed:
        message = f"{needed} failed attempts are needed first ({stats['n']} so far)."
    elif span < timedelta(days=days):
        message = f"The attempts must span at least {days} days (so far {span.days})."
    else:
        message = f"{stats['n']} failed attempts over {span.days} days."
    allowed = stats["n"] >= needed and span >= timedelta(days=days)
    return UnresponsiveCheck(allowed, stats["n"], span, message)


@transaction.atomic
def mark_unresponsive(*, candidate: Candidate, by) -> Claim:
    """Move a candidate nobody could reach to unresponsive and send a kind email inviting them
    to reply. Refused until unresponsive_check allows it."""
    claim = _require_claim(candidate, by)
    check = unresponsive_check(candidate=candidate)
    if not check.allowed:
        raise ScreeningError(f"Not yet: {check.message}")
    now = timezone.now()
    try:
        move_stage(candidate=candidate, to=Stage.UNRESPONSIVE, by=by, reason=check.message, at=now)
    except StageMoveRefused as exc:
        raise ScreeningError(str(exc)) from exc
    _end_claim(
        claim,
        reason=Claim.ReleaseReason.UNRESPONSIVE,
        by=by,
        at=now,
        back_to_queue=False,
        tell_candidate=False,
    )
    # The organisation did its part: the signup is answered, so it is not left overdue.
    if request := _first_contact_request(candidate):
        resolve_request(help_request=request, at=now)
    outbox.record(
        key=f"screening:unresponsive:{claim.pk}",
        to=candidate.email,
        template="screening_unresponsive",
        context={"name": candidate.preferred_name or candidate.first_name},
        ref=candidate.ref,
    )
    return claim


# --- Scheduled calls ---------------------------------------------------------------


def _call_email_context(scheduled: ScheduledCall, candidate: Candidate) -> dict[str, Any]:
    return {
        "name": candidate.preferred_name or candidate.first_name,
        "when": format_local(scheduled.starts_at, _zone(scheduled.time_zone)),
    }


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
        starts_at=scheduled.starts_at, zone=_zone(scheduled.time_zone)
    )
    scheduled.day_before_at = day_before if now < day_before < scheduled.starts_at else None
    scheduled.same_day_at = same_day if now < same_day < scheduled.starts_at else None
    scheduled.day_before_done_at = scheduled.same_day_done_at = None


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
    claim = _require_claim(candidate, by)
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
    outbox.record(
        key=_email_keys(scheduled)[0],
        to=candidate.email,
        template="screening_call_confirmed",
        context=_call_email_context(scheduled, candidate),
        ref=candidate.ref,
    )
    return scheduled


@transaction.atomic
def reschedule_call(*, scheduled: ScheduledCall, by, starts_at: datetime) -> ScheduledCall:
    """Move a booked call: emails pending for the old time are withdrawn, the reminders are
    planned again under a new version, and the candidate gets the new time."""
    candidate = scheduled.candidate
    _require_claim(candidate, by)
    locked = (
        ScheduledCall.objects.select_for_update()
        .filter(pk=scheduled.pk, status=ScheduledCall.Status.SCHEDULED)
        .first()
    )
    if locked is None:
        raise ScreeningError("This call is no longer booked.")
    if locked.starts_at == starts_at:
        return locked
    now = timezone.now()
    _check_start(starts_at, now)
    _withdraw_pending(locked)
    locked.version += 1
    locked.starts_at = starts_at
    _plan_reminders(locked, now)
    locked.save()
    outbox.record(
        key=_email_keys(locked)[1],
        to=candidate.email,
        template="screening_call_updated",
        context=_call_email_context(locked, candidate),
        ref=candidate.ref,
    )
    return locked


def _cancel(scheduled: ScheduledCall, *, candidate: Candidate, tell_candidate: bool) -> None:
    _withdraw_pending(scheduled)
    ScheduledCall.objects.filter(pk=scheduled.pk).update(
        status=ScheduledCall.Status.CANCELLED, updated_at=timezone.now()
    )
    scheduled.status = ScheduledCall.Status.CANCELLED
    if tell_candidate:
        outbox.record(
            key=f"screening:call:{scheduled.pk}:cancelled",
            to=candidate.email,
            template="screening_call_cancelled",
            context=_call_email_context(scheduled, candidate),
            ref=candidate.ref,
        )


@transaction.atomic
def cancel_call(*, scheduled: ScheduledCall, by) -> ScheduledCall:
    """Cancel a booked call: pending emails are withdrawn and the candidate is told."""
    _require_claim(scheduled.candidate, by)
    locked = (
        ScheduledCall.objects.select_for_update()
        .filter(pk=scheduled.pk, status=ScheduledCall.Status.SCHEDULED)
        .first()
    )
    if locked is None:
        raise ScreeningError("This call is no longer booked.")
    _cancel(locked, candidate=scheduled.candidate, tell_candidate=True)
    return locked


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
            _record_reminder(scheduled, candidate, key=keys[2], day="tomorrow")
            recorded += 1
    if same_day_due:
        scheduled.same_day_done_at = now
        _record_reminder(scheduled, candidate, key=keys[3], day="today")
        recorded += 1
    scheduled.save(update_fields=["day_before_done_at", "same_day_done_at", "updated_at"])
    return recorded


def _record_reminder(scheduled: ScheduledCall, candidate: Candidate, *, key: str, day: str) -> None:
    outbox.record(
        key=key,
        to=candidate.email,
        template="screening_call_reminder",
        context={**_call_email_context(scheduled, candidate), "day": day},
        ref=candidate.ref,
    )


# --- Call logs -------------------------------------------------------------------


@transaction.atomic
def log_call(
    *,
    candidate: Candidate,
    by,
    happened_at: datetime,
    duration_minutes: int,
    outcome: str,
    scores: dict[str, int | None],
    next_step: str,
    needs: list[str] | None = None,
    notes: str = "",
    form_token=None,
) -> tuple[ScreeningCall, bool]:
    """Log a screening call, move the candidate's stage by its outcome and record the matching
    follow-up email. The same form posted twice logs one call: the second post returns
    (the first call, False)."""
    claim = _held_claim(candidate, by)
    # After the claim lock: a first post of the same form has committed by now.
    if form_token and (same := ScreeningCall.objects.filter(form_token=form_token).first()):
        return same, False
    if claim is None:
        raise ScreeningError("You no longer hold this candidate, so this call cannot be logged.")
    reached = outcome != ScreeningCall.Outcome.NO_CONTACT
    call = ScreeningCall.objects.create(
        candidate=candidate,
        screener=by,
        claim=claim,
        happened_at=happened_at,
        duration_minutes=duration_minutes,
        outcome=outcome,
        needs=needs or [],
        notes=notes,
        next_step=next_step,
        form_token=form_token,
        **{field: scores.get(field) if reached else None for field in SCORE_FIELDS},
    )
    # The contact history is complete: a call reached them, or it counts as a failed try.
    ContactAttempt.objects.create(
        candidate=candidate,
        screener=by,
        claim=claim,
        call=call,
        at=happened_at,
        kind=ContactAttempt.Kind.ANSWERED if reached else ContactAttempt.Kind.NO_ANSWER,
    )
    _touch(claim, happened_at)
    now = timezone.now()
    booked = (
        ScheduledCall.objects.select_for_update()
        .filter(candidate=candidate, status=ScheduledCall.Status.SCHEDULED)
        .first()
    )
    # The booked call is the one just logged once its time has come, or once screening ends.
    if booked is not None and (reached or booked.starts_at <= now):
        _withdraw_pending(booked)
        ScheduledCall.objects.filter(pk=booked.pk).update(
            status=ScheduledCall.Status.DONE, updated_at=now
        )
        ScreeningCall.objects.filter(pk=call.pk).update(scheduled_call=booked)
        call.scheduled_call = booked
    request = _first_contact_request(candidate)
    if not reached:
        if request:
            record_first_response(help_request=request, at=happened_at)
        return call, True
    if request:
        resolve_request(help_request=request, at=max(happened_at, request.opened_at))
    try:
        move_stage(
            candidate=candidate,
            to=OUTCOME_STAGE[outcome],
            by=by,
            reason=f"Screening call: {ScreeningCall.Outcome(outcome).label}",
        )
    except StageMoveRefused as exc:
        raise ScreeningError(str(exc)) from exc
    _end_claim(
        claim,
        reason=Claim.ReleaseReason.COMPLETED,
        by=by,
        at=now,
        back_to_queue=False,
        tell_candidate=False,
    )
    outbox.record(
        key=f"screening:followup:{call.pk}",
        to=candidate.email,
        template=f"screening_{outcome}",
        context={
            "name": candidate.preferred_name or candidate.first_name,
            "link": reverse("portal:home"),
        },
        ref=candidate.ref,
    )
    return call, True


def can_edit_call(*, call: ScreeningCall, user, now: datetime | None = None) -> bool:
    """Staff may always edit a call log; its screener, for RFS_CALL_EDIT_HOURS after logging."""
    if user.has_role(Role.STAFF):
        return True
    now = now or timezone.now()
    return (
        user.has_role(Role.SCREENER)
        and call.screener_id == user.pk
        and now - call.created_at < timedelta(hours=settings.RFS_CALL_EDIT_HOURS)
    )


@transaction.atomic
def edit_call(*, call: ScreeningCall, by, changes: dict[str, Any]) -> ScreeningCallRevision | None:
    """Change a call log and keep the previous values in a revision. The outcome is not
    editable: its stage move and email have happened. Returns None if nothing changed."""
    locked = ScreeningCall.objects.select_for_update().get(pk=call.pk)
    if not can_edit_call(call=locked, user=by):
        raise ScreeningError("This call log can no longer be edited.")
    previous: dict[str, Any] = {}
    for field, value in changes.items():
        if field not in EDITABLE_FIELDS:
            raise ValueError(f"{field} is not an editable field of a call log")
        if field in SCORE_FIELDS and not locked.reached:
            continue
        if getattr(locked, field) != value:
            previous[field] = getattr(locked, field)
            setattr(locked, field, value)
    if not previous:
        return None
    locked.save()
    if "happened_at" in previous:
        ContactAttempt.objects.filter(call=locked).update(at=locked.happened_at)
    revision = ScreeningCallRevision.objects.create(
        call=locked, by=by, at=timezone.now(), previous=previous
    )
    for field in [*previous, "updated_at"]:
        setattr(call, field, getattr(locked, field))
    return revision
