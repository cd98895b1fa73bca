from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from candidates.models import HelpRequest
from candidates.services.help_requests import (
    RequestRefused,
    ask_question,
    post_reply,
    reopen_request,
    resolve_request,
    set_working_hours,
)
from rfs.notify.models import Notification
from tests.support.outbox import delivered, html

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")
OPENED = datetime(2026, 6, 1, 9, tzinfo=NY)  # a Monday


@pytest.fixture
def question(candidate, candidate_user, mentorship, mentor):
    return ask_question(
        candidate=candidate,
        topic="fundraising",
        subject="Money",
        body="How do I ask my aunt?",
        by=candidate_user,
        owner=mentor,
        at=OPENED,
    )


def test_first_helper_reply_sets_the_first_response_once(question, mentor):
    post_reply(
        help_request=question, author=mentor, body="Call her.", at=OPENED + timedelta(hours=3)
    )
    post_reply(
        help_request=question, author=mentor, body="Then follow up.", at=OPENED + timedelta(hours=5)
    )
    question.refresh_from_db()
    assert question.first_response_at == OPENED + timedelta(hours=3)
    assert question.status == HelpRequest.Status.OPEN


def test_each_reply_emails_the_other_side_a_link_only(question, mentor, candidate_user):
    message = post_reply(help_request=question, author=mentor, body="Private advice here.")
    email = Notification.objects.get(key=f"request:reply:{message.pk}")
    assert email.to_email == "ada@example.org"
    assert question.get_absolute_url() in delivered(email).body
    assert "Private advice" not in delivered(email).body + html(delivered(email))

    answer = post_reply(
        help_request=question, author=candidate_user, body="Thanks, more private text"
    )
    email = Notification.objects.get(key=f"request:reply:{answer.pk}")
    assert email.to_email == mentor.email
    assert "private text" not in delivered(email).body + html(delivered(email))
    assert answer.from_helper is False and message.from_helper is True


def test_candidate_reply_is_not_a_first_response(question, candidate_user):
    post_reply(help_request=question, author=candidate_user, body="Any news?")
    question.refresh_from_db()
    assert question.first_response_at is None


def test_waiting_on_the_candidate_stops_the_clock(question, mentor, candidate_user):
    due = question.due_at
    assert due == OPENED + timedelta(hours=48)
    post_reply(
        help_request=question,
        author=mentor,
        body="Which district?",
        wait_for_candidate=True,
        at=OPENED + timedelta(hours=10),
    )
    question.refresh_from_db()
    assert question.status == HelpRequest.Status.WAITING
    assert question.waiting_since == OPENED + timedelta(hours=10)

    post_reply(
        help_request=question,
        author=candidate_user,
        body="District 4",
        at=OPENED + timedelta(hours=34),
    )
    question.refresh_from_db()
    assert question.status == HelpRequest.Status.OPEN and question.waiting_since is None
    assert question.due_at == due + timedelta(hours=24)


def test_paused_time_counts_business_hours_only(question, mentor, candidate_user):
    set_working_hours(days={day: (time(9), time(17)) for day in range(5)})
    due = question.due_at  # set before the hours existed: stays as it was
    # Waiting from Friday 16:00 to Monday 10:00: two business hours.
    post_reply(
        help_request=question,
        author=mentor,
        body="Which district?",
        wait_for_candidate=True,
        at=datetime(2026, 6, 5, 16, tzinfo=NY),
    )
    post_reply(
        help_request=question,
        author=candidate_user,
        body="District 4",
        at=datetime(2026, 6, 8, 10, tzinfo=NY),
    )
    question.refresh_from_db()
    # The old due time (Wednesday 09:00) moves on by two business hours.
    assert due == datetime(2026, 6, 3, 9, tzinfo=NY)
    assert question.due_at == datetime(2026, 6, 3, 11, tzinfo=NY)


def test_resolve_sets_the_resolution_time_and_the_candidate_can_reopen(
    question, mentor, candidate_user
):
    post_reply(
        help_request=question,
        author=mentor,
        body="Done.",
        resolve=True,
        at=OPENED + timedelta(hours=4),
    )
    question.refresh_from_db()
    assert question.status == HelpRequest.Status.RESOLVED
    assert question.resolved_at == question.first_response_at == OPENED + timedelta(hours=4)

    reopen_request(help_request=question, by=candidate_user)
    question.refresh_from_db()
    assert question.status == HelpRequest.Status.OPEN and question.resolved_at is None
    # What the figures measure stays.
    assert question.first_response_at == OPENED + timedelta(hours=4)
    assert Notification.objects.filter(template="request_reopened", to_email=mentor.email).exists()
    with pytest.raises(RequestRefused):
        reopen_request(help_request=question, by=candidate_user)


def test_candidate_reply_on_a_resolved_request_reopens_it(question, mentor, candidate_user):
    resolve_request(help_request=question, by=mentor)
    post_reply(help_request=question, author=candidate_user, body="One more thing")
    question.refresh_from_db()
    assert question.status == HelpRequest.Status.OPEN


def test_candidate_closing_an_unanswered_question_is_no_response(question, candidate_user):
    resolve_request(help_request=question, by=candidate_user)
    question.refresh_from_db()
    assert question.status == HelpRequest.Status.RESOLVED
    assert question.first_response_at is None


def test_staff_answering_a_pool_request_take_it(candidate, candidate_user, staff):
    request = ask_question(
        candidate=candidate, topic="policy", subject="Housing", body="?", by=candidate_user
    )
    assert request.owner is None
    post_reply(help_request=request, author=staff, body="Here is our housing brief.")
    request.refresh_from_db()
    assert request.owner == staff and request.first_response_at is not None
