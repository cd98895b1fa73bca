from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.models import Stage
from screening.models import RUBRIC, ContactAttempt, ScreeningCall
from screening.services import booking, calls, claims, contact
from tests.factories.screening import waiting_candidate

pytestmark = pytest.mark.django_db

DEMOGRAPHICS = {
    "gender": "Genderqueer",
    "race_ethnicity": "Pacific Islander",
    "birth_year": 1987,
}


@pytest.fixture
def held_by_other(other_screener):
    """A candidate another screener holds, with a logged call."""
    candidate = waiting_candidate(**DEMOGRAPHICS)
    claims.claim_candidate(candidate=candidate, screener=other_screener)
    contact.log_attempt(candidate=candidate, by=other_screener, kind="no_answer")
    return candidate


def _call(screener, candidate) -> ScreeningCall:
    call, _ = calls.log_call(
        candidate=candidate,
        by=screener,
        happened_at=timezone.now() - timedelta(minutes=30),
        duration_minutes=25,
        outcome=ScreeningCall.Outcome.NO_CONTACT,
        scores={},
        next_step=ScreeningCall.NextStep.NONE,
        notes="Private words",
    )
    return call


def test_a_screener_cannot_see_or_work_another_screeners_candidate(
    client_for, screener, other_screener, held_by_other
):
    client = client_for(screener)
    uuid = held_by_other.uuid
    booked = booking.schedule_call(
        candidate=held_by_other, by=other_screener, starts_at=timezone.now() + timedelta(days=2)
    )
    claim = held_by_other.claims.get()
    call = _call(other_screener, held_by_other)

    assert client.get(reverse("screening:candidate", args=[uuid])).status_code == 404
    assert (
        client.post(reverse("screening:attempt", args=[uuid]), {"kind": "emailed"}).status_code
        == 404
    )
    assert (
        client.post(
            reverse("screening:schedule", args=[uuid]),
            {"starts_local": "2030-01-01T10:00", "zone": "candidate"},
        ).status_code
        == 404
    )
    assert client.get(reverse("screening:log_call", args=[uuid])).status_code == 404
    assert client.post(reverse("screening:unresponsive", args=[uuid])).status_code == 404
    assert client.post(reverse("screening:release", args=[claim.uuid])).status_code == 404
    assert client.post(reverse("screening:cancel_scheduled", args=[booked.uuid])).status_code == 404
    assert client.get(reverse("screening:call", args=[call.uuid])).status_code == 404
    assert (
        client.post(
            reverse("screening:call_edit", args=[call.uuid]), {"notes": "mine now"}
        ).status_code
        == 404
    )
    assert ContactAttempt.objects.filter(screener=screener).count() == 0
    call.refresh_from_db()
    assert call.notes == "Private words"
    held_by_other.refresh_from_db()
    assert held_by_other.owner == other_screener


def test_the_holder_sees_contact_details_but_never_demographics(
    client_for, other_screener, held_by_other
):
    page = client_for(other_screener).get(reverse("screening:candidate", args=[held_by_other.uuid]))

    html = page.content.decode()
    assert page.status_code == 200
    assert held_by_other.email in html and held_by_other.last_name in html
    assert held_by_other.phone.as_national in html
    for value in DEMOGRAPHICS.values():
        assert str(value) not in html


def test_no_screening_page_shows_demographics_to_a_screener(
    client_for, other_screener, held_by_other
):
    call = _call(other_screener, held_by_other)
    client = client_for(other_screener)
    pages = [
        reverse("screening:queue"),
        reverse("screening:mine"),
        reverse("screening:candidate", args=[held_by_other.uuid]),
        reverse("screening:log_call", args=[held_by_other.uuid]),
        reverse("screening:call", args=[call.uuid]),
        reverse("screening:call_edit", args=[call.uuid]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        for value in DEMOGRAPHICS.values():
            assert str(value) not in html, url


@pytest.mark.parametrize(
    "name",
    ["screening:queue", "screening:mine"],
)
def test_a_mentor_or_a_candidate_cannot_use_the_queue(client_for, mentor, outsider, name):
    for user in (mentor, outsider):
        assert client_for(user).get(reverse(name)).status_code == 403


def test_a_mentor_cannot_claim(client_for, mentor):
    candidate = waiting_candidate()
    client = client_for(mentor)
    assert client.post(reverse("screening:claim_next")).status_code == 403
    assert client.post(reverse("screening:claim", args=[candidate.uuid])).status_code == 403
    candidate.refresh_from_db()
    assert candidate.stage == Stage.SIGNED_UP


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("screening:queue"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("name", ["screening:calls", "screening:calls_export", "screening:hours"])
def test_oversight_pages_are_for_staff_only(client_for, screener, mentor, staff, name):
    assert client_for(screener).get(reverse(name)).status_code == 403
    assert client_for(mentor).get(reverse(name)).status_code == 403
    assert client_for(staff).get(reverse(name)).status_code == 200


def test_the_staff_panel_is_for_staff_only(client_for, screener, staff, held_by_other):
    url = reverse("screening:panel", args=[held_by_other.uuid])
    assert client_for(screener).get(url).status_code == 403
    html = client_for(staff).get(url).content.decode()
    assert "Carol Screener" in html and "Called - no answer" in html


def test_staff_see_any_candidate_and_can_release_any_claim(
    client_for, staff, other_screener, held_by_other
):
    client = client_for(staff)
    page = client.get(reverse("screening:candidate", args=[held_by_other.uuid]))
    assert page.status_code == 200 and held_by_other.email in page.content.decode()

    claim = held_by_other.claims.get()
    client.post(reverse("screening:release", args=[claim.uuid]))

    claim.refresh_from_db()
    assert claim.release_reason == claim.ReleaseReason.RELEASED_BY_STAFF


def test_the_rubric_descriptions_belong_to_five_criteria():
    assert [c.label for c in RUBRIC] == [
        "Motivation and values",
        "Ties to the community",
        "Time and readiness",
        "Viability of the race",
        "Openness to coaching",
    ]
    assert all(sorted(c.levels) == [1, 2, 3, 4, 5] for c in RUBRIC)
