import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.services.help_requests import open_request
from tests.factories.candidates import CandidateFactory

pytestmark = pytest.mark.django_db


def test_long_overdue_requests_count_late_days_not_hours(client_for, staff):
    # A question is due after 48 hours: opened 12 days ago, it is 10 days late.
    open_request(
        candidate=CandidateFactory(first_name="Lena"),
        kind="question",
        at=timezone.now() - timedelta(days=12),
    )

    body = client_for(staff).get(reverse("candidates:requests")).content.decode()

    assert "Late by" in body
    assert re.search(r">\s*10 days\s*<", body)
    assert not re.search(r">\s*240\s*<", body)  # not in hours
