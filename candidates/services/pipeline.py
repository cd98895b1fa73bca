from django.db import transaction
from django.utils import timezone

from candidates.models import ALLOWED_MOVES, Candidate, Destination, Stage, StageChange
from candidates.services import destinations


class StageMoveRefused(Exception):
    """The pipeline does not allow this move."""


def can_move(from_stage: str, to_stage: str) -> bool:
    return to_stage in ALLOWED_MOVES.get(from_stage, set())


@transaction.atomic
def move_stage(*, candidate: Candidate, to: str, by=None, reason: str = "", at=None) -> StageChange:
    """Move a candidate to stage `to` if the pipeline allows it, and write the history row.
    Raises StageMoveRefused otherwise."""
    at = at or timezone.now()
    # Lock the row so two concurrent moves cannot both start from the same stage.
    locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if not can_move(locked.stage, to):
        raise StageMoveRefused(
            f"A candidate cannot move from {Stage(locked.stage).label} to {Stage(to).label}."
        )
    change = StageChange.objects.create(
        candidate=locked, from_stage=locked.stage, to_stage=to, by=by, at=at, reason=reason[:500]
    )
    Candidate.objects.filter(pk=locked.pk).update(stage=to, stage_changed_at=at, updated_at=at)
    candidate.stage, candidate.stage_changed_at = to, at
    locked.stage = to
    destinations.record(
        event=Destination.Event.STAGE_CHANGED,
        candidates=[locked],
        at=at,
        extra={"from_stage": change.from_stage, "to_stage": to},
    )
    return change


def record_entry(
    *, candidate: Candidate, by=None, at=None, reason: str = "Signed up"
) -> StageChange:
    """The first history row of a new candidate: entering the pipeline at their current stage."""
    return StageChange.objects.create(
        candidate=candidate,
        from_stage="",
        to_stage=candidate.stage,
        by=by,
        at=at or candidate.created_at or timezone.now(),
        reason=reason,
    )


def record_entries(*, candidates: list[Candidate], at, reason: str, by=None) -> None:
    """record_entry for many new candidates at once, in one INSERT."""
    StageChange.objects.bulk_create(
        StageChange(
            candidate=candidate,
            from_stage="",
            to_stage=candidate.stage,
            by=by,
            at=at,
            reason=reason,
        )
        for candidate in candidates
    )
