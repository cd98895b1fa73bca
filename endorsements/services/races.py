"""Candidacies, and the pipeline stages their filing, endorsement and result set: always
through candidates.services.pipeline.move_stage."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from candidates.models import Candidate, Stage
from candidates.services.pipeline import can_move, move_stage
from endorsements.models import Candidacy, Election, Office
from endorsements.services import public

# A candidate on their way to a race who is not yet on the ballot.
BEFORE_THE_BALLOT = {Stage.ACTIVE, Stage.WON, Stage.LOST}


def move_if_allowed(*, candidate: Candidate, to: str, by, reason: str, at=None) -> bool:
    """Move the candidate to `to` when the pipeline allows it from where they are; a race's
    record never fails because the person's stage is elsewhere (exited, say)."""
    locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if locked.stage == to or not can_move(locked.stage, to):
        return False
    move_stage(candidate=candidate, to=to, by=by, reason=reason, at=at)
    return True


@transaction.atomic
def find_or_add_candidacy(
    *, candidate: Candidate, office: Office, election: Election, details: dict, by=None
) -> Candidacy:
    """The candidate's candidacy for this office in this election, added if new; `details`
    (status, incumbent, committee_id, has_opponent) update it as update_candidacy does."""
    candidacy, _ = Candidacy.objects.get_or_create(
        candidate=candidate, office=office, election=election
    )
    return update_candidacy(candidacy=candidacy, changes=details, by=by)


@transaction.atomic
def update_candidacy(*, candidacy: Candidacy, changes: dict, by=None, at=None) -> Candidacy:
    """Save a candidacy's status and details. Qualifying for the ballot (or running as a
    write-in) moves the candidate on the ballot; withdrawing from their only live race
    moves them back to active."""
    at = at or timezone.now()
    locked = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save()
    candidate = locked.candidate
    if locked.on_ballot and candidate.stage in BEFORE_THE_BALLOT:
        move_if_allowed(
            candidate=candidate,
            to=Stage.ON_BALLOT,
            by=by,
            reason=f"On the ballot: {locked.office}",
            at=at,
        )
    elif locked.status == Candidacy.Status.WITHDRAWN and not _live_elsewhere(locked):
        move_if_allowed(
            candidate=candidate, to=Stage.ACTIVE, by=by, reason=f"Withdrew: {locked.office}", at=at
        )
    public.changed()
    candidacy.refresh_from_db()
    return candidacy


def _live_elsewhere(candidacy: Candidacy) -> bool:
    return (
        Candidacy.objects.filter(candidate=candidacy.candidate_id, result="")
        .exclude(pk=candidacy.pk)
        .exclude(status=Candidacy.Status.WITHDRAWN)
        .exists()
    )


@transaction.atomic
def record_result(
    *, candidacy: Candidacy, result: str, vote_share=None, by=None, at: datetime | None = None
) -> Candidacy:
    """Record an election's result. It ends the candidacy, not the person's path: won or
    lost moves their stage (advancing from a primary leaves it as it is)."""
    at = at or timezone.now()
    locked = Candidacy.objects.select_for_update().select_related("office").get(pk=candidacy.pk)
    locked.result, locked.vote_share = result, vote_share
    locked.save(update_fields=["result", "vote_share", "updated_at"])
    if result in (Candidacy.Result.WON, Candidacy.Result.LOST):
        to = Stage.WON if result == Candidacy.Result.WON else Stage.LOST
        reason = f"{locked.get_result_display()}: {locked.office}"
        candidate = locked.candidate
        # Never put on the ballot, yet a result: they were on it.
        if not can_move(candidate.stage, to) and candidate.stage in BEFORE_THE_BALLOT:
            move_if_allowed(candidate=candidate, to=Stage.ON_BALLOT, by=by, reason=reason, at=at)
        move_if_allowed(candidate=candidate, to=to, by=by, reason=reason, at=at)
    public.changed()
    candidacy.refresh_from_db()
    return candidacy
