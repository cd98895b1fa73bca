"""Claims on the queue: claiming the next candidate or a chosen one, ending a claim (by hand,
by an outcome, or by the beat sweep that expires claims left without contact)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate, Stage
from candidates.services.pipeline import StageMoveRefused, move_stage
from rfs.accounts.models import Role, User
from rfs.notify import services as outbox
from screening.models import (
    Claim,
    FollowUp,
    ScheduledCall,
    ScreeningCall,
    awaiting_contact,
    queue_for,
)
from screening.services.booking import cancel_booked
from screening.services.guards import ScreeningError, require_worker


def _within_caps(screener, now: datetime) -> None:
    """A volunteer holds only so many people at once, and claims only so many a day, so
    nobody can collect the queue's contact details. Staff are not capped."""
    if screener.has_role(Role.STAFF):
        return
    # One claim of this screener at a time, so two claims at once cannot both pass the cap.
    User.objects.select_for_update().filter(pk=screener.pk).first()
    mine = Claim.objects.filter(screener=screener)
    if mine.open().count() >= settings.RFS_OPEN_CLAIMS_MAX:
        raise ScreeningError(
            f"You hold {settings.RFS_OPEN_CLAIMS_MAX} candidates already: log a call or release "
            "someone before you claim more."
        )
    if mine.filter(claimed_at__gte=now - timedelta(days=1)).count() >= (
        settings.RFS_CLAIMS_PER_DAY
    ):
        raise ScreeningError(
            f"You have claimed {settings.RFS_CLAIMS_PER_DAY} candidates in the last day: "
            "thank you! Claim more tomorrow."
        )


def _claim(candidate: Candidate, screener) -> Claim:
    if Candidate.objects.of_person(screener).filter(pk=candidate.pk).exists():
        raise ScreeningError(
            "This is your own signup: another volunteer will screen you. Claim someone else."
        )
    now = timezone.now()
    _within_caps(screener, now)
    try:
        with transaction.atomic():
            claim = Claim.objects.create(candidate=candidate, screener=screener, claimed_at=now)
    except IntegrityError as exc:
        raise ScreeningError("Someone else has just claimed this candidate.") from exc
    move_stage(candidate=candidate, to=Stage.SCREENING, by=screener, reason="Claimed for screening")
    Candidate.objects.filter(pk=candidate.pk).update(owner=screener)
    # Claimed again after a pause: the "try again" next step is acted on.
    FollowUp.objects.filter(
        candidate=candidate,
        step=ScreeningCall.NextStep.TRY_AGAIN,
        done_at__isnull=True,
        back_in_queue_at__lte=now,
    ).update(done_at=now)
    candidate.owner = screener
    return claim


@transaction.atomic
def claim_next(
    *, screener, state: str = "", office_level: str = "", language: str = ""
) -> Claim | None:
    """Claim the first candidate of the screener's queue (within the filters), or None if nobody
    waits. Rows another screener is claiming at this moment are skipped, never shared."""
    require_worker(screener)
    waiting = queue_for(screener)
    if state:
        waiting = waiting.filter(state=state)
    if office_level:
        waiting = waiting.filter(office_level=office_level)
    if language:
        waiting = waiting.filter(language=language)
    candidate = waiting.select_for_update(skip_locked=True).first()
    if candidate is None:
        return None
    return _claim(candidate, screener)


@transaction.atomic
def claim_candidate(*, candidate: Candidate, screener) -> Claim:
    """Claim this candidate if they still wait; ScreeningError if someone else was first."""
    require_worker(screener)
    locked = awaiting_contact().filter(pk=candidate.pk).select_for_update(skip_locked=True).first()
    if locked is None:
        raise ScreeningError("Someone else has just claimed this candidate.")
    claim = _claim(locked, screener)
    candidate.stage, candidate.owner = locked.stage, screener
    return claim


def claim_for(*, candidate: Candidate, screener) -> Claim | None:
    """Give a signed-up candidate nobody holds to this screener (they asked to talk again),
    within the screener's caps; None if someone holds them or the caps say no."""
    locked = (
        Candidate.objects.select_for_update()
        .filter(pk=candidate.pk, stage=Stage.SIGNED_UP)
        .exclude(Exists(Claim.objects.open().filter(candidate=OuterRef("pk"))))
        .first()
    )
    if locked is None:
        return None
    try:
        with transaction.atomic():
            return _claim(locked, screener)
    except ScreeningError:
        return None


def touch_claim(claim: Claim, *, at: datetime) -> None:
    """Note a contact made at `at` on the claim: a claim with contact logged does not expire."""
    latest = max(claim.last_contact_at or at, at)
    Claim.objects.filter(pk=claim.pk).update(last_contact_at=latest)
    claim.last_contact_at = latest


def end_claim(
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
        cancel_booked(scheduled, candidate=candidate, tell_candidate=tell_candidate)


def conclude_claim(
    claim: Claim,
    *,
    candidate: Candidate,
    to: str,
    reason: str,
    release_reason: str,
    by,
    at: datetime,
) -> None:
    """End a locked open claim with the screener's decision: the candidate moves to stage `to`
    (ScreeningError if the pipeline refuses) and does not go back to the queue."""
    try:
        move_stage(candidate=candidate, to=to, by=by, reason=reason, at=at)
    except StageMoveRefused as exc:
        raise ScreeningError(str(exc)) from exc
    end_claim(claim, reason=release_reason, by=by, at=at, back_to_queue=False, tell_candidate=False)


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
    end_claim(
        locked, reason=reason, by=by, at=timezone.now(), back_to_queue=True, tell_candidate=True
    )
    claim.released_at, claim.release_reason = locked.released_at, locked.release_reason
    return True


# --- Expiry ------------------------------------------------------------------------


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
    end_claim(
        claim,
        reason=Claim.ReleaseReason.EXPIRED,
        by=None,
        at=now,
        back_to_queue=True,
        tell_candidate=True,
    )
    _tell_claim_expired(claim)
    return True


def _tell_claim_expired(claim: Claim) -> None:
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


@transaction.atomic
def release_claims_of(*, screener, by) -> int:
    """End every open claim `screener` holds (they stopped volunteering): each candidate goes
    back to the queue at once, and no email tells them. Returns how many."""
    held = list(
        Claim.objects.select_for_update().filter(screener=screener, released_at__isnull=True)
    )
    now = timezone.now()
    for claim in held:
        end_claim(
            claim,
            reason=Claim.ReleaseReason.RELEASED_BY_STAFF,
            by=by,
            at=now,
            back_to_queue=True,
            tell_candidate=False,
        )
    return len(held)
