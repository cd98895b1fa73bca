import io

import pytest

from candidates.models import HelpRequest, Stage
from mentors import demo
from mentors.models import Mentor, Mentorship, StateLead
from rfs.demo.logins import seed_users
from tests.factories.candidates import CandidateFactory

pytestmark = pytest.mark.django_db


def test_demo_mentors_are_seeded_once_and_fit_the_rules():
    seed_users()
    for n in range(8):
        CandidateFactory(stage=Stage.ACTIVE if n % 2 else Stage.SCREENED, state="PA")
    CandidateFactory(stage=Stage.SIGNED_UP)

    demo.seed(stdout=io.StringIO())
    counts = (
        Mentor.objects.count(),
        StateLead.objects.count(),
        Mentorship.objects.count(),
        HelpRequest.objects.count(),
    )
    out = io.StringIO()
    demo.seed(stdout=out)

    assert "already there" in out.getvalue()
    assert counts == (
        Mentor.objects.count(),
        StateLead.objects.count(),
        Mentorship.objects.count(),
        HelpRequest.objects.count(),
    )
    assert Mentor.objects.count() == 40
    known = {
        state for states in Mentor.objects.values_list("states", flat=True) for state in states
    }
    assert 28 <= len(known) <= 32
    led = set(StateLead.objects.active().values_list("state", flat=True))
    assert led < known  # some known states have no lead
    demo_mentor = Mentor.objects.get(email="mentor@example.org")
    assert demo_mentor.user.email == "mentor@example.org"
    assert Mentorship.objects.filter(mentor=demo_mentor).exists()
    # Only candidates past screening have mentors, never over a mentor's capacity.
    assert not Mentorship.objects.exclude(
        candidate__stage__in=[s.value for s in demo.ADVANCED]
    ).exists()
    for mentor in Mentor.objects.with_load():
        assert mentor.load <= mentor.capacity
    assert HelpRequest.objects.filter(kind="mentor_intro").count() == Mentorship.objects.count()


def test_demo_without_candidates_gives_mentors_only():
    demo.seed(stdout=io.StringIO())
    assert Mentor.objects.count() == 39
    assert not Mentorship.objects.exists()
