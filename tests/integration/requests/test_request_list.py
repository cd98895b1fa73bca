"""The request list staff and mentors work from: filters, counts, search, the default view."""

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.models import HelpRequest
from candidates.services.help_requests import ask_question, open_request, post_reply
from rfs.accounts.models import Role
from tests.factories.accounts import UserFactory
from tests.factories.candidates import CandidateFactory
from tests.factories.partners import PartnerFactory

pytestmark = pytest.mark.django_db

URL = reverse("candidates:requests")


def _open_list(body: str) -> str:
    """The open requests' table body, nothing else of the page."""
    table = body[body.index('class="table table-sm align-middle open-requests"') :]
    return table[table.index("<tbody>") : table.index("</tbody>")]


def _rows(body: str) -> list[str]:
    return re.findall(r"<tr>.*?</tr>", _open_list(body), re.S)


def _option(body: str, value: str) -> str:
    """The label of the <option> with this value."""
    match = re.search(rf'<option value="{re.escape(value)}"[^>]*>([^<]*)</option>', body)
    assert match, value
    return html.unescape(match.group(1).strip())


def _overdue_of(owner, count: int) -> None:
    long_ago = timezone.now() - timedelta(days=20)
    candidates = CandidateFactory.create_batch(10)
    HelpRequest.objects.bulk_create(
        HelpRequest(
            candidate=candidates[n % 10],
            kind="question",
            owner=owner,
            subject=f"Old question {n}",
            opened_at=long_ago,
            due_at=long_ago + timedelta(hours=48),
        )
        for n in range(count)
    )


def test_staff_default_view_shows_a_new_question_first_behind_200_overdue_of_others(
    client_for, staff, mentor
):
    _overdue_of(mentor, 200)
    other_staff = UserFactory(role=Role.STAFF, name="Otto Staff")
    _overdue_of(other_staff, 20)
    # The screeners' work in the pool, due before the question (72 hours from yesterday).
    yesterday = timezone.now() - timedelta(days=1)
    for candidate in CandidateFactory.create_batch(60):
        open_request(candidate=candidate, kind="first_contact", at=yesterday)
    asker = CandidateFactory(first_name="Nadia")
    ask_question(
        candidate=asker,
        topic="",
        subject="How do I file?",
        body="Which form?",
        by=UserFactory(role=Role.CANDIDATE),
    )

    body = client_for(staff).get(URL).content.decode()

    rows = _rows(body)
    assert len(rows) == 1 and "How do I file?" in rows[0] and "Nadia" in rows[0]
    # The list comes before the figures and the overdue list, at the top of the page.
    assert body.index("open-requests") < body.index("overdue-heading")
    assert _option(body, "pool_mine") == "Staff pool and mine (1)"
    assert _option(body, "all") == "Everyone's (221)"
    assert _option(body, f"user:{mentor.pk}") == "Mia Mentor (200)"
    assert _option(body, "first_contact") == "First contact (60)"
    assert _option(body, "") == "All kinds (61)"
    # Everyone's, 50 to a page, the filter kept from page to page.
    everyone = client_for(staff).get(URL, {"whose": "all", "kind": ""}).content.decode()
    assert len(_rows(everyone)) == 50 and "Page 1 of 6" in everyone
    assert "whose=all&amp;kind=&amp;page=2" in everyone


def test_the_list_pins_its_queries_however_many_owners_and_teams(
    client_for, staff, mentor, django_assert_num_queries
):
    partner = PartnerFactory(name="Vote Riders")
    now = timezone.now()
    for n in range(3):
        open_request(candidate=CandidateFactory(), kind="question", owner=mentor, at=now)
        open_request(candidate=CandidateFactory(), kind="question", at=now)
        owner = UserFactory(role=Role.MENTOR, name=f"Mentor {n}")
        open_request(candidate=CandidateFactory(), kind="question", owner=owner, at=now)
        open_request(candidate=CandidateFactory(), kind="question", team=f"partner:{partner.uuid}")
    client = client_for(staff)
    client.get(URL)

    # user, the counts, the owners, their team names, the page; the overdue list and the
    # figures per kind, per week, per person, per team and its names
    with django_assert_num_queries(11):
        body = client.get(URL, {"whose": "all"}).content.decode()

    assert len(_rows(body)) == 12
    assert _option(body, f"partner:{partner.uuid}") == "Vote Riders (3)"
    assert "Vote Riders" in _open_list(body)


def test_whose_mine_pool_and_one_owner(client_for, staff, mentor):
    partner = PartnerFactory(name="Vote Riders")
    open_request(candidate=CandidateFactory(first_name="Mine"), kind="question", owner=staff)
    open_request(candidate=CandidateFactory(first_name="Pooled"), kind="question")
    open_request(candidate=CandidateFactory(first_name="Mentored"), kind="question", owner=mentor)
    team = f"partner:{partner.uuid}"
    open_request(candidate=CandidateFactory(first_name="Teamed"), kind="question", team=team)
    client = client_for(staff)

    def shown(whose: str) -> set[str]:
        rows = _open_list(client.get(URL, {"whose": whose}).content.decode())
        return {name for name in ("Mine", "Pooled", "Mentored", "Teamed") if name in rows}

    assert shown("") == {"Mine", "Pooled"}
    assert shown("mine") == {"Mine"}
    assert shown("pool") == {"Pooled"}
    assert shown("all") == {"Mine", "Pooled", "Mentored", "Teamed"}
    assert shown(f"user:{mentor.pk}") == {"Mentored"}
    assert shown(team) == {"Teamed"}


def test_states_and_their_counts(client_for, staff):
    now = timezone.now()
    # A question has 48 hours: 40 hours in is past the reminder point, 10 hours in is not.
    open_request(
        candidate=CandidateFactory(first_name="Late"), kind="question", at=now - timedelta(days=3)
    )
    open_request(
        candidate=CandidateFactory(first_name="Soon"), kind="question", at=now - timedelta(hours=40)
    )
    open_request(candidate=CandidateFactory(first_name="Fresh"), kind="question", at=now)
    waiting = open_request(
        candidate=CandidateFactory(first_name="Asked"), kind="question", at=now - timedelta(hours=5)
    )
    post_reply(help_request=waiting, author=staff, body="Which state?", wait_for_candidate=True)
    client = client_for(staff)

    def shown(state: str) -> set[str]:
        rows = _open_list(client.get(URL, {"whose": "all", "state": state}).content.decode())
        return {name for name in ("Late", "Soon", "Fresh", "Asked") if name in rows}

    assert shown("overdue") == {"Late"}
    assert shown("due_soon") == {"Soon"}
    assert shown("waiting") == {"Asked"}
    body = client.get(URL, {"whose": "all", "kind": "question"}).content.decode()
    assert _option(body, "overdue") == "Overdue (1)"
    assert _option(body, "due_soon") == "Due soon (1)"
    assert _option(body, "waiting") == "Waiting on the candidate (1)"
    assert _option(body, "question") == "Question (4)"
    assert _option(body, "first_contact") == "First contact (0)"
    # The other filters narrow each count: only overdue ones, per kind.
    body = client.get(URL, {"whose": "all", "state": "overdue"}).content.decode()
    assert _option(body, "question") == "Question (1)"


def test_new_today_counts_from_midnight_in_the_organisations_zone(settings):
    settings.RFS_TIME_ZONE = "America/New_York"
    now = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)  # 11:00 in New York
    before_midnight = open_request(
        candidate=CandidateFactory(), kind="question", at=datetime(2026, 3, 10, 3, 30, tzinfo=UTC)
    )
    after_midnight = open_request(
        candidate=CandidateFactory(), kind="question", at=datetime(2026, 3, 10, 4, 30, tzinfo=UTC)
    )

    today = set(HelpRequest.objects.opened_today(now))

    assert after_midnight in today and before_midnight not in today


def test_search_finds_the_candidates_requests(client_for, staff):
    open_request(
        candidate=CandidateFactory(first_name="Alicia", last_name="Garza"), kind="question"
    )
    open_request(candidate=CandidateFactory(first_name="Bernard"), kind="question")

    body = client_for(staff).get(URL, {"q": "ali gar", "whose": "all"}).content.decode()

    rows = _open_list(body)
    assert "Alicia" in rows and "Bernard" not in rows
    assert "1 open request," in body


def test_bad_filters_are_named_beside_the_field_not_a_500(client_for, staff):
    open_request(candidate=CandidateFactory(first_name="Pooled"), kind="question")

    response = client_for(staff).get(URL, {"state": "bogus", "whose": "<script>"})

    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("Select a valid choice") == 2
    assert "Pooled" in _open_list(body)


def test_a_mentor_filters_their_own_requests_only(client_for, mentor, django_assert_num_queries):
    now = timezone.now()
    open_request(
        candidate=CandidateFactory(first_name="Late"),
        kind="question",
        owner=mentor,
        at=now - timedelta(days=3),
    )
    open_request(
        candidate=CandidateFactory(first_name="Fresh"), kind="question", owner=mentor, at=now
    )
    someone = UserFactory(role=Role.MENTOR)
    open_request(
        candidate=CandidateFactory(first_name="Theirs"),
        kind="question",
        owner=someone,
        at=now - timedelta(days=3),
    )
    open_request(candidate=CandidateFactory(first_name="Pooled"), kind="question", at=now)
    client = client_for(mentor)
    client.get(URL)

    # user, onboarding done, the counts, the page
    with django_assert_num_queries(4):
        body = client.get(URL).content.decode()
    rows = _open_list(body)
    assert "Late" in rows and "Fresh" in rows
    assert "Theirs" not in rows and "Pooled" not in rows
    assert 'name="whose"' not in body
    assert "Response times since" not in body  # staff's figures
    overdue = _open_list(client.get(URL, {"state": "overdue"}).content.decode())
    assert "Late" in overdue and "Fresh" not in overdue
    # Another owner's requests cannot be asked for.
    theirs = _open_list(client.get(URL, {"whose": f"user:{someone.pk}"}).content.decode())
    assert "Theirs" not in theirs


def test_the_candidates_staff_page_lists_their_requests_with_links(client_for, staff):
    partner = PartnerFactory(name="Vote Riders")
    candidate = CandidateFactory()
    question = ask_question(
        candidate=candidate,
        topic="",
        subject="How do I file?",
        body="Which form?",
        by=UserFactory(role=Role.CANDIDATE),
    )
    referral = open_request(candidate=candidate, kind="question", team=f"partner:{partner.uuid}")
    other = open_request(candidate=CandidateFactory(), kind="question")

    body = client_for(staff).get(candidate.get_absolute_url()).content.decode()

    listed = body[body.index('id="requests-heading"') : body.index("</table>")]
    assert "Requests (2)" in listed
    assert f'href="{question.get_absolute_url()}">How do I file?' in listed
    assert referral.get_absolute_url() in listed and "Vote Riders" in listed
    assert other.get_absolute_url() not in body
    # The timeline's entry opens the request too.
    timeline = body[body.index("candidate-timeline") :]
    assert f'<a href="{question.get_absolute_url()}">Question requested</a>' in timeline
    assert "for staff to answer" in timeline and "for Vote Riders to answer" in timeline
