import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentors.services import make_state_lead
from tests.factories.candidates import CandidateFactory
from tests.factories.mentors import MentorFactory, MentorshipFactory

pytestmark = pytest.mark.django_db


def test_a_mentors_page_query_count_does_not_grow(client_for, staff, django_assert_num_queries):
    mentor = MentorFactory(capacity=10)
    client = client_for(staff)
    MentorshipFactory(mentor=mentor)
    client.get(reverse("mentors:detail", args=[mentor.uuid]))  # the session is written once
    # The page with a little data; with more below, it must not make one query more.
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("mentors:detail", args=[mentor.uuid]))
    for _ in range(4):
        MentorshipFactory(mentor=mentor, candidate=CandidateFactory())
    for state in ("NY", "CA"):
        make_state_lead(mentor=mentor, state=state)
    with django_assert_num_queries(len(few)):
        response = client.get(reverse("mentors:detail", args=[mentor.uuid]))
    assert response.status_code == 200
