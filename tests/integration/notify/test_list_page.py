import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rfs.notify.services import record_message

pytestmark = pytest.mark.django_db


def _emails(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        record_message(key=f"list:{i}", to=f"p{i}@example.org", subject=f"Hello {i}", body_text="x")


def test_the_outbox_list_query_count_does_not_grow(client_for, staff, django_assert_num_queries):
    client = client_for(staff)
    _emails(2)
    client.get(reverse("notify:list"))  # the first request of a session writes it
    # The page with a little data; with more below, it must not make one query more.
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notify:list"))
    _emails(8, start=2)
    with django_assert_num_queries(len(few)):
        response = client.get(reverse("notify:list"))
    body = response.content.decode()
    assert all(f"p{i}@example.org" in body for i in range(10))


@pytest.mark.parametrize(
    "query", [{"page": "abc"}, {"page": "-1"}, {"page": "9" * 30}, {"status": "<b>zz</b>"}]
)
def test_bad_list_parameters_show_a_page_not_an_error(client_for, staff, query):
    _emails(1)
    response = client_for(staff).get(reverse("notify:list"), query)
    assert response.status_code == 200
    assert "<b>zz</b>" not in response.content.decode()
