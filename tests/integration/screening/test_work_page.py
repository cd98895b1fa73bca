from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from screening.services import claims
from tests.factories.screening import waiting_candidate

pytestmark = pytest.mark.django_db


def test_work_page_shows_the_candidates_own_clock(client_for, screener):
    # 17:00 UTC in January: noon in New York (the organisation), 10 AM in Arizona.
    with time_machine.travel(datetime(2027, 1, 14, 17, 0, tzinfo=UTC), tick=False):
        candidate = waiting_candidate(state="AZ")
        claims.claim_candidate(candidate=candidate, screener=screener)

        page = client_for(screener).get(reverse("screening:candidate", args=[candidate.uuid]))

    text = page.content.decode()
    assert "Thu 10:00 AM MST (America/Phoenix)" in text
    assert "Thu 12:00 PM" not in text  # the organisation's clock
