from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from candidates.models import HelpRequest, Holiday, WorkingHours
from candidates.services.help_requests import (
    ask_question,
    due_time,
    open_request,
    set_response_targets,
)
from rfs.notify.models import Notification
from tests.factories.mentors import MentorFactory, MentorshipFactory

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")


def test_question_goes_to_the_staff_pool_without_a_mentor(candidate, candidate_user):
    request = ask_question(
        candidate=candidate,
        topic="fundraising",
        subject="Where do I start?",
        body="My secret plan is to raise $5,000.",
        by=candidate_user,
    )
    assert request.owner is None and request.kind == HelpRequest.Kind.QUESTION
    assert request.messages.get().body == "My secret plan is to raise $5,000."
    email = Notification.objects.get(key=f"request:new:{request.pk}")
    assert email.to_email == settings.RFS_STAFF_EMAIL
    assert request.get_absolute_url() in email.body_text
    assert "secret plan" not in email.body_text + email.body_html + email.subject


def test_question_goes_to_the_current_mentor(candidate, candidate_user, mentorship, mentor):
    request = ask_question(
        candidate=candidate, topic="field", subject="Canvassing", body="How?", by=candidate_user
    )
    assert request.owner == mentor
    assert Notification.objects.get(key=f"request:new:{request.pk}").to_email == mentor.email


def test_mentor_without_a_login_leaves_the_question_with_staff(candidate, candidate_user):
    MentorshipFactory(candidate=candidate, mentor=MentorFactory(user=None, name="No Login"))
    request = ask_question(
        candidate=candidate, topic="field", subject="Canvassing", body="How?", by=candidate_user
    )
    assert request.owner is None


@pytest.mark.parametrize(
    ("kind", "hours"),
    [
        (HelpRequest.Kind.QUESTION, 48),
        (HelpRequest.Kind.FIRST_CONTACT, 72),
        (HelpRequest.Kind.MENTOR_INTRO, 72),
        (HelpRequest.Kind.PARTNER_INTRO, 120),
    ],
)
def test_default_due_times_count_every_hour(candidate, kind, hours):
    # Over the spring change: real elapsed hours count, not wall-clock hours.
    opened = datetime(2026, 3, 6, 12, tzinfo=NY).astimezone(UTC)
    request = open_request(candidate=candidate, kind=kind, at=opened)
    assert request.due_at == opened + timedelta(hours=hours)


def test_staff_change_the_hours_per_kind(candidate):
    set_response_targets(hours={"question": 24, "first_contact": 12})
    opened = datetime(2026, 5, 4, 9, tzinfo=NY)
    assert due_time(kind="question", opened_at=opened) == opened + timedelta(hours=24)
    assert due_time(kind="first_contact", opened_at=opened) == opened + timedelta(hours=12)
    assert due_time(kind="partner_intro", opened_at=opened) == opened + timedelta(hours=120)


def test_due_time_counts_working_hours_and_skips_holidays(candidate):
    for day in range(5):
        WorkingHours.objects.create(weekday=day, opens=time(9), closes=time(17))
    set_response_targets(hours={"question": 8})
    friday_4pm = datetime(2026, 5, 22, 16, tzinfo=NY)
    # One hour on Friday, seven on Monday.
    assert due_time(kind="question", opened_at=friday_4pm) == datetime(2026, 5, 25, 16, tzinfo=NY)
    Holiday.objects.create(date=datetime(2026, 5, 25).date(), name="Memorial Day")
    request = open_request(candidate=candidate, kind="question", at=friday_4pm)
    assert request.due_at == datetime(2026, 5, 26, 16, tzinfo=NY)
