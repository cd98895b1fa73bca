import pytest

from candidates.models import Stage, StageChange
from tests.factories.candidates import CandidateFactory


@pytest.mark.django_db
def test_factory_makes_a_valid_candidate_with_its_entry_in_history():
    candidate = CandidateFactory()
    candidate.full_clean()
    change = StageChange.objects.get(candidate=candidate)
    assert (change.from_stage, change.to_stage) == ("", Stage.SIGNED_UP)


@pytest.mark.django_db
def test_factory_candidates_have_distinct_email_and_phone():
    first, second = CandidateFactory.create_batch(2)
    assert first.email != second.email
    assert first.phone != second.phone
    assert first.phone.is_valid()
