from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from screening.models import ContactAttempt
from tests.factories.screening import ScreenerFactory, ScreeningCallFactory, waiting_candidate

pytestmark = pytest.mark.django_db


def _work(screeners: int) -> None:
    for _ in range(screeners):
        screener = ScreenerFactory()
        ScreeningCallFactory(screener=screener)
        ContactAttempt.objects.create(
            candidate=waiting_candidate(),
            screener=screener,
            at=timezone.now() - timedelta(hours=2),
            kind=ContactAttempt.Kind.NO_ANSWER,
        )


def test_the_hours_report_query_count_does_not_grow(client_for, staff, django_assert_num_queries):
    client = client_for(staff)
    _work(1)
    client.get(reverse("screening:hours"))  # the first request of a session writes it
    # The page with a little data; with more below, it must not make one query more.
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("screening:hours"))
    _work(4)
    with django_assert_num_queries(len(few)):
        response = client.get(reverse("screening:hours"))
    assert response.status_code == 200
