"""The dashboard's follow-through: next steps acted on in time, per week and screener, the
list of those that were not, and training registrations and attendance."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.models import HelpRequest
from candidates.services.help_requests import resolve_request
from screening.models import FollowUp, ScreeningCall
from screening.services import calls, claims
from tests.factories.screening import waiting_candidate
from tests.factories.trainings import SessionFactory
from trainings import services as trainings

pytestmark = pytest.mark.django_db
SCORES = dict.fromkeys(
    ["score_motivation", "score_community", "score_readiness", "score_viability", "score_openness"],
    4,
)


def log(screener, step, **details):
    candidate = waiting_candidate()
    claims.claim_candidate(candidate=candidate, screener=screener)
    call, _ = calls.log_call(
        candidate=candidate,
        by=screener,
        happened_at=timezone.now() - timedelta(hours=1),
        duration_minutes=30,
        outcome=ScreeningCall.Outcome.ADVANCE,
        scores=SCORES,
        next_step=step,
        **details,
    )
    return call


def test_the_share_acted_on_in_time_links_to_the_ones_that_were_not(client_for, staff, screener):
    in_time = log(screener, ScreeningCall.NextStep.STAFF, next_step_note="Answered")
    resolve_request(help_request=in_time.follow_up.help_request, by=staff)
    late = log(screener, ScreeningCall.NextStep.MENTOR, next_step_note="Forgotten")
    FollowUp.objects.filter(call=late).update(due_at=timezone.now() - timedelta(minutes=5))
    HelpRequest.objects.filter(pk=late.follow_up.help_request_id).update(
        opened_at=timezone.now() - timedelta(days=4), due_at=timezone.now() - timedelta(minutes=5)
    )
    session = SessionFactory(starts_at=timezone.now() + timedelta(days=1))
    invited = log(screener, ScreeningCall.NextStep.TRAINING, training_uuid=session.training.uuid)
    client = client_for(staff)

    page = client.get(reverse("dashboard:index"), {"period": "7"}).content.decode()

    # Three decided: the answered request, the late one, the invitation sent at once.
    assert "67% of 3" in page
    assert "Bob Screener" in page
    missed = client.get(
        reverse("dashboard:follow_through"),
        {"period": "7", "screener": screener.pk},
    ).content.decode()
    assert missed.count("missed-row") == 1
    assert late.candidate.display_name in missed
    assert invited.candidate.display_name not in missed


def test_training_registrations_and_attendance_in_the_period(client_for, staff):
    session = SessionFactory(starts_at=timezone.now() + timedelta(days=2), capacity=1)
    first = trainings.register(session=session, candidate=waiting_candidate())
    trainings.register(session=session, candidate=waiting_candidate())
    trainings.mark_attendance(registration=first, attended=True)
    today = timezone.localdate()
    page = client_for(staff).get(
        reverse("dashboard:index"),
        {
            "period": "custom",
            "start": today.isoformat(),
            "end": (today + timedelta(days=3)).isoformat(),
        },
    )
    html = page.content.decode()
    row = html[html.index(session.training.topic) :][:400]
    assert [cell in row for cell in ("<td>1</td>",)] == [True]
