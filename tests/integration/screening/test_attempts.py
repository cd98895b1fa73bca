from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates import request_kinds
from candidates.models import HelpRequest, Stage
from rfs.notify.models import Notification
from screening.models import Claim, ContactAttempt
from screening.services import claims, contact
from tests.factories.screening import waiting_candidate
from tests.support.outbox import delivered

pytestmark = pytest.mark.django_db


@pytest.fixture
def claimed(screener):
    candidate = waiting_candidate(signed_up_ago=timedelta(days=10))
    claims.claim_candidate(candidate=candidate, screener=screener)
    return candidate


def _first_contact(candidate) -> HelpRequest:
    return HelpRequest.objects.get(candidate=candidate, kind=request_kinds.FIRST_CONTACT)


def test_first_attempt_is_the_first_response_to_the_signup(client_for, screener, claimed):
    request = _first_contact(claimed)
    assert request.first_response_at is None

    response = client_for(screener).post(
        reverse("screening:attempt", args=[claimed.uuid]), {"kind": "no_answer"}
    )

    assert response.status_code == 302
    attempt = ContactAttempt.objects.get(candidate=claimed)
    request.refresh_from_db()
    assert request.first_response_at == attempt.at
    # The signup waited from its opening to the first attempt: that is its response time.
    assert request.first_response_at - request.opened_at > timedelta(days=9)
    assert request.status == HelpRequest.Status.OPEN  # resolved when a call is logged
    assert Claim.objects.get(candidate=claimed).last_contact_at == attempt.at


def test_later_attempts_leave_the_first_response_time_alone(screener, claimed):
    first = contact.log_attempt(
        candidate=claimed,
        by=screener,
        kind=ContactAttempt.Kind.EMAILED,
        at=timezone.now() - timedelta(days=2),
    )
    contact.log_attempt(candidate=claimed, by=screener, kind=ContactAttempt.Kind.VOICEMAIL)

    assert _first_contact(claimed).first_response_at == first.at


def test_an_attempt_in_the_future_is_refused_beside_the_field(client_for, screener, claimed):
    later = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(screener).post(
        reverse("screening:attempt", args=[claimed.uuid]), {"kind": "no_answer", "at": later}
    )

    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()
    assert not ContactAttempt.objects.exists()


def _attempts(candidate, screener, days_ago: list[float], kind=ContactAttempt.Kind.NO_ANSWER):
    for days in days_ago:
        contact.log_attempt(
            candidate=candidate,
            by=screener,
            kind=kind,
            at=timezone.now() - timedelta(days=days),
        )


def test_unresponsive_needs_three_failed_attempts(client_for, screener, claimed):
    _attempts(claimed, screener, [8, 1])

    response = client_for(screener).post(
        reverse("screening:unresponsive", args=[claimed.uuid]), follow=True
    )

    assert "3 failed attempts are needed first (2 so far)" in response.content.decode()
    claimed.refresh_from_db()
    assert claimed.stage == Stage.SCREENING


def test_unresponsive_needs_the_attempts_spread_over_five_days(screener, claimed):
    _attempts(claimed, screener, [3, 2, 0.5])

    check = contact.unresponsive_check(candidate=claimed)

    assert not check.allowed
    assert "at least 5 days" in check.message


def test_an_answered_call_starts_the_count_again(screener, claimed):
    _attempts(claimed, screener, [9, 8, 7])
    _attempts(claimed, screener, [6], kind=ContactAttempt.Kind.ANSWERED)
    _attempts(claimed, screener, [5, 1])

    assert contact.unresponsive_check(candidate=claimed).failed_attempts == 2


def test_unresponsive_after_three_failures_over_five_days_sends_a_kind_email(
    client_for, screener, claimed
):
    _attempts(claimed, screener, [6, 3, 0.1])

    response = client_for(screener).post(reverse("screening:unresponsive", args=[claimed.uuid]))

    assert response.url == reverse("screening:mine")
    claimed.refresh_from_db()
    assert claimed.stage == Stage.UNRESPONSIVE and claimed.owner is None
    claim = Claim.objects.get(candidate=claimed)
    assert claim.release_reason == Claim.ReleaseReason.UNRESPONSIVE
    email = Notification.objects.get(ref=claimed.ref)
    assert email.key == f"screening:unresponsive:{claim.pk}"
    assert email.to_email == claimed.email
    assert "reply" in delivered(email).body
    assert _first_contact(claimed).status == HelpRequest.Status.RESOLVED
    # Asking again changes nothing and sends nothing more.
    again = client_for(screener).post(reverse("screening:unresponsive", args=[claimed.uuid]))
    assert again.status_code == 404
    assert Notification.objects.count() == 1


def test_the_candidate_page_runs_a_fixed_number_of_queries(
    client_for, screener, claimed, django_assert_num_queries
):
    _attempts(claimed, screener, [3, 2])
    client = client_for(screener)
    url = reverse("screening:candidate", args=[claimed.uuid])
    client.get(url)
    # user, onboarding done, candidate, claim, attempts, booked call, calls, and the
    # unresponsive check (2)
    with django_assert_num_queries(9):
        client.get(url)
    _attempts(claimed, screener, [1, 0.5, 0.1])
    with django_assert_num_queries(9):
        client.get(url)
