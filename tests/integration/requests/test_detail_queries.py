import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from candidates.services.help_requests import ask_question, post_reply
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_a_conversation_query_count_does_not_grow(
    client_for, staff, candidate, candidate_user, django_assert_num_queries
):
    request = ask_question(
        candidate=candidate, topic="field", subject="Doors", body="How many?", by=candidate_user
    )
    client = client_for(staff)
    client.get(reverse("candidates:request", args=[request.uuid]))  # the session is written once
    # The page with a little data; with more below, it must not make one query more.
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("candidates:request", args=[request.uuid]))
    for n in range(4):
        post_reply(help_request=request, author=UserFactory(), body=f"Reply {n}")
    with django_assert_num_queries(len(few)):
        response = client.get(reverse("candidates:request", args=[request.uuid]))
    assert response.content.decode().count("Reply ") >= 4
