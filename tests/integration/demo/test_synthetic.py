import io
from itertools import groupby, pairwise

import pytest
from django.db.models import Count, F
from django.utils import timezone

from candidates.models import ALLOWED_MOVES, Candidate, HelpRequest, StageChange
from candidates.services.pipeline import recount_history
from mentors.models import Mentor, Mentorship, StateLead
from rfs.demo import synthetic
from screening.models import Claim, ScreeningCall


@pytest.mark.django_db
def test_generates_a_consistent_organisation_and_tops_up_without_duplicating():
    out = io.StringIO()
    summary = synthetic.generate(n=300, stdout=out)
    assert summary.candidates == 300
    assert Candidate.objects.count() == 300
    assert "added 300 candidates" in out.getvalue()

    # Every history starts with the signup and follows the pipeline's allowed moves, and the
    # candidate's stage is where the history ends.
    changes = StageChange.objects.order_by("candidate_id", "at", "pk").values_list(
        "candidate_id", "from_stage", "to_stage"
    )
    stages = dict(Candidate.objects.values_list("pk", "stage"))
    for candidate_id, moves in groupby(changes, key=lambda row: row[0]):
        moves = list(moves)
        assert moves[0][1:] == ("", "signed_up")
        for (_, _, reached), (_, left, to) in pairwise(moves):
            assert left == reached
            assert to in ALLOWED_MOVES[left]
        assert stages[candidate_id] == moves[-1][2]
    # The stays and the daily counts are kept as the pipeline keeps them.
    assert recount_history() == {"rows": 0, "days": 0}

    # The rest of the organisation is there too, and consistent with the stages.
    assert ScreeningCall.objects.exists()
    assert Mentor.objects.exists() and Mentorship.objects.exists()
    assert 0 < StateLead.objects.filter(ended_at__isnull=True).count() <= 26
    assert HelpRequest.objects.filter(kind="first_contact").count() == 300
    assert not Claim.objects.open().exclude(candidate__stage="screening").exists()
    assert not Candidate.objects.filter(stage="screening").exclude(owner__isnull=False).exists()
    assert not HelpRequest.objects.filter(first_response_at__lt=F("opened_at")).exists()
    assert not HelpRequest.objects.filter(first_response_at__gt=timezone.now()).exists()

    # A second run adds nothing; a bigger one tops up.
    assert synthetic.generate(n=300).candidates == 0
    assert Candidate.objects.count() == 300
    assert synthetic.generate(n=340).candidates == 40
    assert Candidate.objects.count() == 340
    assert StateLead.objects.filter(ended_at__isnull=True).count() <= 26
    duplicated = Candidate.objects.values("email").annotate(n=Count("pk")).filter(n__gt=1)
    assert not duplicated.exists()
    assert StateLead.objects.filter(ended_at__isnull=True).values("state").distinct().count() == (
        StateLead.objects.filter(ended_at__isnull=True).count()
    )
