"""The queue and the candidate's language: the filter, Spanish speakers offered first to
volunteers who speak Spanish, and the same order when a volunteer claims the next one."""

from datetime import timedelta

import pytest
from django.urls import reverse

from screening.models import Claim, Volunteer
from tests.factories.screening import waiting_candidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue():
    """Three people waiting: the longest wait prefers English, the newest prefers Spanish."""
    return {
        "Oldest": waiting_candidate(first_name="Oldest", signed_up_ago=timedelta(days=5)),
        "Middle": waiting_candidate(first_name="Middle", signed_up_ago=timedelta(days=3)),
        "Sofia": waiting_candidate(
            first_name="Sofia", language="es", signed_up_ago=timedelta(hours=2)
        ),
    }


def speaks(user, *names):
    Volunteer.objects.create(user=user, hours_per_week=3, languages=list(names))


def order_on_page(client, names, **params) -> list[str]:
    page = client.get(reverse("screening:queue"), params).content.decode()
    found = [name for name in names if name in page]
    return sorted(found, key=page.index)


def test_a_spanish_speaking_volunteer_sees_spanish_speakers_first(client_for, screener, queue):
    speaks(screener, "English", "Español")
    assert order_on_page(client_for(screener), queue) == ["Sofia", "Oldest", "Middle"]


def test_a_volunteer_without_spanish_sees_the_longest_wait_first(
    client_for, screener, other_screener, queue
):
    speaks(screener, "English", "Tamil")
    assert order_on_page(client_for(screener), queue) == ["Oldest", "Middle", "Sofia"]
    # Staff and screeners with no volunteer profile see the same order.
    assert order_on_page(client_for(other_screener), queue) == ["Oldest", "Middle", "Sofia"]


def test_each_row_shows_the_language(client_for, screener, queue):
    page = client_for(screener).get(reverse("screening:queue")).content.decode()
    sofia_row = page[page.index("Sofia") :].split("</tr>")[0]
    oldest_row = page[page.index("Oldest") :].split("</tr>")[0]
    assert "Spanish" in sofia_row and "English" in oldest_row


def test_the_queue_filters_by_language(client_for, screener, queue):
    client = client_for(screener)
    assert order_on_page(client, queue, language="es") == ["Sofia"]
    assert order_on_page(client, queue, language="en") == ["Oldest", "Middle"]
    assert order_on_page(client, queue, language="") == ["Oldest", "Middle", "Sofia"]


def test_an_unknown_language_filter_shows_everyone(client_for, screener, queue):
    client = client_for(screener)
    assert client.get(reverse("screening:queue"), {"language": "xx"}).status_code == 200
    assert order_on_page(client, queue, language="xx") == ["Oldest", "Middle", "Sofia"]


def test_claim_next_offers_a_spanish_speaker_to_a_spanish_speaking_volunteer(
    client_for, screener, queue
):
    speaks(screener, "spanish")
    client_for(screener).post(reverse("screening:claim_next"))
    assert Claim.objects.get().candidate == queue["Sofia"]


def test_claim_next_gives_others_the_longest_wait(client_for, screener, queue):
    speaks(screener, "English")
    client_for(screener).post(reverse("screening:claim_next"))
    assert Claim.objects.get().candidate == queue["Oldest"]


def test_claim_next_keeps_the_language_filter(client_for, screener, queue):
    client_for(screener).post(reverse("screening:claim_next"), {"language": "es"})
    assert Claim.objects.get().candidate == queue["Sofia"]


def test_a_spanish_speaker_stays_reachable_by_everyone(client_for, screener, queue):
    speaks(screener, "English")
    client = client_for(screener)
    for _ in range(2):
        client.post(reverse("screening:claim_next"))
    assert "Sofia" in client.get(reverse("screening:queue")).content.decode()
    client.post(reverse("screening:claim_next"))
    assert Claim.objects.filter(candidate=queue["Sofia"], screener=screener).exists()


def test_the_screening_page_shows_the_preferred_language(client_for, screener, queue):
    client = client_for(screener)
    client.post(reverse("screening:claim", args=[queue["Sofia"].uuid]))
    page = client.get(reverse("screening:candidate", args=[queue["Sofia"].uuid])).content
    assert "Prefers Spanish" in page.decode()
    page = client.get(reverse("screening:log_call", args=[queue["Sofia"].uuid])).content
    assert "Prefers Spanish" in page.decode()


def test_the_staff_page_shows_a_spanish_preference_only(client_for, staff, queue):
    client = client_for(staff)
    assert "Prefers Spanish" in client.get(queue["Sofia"].get_absolute_url()).content.decode()
    assert "Prefers" not in client.get(queue["Oldest"].get_absolute_url()).content.decode()
