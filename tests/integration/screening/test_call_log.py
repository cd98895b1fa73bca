import uuid
import zoneinfo
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from candidates import request_kinds
from candidates.models import HelpRequest, Need, Stage
from rfs.notify.models import Notification
from screening.models import (
    RUBRIC,
    Claim,
    ContactAttempt,
    ScheduledCall,
    ScreeningCall,
    ScreeningCallRevision,
    awaiting_contact,
)
from screening.services import booking, calls, claims
from tests.factories.screening import waiting_candidate
from tests.support.outbox import delivered, html

pytestmark = pytest.mark.django_db


def local(moment) -> str:
    """A moment as a datetime-local field value in the organisation's zone (the users')."""
    return moment.astimezone(zoneinfo.ZoneInfo(settings.RFS_TIME_ZONE)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def claimed(screener):
    candidate = waiting_candidate(signed_up_ago=timedelta(days=4))
    claims.claim_candidate(candidate=candidate, screener=screener)
    return candidate


def call_form(**changes) -> dict:
    data = {
        "happened_at": local(timezone.now() - timedelta(hours=1)),
        "duration_minutes": "35",
        "outcome": ScreeningCall.Outcome.ADVANCE,
        "score_motivation": "4",
        "score_community": "3",
        "score_readiness": "5",
        "score_viability": "3",
        "score_openness": "4",
        "needs": [Need.FUNDRAISING, Need.TREASURER],
        "notes": "Runs the tenants' union; ready to go.",
        "next_step": ScreeningCall.NextStep.MENTOR,
        "form_token": str(uuid.uuid4()),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _post(client, candidate, data):
    return client.post(reverse("screening:log_call", args=[candidate.uuid]), data)


def test_the_form_shows_what_each_score_means_beside_it(client_for, screener, claimed):
    page = client_for(screener).get(reverse("screening:log_call", args=[claimed.uuid]))
    html = page.content.decode()
    for criterion in RUBRIC:
        assert criterion.label in html
        for text in criterion.levels.values():
            assert text in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"score_readiness": None}, "Score time and readiness from 1 to 5."),
        ({"score_viability": "7"}, "Choose a score from 1 to 5."),
        ({"score_viability": "0"}, "Choose a score from 1 to 5."),
        ({"duration_minutes": "0"}, "The duration must be at least 1 minute."),
        ({"duration_minutes": "-20"}, "The duration must be at least 1 minute."),
        ({"duration_minutes": "600"}, "cannot be more than 300 minutes"),
        ({"duration_minutes": None}, "Enter how many minutes the call took."),
        ({"duration_minutes": "half an hour"}, "whole number of minutes"),
        ({"next_step": None}, "This field is required."),
    ],
)
def test_rubric_and_duration_errors_are_clear_and_keep_what_was_typed(
    client_for, screener, claimed, changes, message
):
    data = call_form(**changes)

    response = _post(client_for(screener), claimed, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Runs the tenants&#x27; union; ready to go." in html  # the notes survive
    assert not ScreeningCall.objects.exists()
    claimed.refresh_from_db()
    assert claimed.stage == Stage.SCREENING


def test_could_not_reach_needs_no_rubric(client_for, screener, claimed):
    data = call_form(outcome=ScreeningCall.Outcome.NO_CONTACT, next_step="none")
    for criterion in RUBRIC:
        data.pop(criterion.field)

    response = _post(client_for(screener), claimed, data)

    call = ScreeningCall.objects.get()
    assert response.url == call.get_absolute_url()
    assert call.total_score is None
    claimed.refresh_from_db()
    # Still being screened, still held: the screener goes on trying.
    assert claimed.stage == Stage.SCREENING and claimed.owner == screener
    assert Claim.objects.get(candidate=claimed).is_open
    attempt = ContactAttempt.objects.get(call=call)
    assert attempt.kind == ContactAttempt.Kind.NO_ANSWER
    assert not Notification.objects.exists()


def test_could_not_reach_and_try_again_gives_them_back_after_a_pause(client_for, screener, claimed):
    data = call_form(outcome=ScreeningCall.Outcome.NO_CONTACT, next_step="try_again")
    for criterion in RUBRIC:
        data.pop(criterion.field)

    _post(client_for(screener), claimed, data)

    claimed.refresh_from_db()
    assert claimed.stage == Stage.SIGNED_UP and claimed.owner is None
    assert Claim.objects.get(candidate=claimed).release_reason == Claim.ReleaseReason.PAUSED
    # Out of the queue until the pause ends (tests/integration/screening/test_next_steps.py).
    assert not awaiting_contact().filter(pk=claimed.pk).exists()


@pytest.mark.parametrize(
    ("outcome", "stage", "template"),
    [
        (ScreeningCall.Outcome.ADVANCE, Stage.SCREENED, "screening_advance"),
        (ScreeningCall.Outcome.NOT_YET, Stage.SIGNED_UP, "screening_not_yet"),
        (ScreeningCall.Outcome.NOT_A_FIT, Stage.NOT_A_FIT, "screening_not_a_fit"),
    ],
)
def test_outcome_moves_the_stage_and_sends_its_follow_up_once_even_if_posted_twice(
    client_for, screener, claimed, outcome, stage, template
):
    client = client_for(screener)
    data = call_form(outcome=outcome)

    first = _post(client, claimed, data)
    second = _post(client, claimed, data)  # the same form, submitted again

    call = ScreeningCall.objects.get()
    assert first.url == second.url == call.get_absolute_url()
    claimed.refresh_from_db()
    assert claimed.stage == stage and claimed.owner is None
    moves = claimed.stage_changes.filter(from_stage=Stage.SCREENING)
    assert list(moves.values_list("to_stage", flat=True)) == [stage]
    email = Notification.objects.get()
    assert (email.template, email.to_email, email.key) == (
        template,
        claimed.email,
        f"screening:followup:{call.pk}",
    )
    # The email never carries the private notes.
    assert "tenants" not in delivered(email).body and "tenants" not in html(delivered(email))
    assert Claim.objects.get(candidate=claimed).release_reason == Claim.ReleaseReason.COMPLETED
    request = HelpRequest.objects.get(candidate=claimed, kind=request_kinds.FIRST_CONTACT)
    assert request.status == HelpRequest.Status.RESOLVED


def test_a_second_log_with_a_fresh_form_after_the_outcome_is_refused(client_for, screener, claimed):
    client = client_for(screener)
    _post(client, claimed, call_form())

    response = client.post(
        reverse("screening:log_call", args=[claimed.uuid]), call_form(), follow=True
    )

    assert response.status_code == 404  # no longer theirs: the claim ended with the outcome
    assert ScreeningCall.objects.count() == 1
    assert Notification.objects.count() == 1


def test_the_service_guards_against_double_logging_by_form_token(screener, claimed):
    token = uuid.uuid4()
    values = dict(
        candidate=claimed,
        by=screener,
        happened_at=timezone.now(),
        duration_minutes=30,
        outcome=ScreeningCall.Outcome.NOT_A_FIT,
        scores={c.field: 2 for c in RUBRIC},
        next_step=ScreeningCall.NextStep.NONE,
        form_token=token,
    )
    call, created = calls.log_call(**values)
    again, created_again = calls.log_call(**values)

    assert created and not created_again and again.pk == call.pk
    assert Notification.objects.count() == 1


def test_a_call_logged_marks_the_booked_call_done(screener, claimed):
    booked = booking.schedule_call(
        candidate=claimed, by=screener, starts_at=timezone.now() + timedelta(days=1)
    )
    call, _ = calls.log_call(
        candidate=claimed,
        by=screener,
        happened_at=timezone.now(),
        duration_minutes=45,
        outcome=ScreeningCall.Outcome.ADVANCE,
        scores={c.field: 4 for c in RUBRIC},
        next_step=ScreeningCall.NextStep.MENTOR,
    )

    booked.refresh_from_db()
    assert booked.status == ScheduledCall.Status.DONE
    assert call.scheduled_call == booked
    assert booking.send_due_reminders(now=booked.starts_at - timedelta(minutes=1)) == 0


def _logged(screener, candidate) -> ScreeningCall:
    call, _ = calls.log_call(
        candidate=candidate,
        by=screener,
        happened_at=timezone.now() - timedelta(hours=2),
        duration_minutes=30,
        outcome=ScreeningCall.Outcome.ADVANCE,
        scores={c.field: 3 for c in RUBRIC},
        next_step=ScreeningCall.NextStep.MENTOR,
        notes="First notes",
    )
    return call


def _edit_form(call, **changes) -> dict:
    data = call_form(
        happened_at=local(call.happened_at),
        duration_minutes="30",
        score_motivation="3",
        score_community="3",
        score_readiness="3",
        score_viability="3",
        score_openness="3",
        needs=[],
        notes="First notes",
        next_step="mentor",
    )
    data.pop("outcome")
    data.pop("form_token")
    data.update(changes)
    return data


def test_a_screener_edits_their_own_call_and_the_history_keeps_what_it_was(
    client_for, screener, claimed
):
    call = _logged(screener, claimed)
    client = client_for(screener)

    response = client.post(
        reverse("screening:call_edit", args=[call.uuid]),
        _edit_form(call, duration_minutes="50", notes="Better notes", score_openness="5"),
    )

    assert response.url == call.get_absolute_url()
    call.refresh_from_db()
    assert (call.duration_minutes, call.notes, call.score_openness) == (50, "Better notes", 5)
    revision = ScreeningCallRevision.objects.get(call=call)
    assert revision.by == screener
    assert revision.previous == {
        "duration_minutes": 30,
        "score_openness": 3,
        "notes": "First notes",
    }
    page = client.get(call.get_absolute_url()).content.decode()
    assert "First notes" in page and "edited by Bob Screener" in page
    # The outcome is not editable: its stage move and email have happened.
    assert call.outcome == ScreeningCall.Outcome.ADVANCE


def test_a_screener_cannot_edit_after_24_hours_but_staff_can(client_for, screener, staff, claimed):
    call = _logged(screener, claimed)
    ScreeningCall.objects.filter(pk=call.pk).update(created_at=timezone.now() - timedelta(hours=25))

    response = client_for(screener).post(
        reverse("screening:call_edit", args=[call.uuid]), _edit_form(call, notes="Late")
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.notes == "First notes"

    client_for(staff).post(
        reverse("screening:call_edit", args=[call.uuid]), _edit_form(call, notes="By staff")
    )
    call.refresh_from_db()
    assert call.notes == "By staff"
    assert ScreeningCallRevision.objects.get(call=call).by == staff


def test_editing_the_time_moves_the_attempt_it_recorded(screener, claimed):
    call = _logged(screener, claimed)
    earlier = call.happened_at - timedelta(hours=3)

    calls.edit_call(call=call, by=screener, changes={"happened_at": earlier})

    assert ContactAttempt.objects.get(call=call).at == earlier
