import io

import pytest
from django.db.models import Count, Q

from candidates import demo as candidate_demo
from candidates.models import Candidate, Stage
from rfs.accounts.models import User
from rfs.demo.logins import DEMO_PASSWORD, seed_users
from screening import demo
from screening.models import Claim, ContactAttempt, ScreeningCall

pytestmark = pytest.mark.django_db


def test_demo_screening_matches_each_candidates_stage_and_is_seeded_once():
    # The demo candidates are a few hundred people: seeded once for every check here.
    seed_users()
    candidate_demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())

    for email, _ in demo.DEMO_SCREENERS:
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)
    screening = Candidate.objects.filter(stage=Stage.SCREENING)
    assert screening.exists()
    for candidate in screening:
        claim = Claim.objects.open().get(candidate=candidate)
        assert candidate.owner_id == claim.screener_id
        assert claim.last_contact_at is not None  # nothing the expiry sweep would release
    assert Claim.objects.open().filter(screener__email="screener@example.org").exists()

    # Everyone past screening had a call that advanced them.
    past = Candidate.objects.filter(
        stage__in=[Stage.SCREENED, Stage.ACTIVE, Stage.ON_BALLOT, Stage.WON, Stage.LOST]
    )
    assert past.exists()
    assert not past.exclude(screening_calls__outcome=ScreeningCall.Outcome.ADVANCE).exists()
    # Nobody waiting or claimed has a call with an outcome.
    assert not ScreeningCall.objects.filter(
        candidate__stage__in=[Stage.SIGNED_UP, Stage.SCREENING]
    ).exists()
    # Unresponsive people were tried three times, over at least five days.
    unresponsive = Candidate.objects.filter(stage=Stage.UNRESPONSIVE).annotate(
        failed=Count(
            "contact_attempts",
            filter=Q(contact_attempts__kind__in=ContactAttempt.FAILED_KINDS),
        )
    )
    assert unresponsive.exists() and all(c.failed >= 3 for c in unresponsive)
    assert (
        not Candidate.objects.filter(stage=Stage.SIGNED_UP, claims__released_at=None)
        .filter(claims__isnull=False)
        .exists()
    )

    counts = (
        Claim.objects.count(),
        ContactAttempt.objects.count(),
        ScreeningCall.objects.count(),
        User.objects.count(),
    )
    demo.seed(stdout=io.StringIO())
    assert counts == (
        Claim.objects.count(),
        ContactAttempt.objects.count(),
        ScreeningCall.objects.count(),
        User.objects.count(),
    )
