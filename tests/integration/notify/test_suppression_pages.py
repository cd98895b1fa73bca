"""Staff see the suppression list, search and filter it, and lift a suppression with a note."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rfs.accounts.services import grant_role
from rfs.notify import services
from rfs.notify.models import Suppression

pytestmark = pytest.mark.django_db

Reason = Suppression.Reason


def suppress(email: str, reason: str = Reason.HARD_BOUNCE) -> Suppression:
    return services.suppress(email=email, reason=reason, source=Suppression.Source.PROVIDER)


def test_staff_search_by_address_and_filter_by_reason(client_for, staff):
    suppress("ada@example.org")
    suppress("bob@example.org", Reason.UNSUBSCRIBE)
    suppress("ada.two@example.org", Reason.COMPLAINT)
    client = client_for(staff)
    page = client.get(reverse("notify:suppressions"), {"q": "ADA"}).content.decode()
    assert "ada@example.org" in page and "ada.two@example.org" in page
    assert "bob@example.org" not in page
    page = client.get(reverse("notify:suppressions"), {"reason": "unsubscribe"}).content.decode()
    assert "bob@example.org" in page and "ada@example.org" not in page


def test_the_list_query_count_does_not_grow(client_for, staff, django_assert_num_queries):
    client = client_for(staff)
    suppress("p0@example.org")
    lifted = suppress("p1@example.org")
    services.lift(suppression=lifted, by=staff, note="ok")
    url = reverse("notify:suppressions") + "?show=all"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(2, 10):
        services.lift(suppression=suppress(f"p{i}@example.org"), by=staff, note="ok")
    with django_assert_num_queries(len(few)):
        body = client.get(url).content.decode()
    assert all(f"p{i}@example.org" in body for i in range(10))


def test_lifting_needs_a_note_and_records_who_and_when(client_for, staff):
    suppression = suppress("ada@example.org")
    client = client_for(staff)
    url = reverse("notify:suppression", args=[suppression.uuid])
    refused = client.post(url, {"note": ""})
    assert refused.status_code == 400
    assert "This field is required" in refused.content.decode()
    suppression.refresh_from_db()
    assert suppression.lifted_at is None
    response = client.post(url, {"note": "Their mailbox works again."}, follow=True)
    assert "ada@example.org will be sent emails again." in response.content.decode()
    suppression.refresh_from_db()
    assert suppression.lifted_by == staff and suppression.lifted_at is not None
    assert suppression.note == "Their mailbox works again."
    # Lifted ones leave the standing list, and stay in the history.
    assert "ada@example.org" not in client.get(reverse("notify:suppressions")).content.decode()
    history = client.get(reverse("notify:suppressions"), {"show": "all"}).content.decode()
    assert "ada@example.org" in history
    # A new suppression of the same address and reason can stand again.
    assert suppress("ada@example.org").pk != suppression.pk


def test_bad_list_parameters_show_a_page_not_an_error(client_for, staff):
    suppress("ada@example.org")
    for query in ({"page": "x"}, {"reason": "<b>zz</b>"}, {"q": "x" * 500}, {"show": "?"}):
        response = client_for(staff).get(reverse("notify:suppressions"), query)
        assert response.status_code == 200
        assert "<b>zz</b>" not in response.content.decode()
    bad = client_for(staff).get(reverse("notify:suppressions"), {"reason": "often"})
    assert "Select a valid choice" in bad.content.decode()


def test_only_staff_see_or_lift_suppressions(client_for, screener):
    suppression = suppress("ada@example.org")
    client = client_for(screener)
    assert client.get(reverse("notify:suppressions")).status_code == 403
    url = reverse("notify:suppression", args=[suppression.uuid])
    assert client.post(url, {"note": "no"}).status_code == 403
    suppression.refresh_from_db()
    assert suppression.lifted_at is None
    grant_role(user=screener, role="staff")
    assert client.get(reverse("notify:suppressions")).status_code == 200


def test_the_menu_offers_the_suppression_list_to_staff(client_for, staff):
    page = client_for(staff).get(reverse("notify:list")).content.decode()
    assert reverse("notify:suppressions") in page
