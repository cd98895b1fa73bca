import io
from itertools import pairwise

import pytest

from candidates import demo
from candidates.models import (
    ALLOWED_MOVES,
    Candidate,
    HelpRequest,
    Note,
    OfficeLevel,
    Stage,
    StageChange,
    Submission,
)
from rfs.demo.logins import seed_users


@pytest.fixture
def seeded(db):
    seed_users()
    demo.seed(stdout=io.StringIO())


def test_demo_candidates_span_states_stages_and_levels_with_valid_histories(seeded):
    people = Candidate.objects.filter(email__endswith=f"@{demo.DOMAIN}")
    assert people.count() == demo.COUNT
    assert people.values("state").distinct().count() >= 15
    assert set(people.values_list("stage", flat=True)) == set(Stage.values)
    assert set(people.values_list("office_level", flat=True)) == set(OfficeLevel.values)

    # Every history walks the pipeline by its rules, in time order, to the current stage.
    for candidate in people.prefetch_related("stage_changes"):
        changes = list(candidate.stage_changes.all())
        assert changes[0].from_stage == ""
        assert changes[0].at == candidate.created_at
        for before, after in pairwise(changes):
            assert after.from_stage == before.to_stage
            assert after.to_stage in ALLOWED_MOVES[before.to_stage]
            assert after.at >= before.at
        assert changes[-1].to_stage == candidate.stage
        assert changes[-1].at == candidate.stage_changed_at

    # First-contact requests: answered for everyone past signed up, some answered before.
    requests = HelpRequest.objects.filter(kind=HelpRequest.Kind.FIRST_CONTACT)
    assert requests.count() == demo.COUNT
    assert not (
        requests.exclude(candidate__stage=Stage.SIGNED_UP)
        .filter(first_response_at__isnull=True)
        .exists()
    )
    signed_up = requests.filter(candidate__stage=Stage.SIGNED_UP)
    assert signed_up.filter(first_response_at__isnull=False).exists()
    assert signed_up.filter(first_response_at__isnull=True).exists()
    assert Submission.objects.filter(candidate__in=people).count() == demo.COUNT
    assert Note.objects.filter(candidate__in=people).exists()


def test_a_second_run_adds_nothing(seeded):
    counts = (Candidate.objects.count(), StageChange.objects.count(), Note.objects.count())
    out = io.StringIO()
    demo.seed(stdout=out)
    assert (Candidate.objects.count(), StageChange.objects.count(), Note.objects.count()) == counts
    assert "already there" in out.getvalue()
