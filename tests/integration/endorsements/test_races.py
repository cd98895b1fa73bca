"""Filing and results move the candidate's stage through the candidates app's move_stage
(every move leaves a history row); a result ends the candidacy, not the person's path."""

import pytest

from candidates.models import Stage, StageChange
from endorsements.models import Candidacy
from endorsements.services import races
from tests.factories.endorsements import CandidacyFactory, ElectionFactory

pytestmark = pytest.mark.django_db


def _history(candidate) -> list[tuple[str, str]]:
    return list(
        StageChange.objects.filter(candidate=candidate).values_list("from_stage", "to_stage")
    )[1:]


def test_qualifying_puts_the_candidate_on_the_ballot(staff):
    candidacy = CandidacyFactory(status=Candidacy.Status.FILED, candidate__stage=Stage.ACTIVE)
    races.update_candidacy(candidacy=candidacy, changes={"status": "qualified"}, by=staff)
    candidate = candidacy.candidate
    candidate.refresh_from_db()
    assert candidate.stage == Stage.ON_BALLOT
    assert _history(candidate) == [(Stage.ACTIVE, Stage.ON_BALLOT)]
    assert StageChange.objects.filter(candidate=candidate).latest("at").by == staff


def test_an_endorsed_candidate_who_qualifies_stays_endorsed(staff):
    candidacy = CandidacyFactory(status=Candidacy.Status.FILED, candidate__stage=Stage.ENDORSED)
    races.update_candidacy(candidacy=candidacy, changes={"status": "qualified"}, by=staff)
    candidacy.candidate.refresh_from_db()
    assert candidacy.candidate.stage == Stage.ENDORSED


def test_withdrawing_from_the_only_race_leaves_the_person_active(staff):
    candidacy = CandidacyFactory(candidate__stage=Stage.ON_BALLOT)
    races.update_candidacy(candidacy=candidacy, changes={"status": "withdrawn"}, by=staff)
    candidacy.candidate.refresh_from_db()
    assert candidacy.candidate.stage == Stage.ACTIVE


def test_a_primary_advanced_keeps_the_stage_then_the_general_is_won_and_run_again(staff):
    candidacy = CandidacyFactory(candidate__stage=Stage.ENDORSED)
    candidate = candidacy.candidate
    races.record_result(candidacy=candidacy, result="advanced", by=staff)
    candidate.refresh_from_db()
    assert candidate.stage == Stage.ENDORSED
    general = CandidacyFactory(candidate=candidate, election=ElectionFactory(kind="general"))
    races.record_result(candidacy=general, result="won", vote_share="53.20", by=staff)
    candidate.refresh_from_db()
    assert candidate.stage == Stage.WON
    # A higher office next cycle: the path goes on from won.
    higher = CandidacyFactory(candidate=candidate, status="filed")
    races.update_candidacy(candidacy=higher, changes={"status": "qualified"}, by=staff)
    candidate.refresh_from_db()
    assert candidate.stage == Stage.ON_BALLOT
    assert _history(candidate)[-2:] == [
        (Stage.ENDORSED, Stage.WON),
        (Stage.WON, Stage.ON_BALLOT),
    ]


def test_a_result_for_someone_never_put_on_the_ballot_passes_through_it(staff):
    candidacy = CandidacyFactory(candidate__stage=Stage.ACTIVE)
    races.record_result(candidacy=candidacy, result="lost", by=staff)
    assert _history(candidacy.candidate) == [
        (Stage.ACTIVE, Stage.ON_BALLOT),
        (Stage.ON_BALLOT, Stage.LOST),
    ]


def test_an_exited_candidate_is_not_moved(staff):
    candidacy = CandidacyFactory(candidate__stage=Stage.WITHDRAWN)
    races.record_result(candidacy=candidacy, result="won", by=staff)
    candidacy.candidate.refresh_from_db()
    assert candidacy.candidate.stage == Stage.WITHDRAWN
    assert _history(candidacy.candidate) == []
