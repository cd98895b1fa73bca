"""Call logs: logging a screening call (its outcome moves the candidate on and ends the
claim) and editing a call log, which keeps every previous version."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from candidates.models import Candidate, HelpRequest, Stage
from candidates.services.help_requests import record_first_response, resolve_request
from rfs.accounts.models import Role
from rfs.notify import services as outbox
from screening.models import (
    SCORE_FIELDS,
    Claim,
    ContactAttempt,
    ScreeningCall,
    ScreeningCallRevision,
)
from screening.services.booking import complete_booked
from screening.services.claims import conclude_claim, touch_claim
from screening.services.contact import first_contact_help_request
from screening.services.guards import ScreeningError, held_claim
from screening.services.next_steps import follow_through

# The stage each reached outcome moves the candidate to.
OUTCOME_STAGE = {
    ScreeningCall.Outcome.ADVANCE: Stage.SCREENED,
    # Back to signed up, as the pipeline allows; awaiting_contact() keeps them out of the
    # queue until they come back, so nobody calls them again next week.
    ScreeningCall.Outcome.NOT_YET: Stage.SIGNED_UP,
    ScreeningCall.Outcome.NOT_A_FIT: Stage.NOT_A_FIT,
}

NEXT_STEP_FIELDS = ["next_step", "next_step_note", "check_back_on", "training_uuid"]
EDITABLE_FIELDS = [
    "happened_at",
    "duration_minutes",
    *SCORE_FIELDS,
    "needs",
    "notes",
    *NEXT_STEP_FIELDS,
]


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
    next_step_note: str = "",
    check_back_on=None,
    training_uuid=None,
) -> tuple[ScreeningCall, bool]:
    """Log a screening call, move the candidate's stage by its outcome, record the matching
    follow-up email and make its next step into work (next_steps.follow_through). The same
    form posted twice logs one call: the second post returns (the first call, False)."""
    claim = held_claim(candidate, by)
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
        next_step_note=next_step_note,
        check_back_on=check_back_on,
        training_uuid=training_uuid,
        form_token=form_token,
        **{field: scores.get(field) if reached else None for field in SCORE_FIELDS},
    )
    _add_to_contact_history(call, claim)
    now = timezone.now()
    complete_booked(call, now=now)
    help_request = first_contact_help_request(candidate)
    if reached:
        _end_screening(call, claim, by=by, help_request=help_request, now=now)
    elif help_request:
        record_first_response(help_request=help_request, at=happened_at)
    follow_through(call=call, by=by, at=now)
    return call, True


def _add_to_contact_history(call: ScreeningCall, claim: Claim) -> None:
    # The contact history is complete: a call reached them, or it counts as a failed try.
    ContactAttempt.objects.create(
        candidate=call.candidate,
        screener=call.screener,
        claim=claim,
        call=call,
        at=call.happened_at,
        kind=ContactAttempt.Kind.ANSWERED if call.reached else ContactAttempt.Kind.NO_ANSWER,
    )
    touch_claim(claim, at=call.happened_at)


def _end_screening(
    call: ScreeningCall, claim: Claim, *, by, help_request: HelpRequest | None, now: datetime
) -> None:
    """A call that reached the candidate answers their signup, moves their stage by its
    outcome, ends the claim and records the follow-up email."""
    candidate = call.candidate
    if help_request:
        resolve_request(help_request=help_request, at=max(call.happened_at, help_request.opened_at))
    conclude_claim(
        claim,
        candidate=candidate,
        to=OUTCOME_STAGE[call.outcome],
        reason=f"Screening call: {ScreeningCall.Outcome(call.outcome).label}",
        release_reason=Claim.ReleaseReason.COMPLETED,
        by=by,
        at=now,
    )
    outbox.record(
        key=f"screening:followup:{call.pk}",
        **candidate.recipient,
        template=f"screening_{call.outcome}",
        context={"name": candidate.greeting_name},
        ref=candidate.ref,
    )


# --- Editing a call log --------------------------------------------------------------


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
    if any(field in previous for field in NEXT_STEP_FIELDS):
        follow_through(call=locked, by=by)
    for field in [*previous, "updated_at"]:
        setattr(call, field, getattr(locked, field))
    return revision
