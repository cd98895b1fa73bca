"""An attempt form posted twice (a double click, a reload) logs one attempt: a doubled
"no answer" would count twice towards moving someone to unresponsive."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from screening.models import ContactAttempt
from screening.services import claims, contact
from tests.factories.screening import waiting_candidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def claimed(screener):
    candidate = waiting_candidate(signed_up_ago=timedelta(days=3))
    claims.claim_candidate(candidate=candidate, screener=screener)
    return candidate


@pytest.mark.parametrize("when", ["", "earlier"])
def test_an_attempt_posted_twice_is_logged_once(client_for, screener, claimed, when):
    at = timezone.localtime() - timedelta(hours=5)
    form = {"kind": "no_answer", "at": at.strftime("%Y-%m-%dT%H:%M") if when else ""}
    client = client_for(screener)
    url = reverse("screening:attempt", args=[claimed.uuid])

    client.post(url, form)
    client.post(url, form)

    assert ContactAttempt.objects.filter(candidate=claimed).count() == 1


def test_attempts_at_different_times_are_each_logged(screener, claimed):
    for hours in (50, 26, 2):
        contact.log_attempt(
            candidate=claimed,
            by=screener,
            kind=ContactAttempt.Kind.NO_ANSWER,
            at=timezone.now() - timedelta(hours=hours),
        )

    assert ContactAttempt.objects.filter(candidate=claimed).count() == 3


def test_a_different_outcome_right_after_is_its_own_attempt(screener, claimed):
    contact.log_attempt(candidate=claimed, by=screener, kind=ContactAttempt.Kind.NO_ANSWER)
    contact.log_attempt(candidate=claimed, by=screener, kind=ContactAttempt.Kind.EMAILED)

    assert ContactAttempt.objects.filter(candidate=claimed).count() == 2
