from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from candidates import request_kinds
from candidates.models import HelpRequest
from candidates.services.help_requests import (
    add_holiday,
    ask_question,
    due_time,
    open_request,
    set_response_targets,
    set_working_hours,
)
from mentors.models import MENTOR_INTRO
from partners.apps import PARTNER_INTRO
from rfs.notify.models import Notification
from tests.support.outbox import delivered, html

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
    assert request.owner is None and request.kind == request_kinds.QUESTION
    assert request.messages.get().body == "My secret plan is to raise $5,000."
    email = Notification.objects.get(key=f"request:new:{request.pk}")
    assert email.to_email == settings.RFS_STAFF_EMAIL
    assert request.get_absolute_url() in delivered(email).body
    assert "secret plan" not in delivered(email).body + html(delivered(email)) + email.subject


def test_question_goes_to_the_owner_the_caller_names(candidate, candidate_user, mentor):
    request = ask_question(
        candidate=candidate,
        topic="field",
        subject="Canvassing",
        body="How?",
        by=candidate_user,
        owner=mentor,
    )
    assert request.owner == mentor
    assert Notification.objects.get(key=f"request:new:{request.pk}").to_email == mentor.email


def test_a_team_hears_of_its_request_through_the_contact_its_app_registered(candidate):
    request_kinds.register_team("club", lambda team: ("club@example.org", "Club"))
    help_request = open_request(candidate=candidate, kind="question", team="club:7")
    assert help_request.owner is None and help_request.team == "club:7"
    from candidates.services.help_requests import remind_owner

    HelpRequest.objects.filter(pk=help_request.pk).update(
        opened_at=timezone.now() - timedelta(hours=40), due_at=timezone.now() + timedelta(hours=1)
    )
    assert remind_owner(help_request_id=help_request.pk)
    assert Notification.objects.get(template="request_reminder").to_email == "club@example.org"


@pytest.mark.parametrize(
    ("kind", "hours"),
    [
        (request_kinds.QUESTION, 48),
        (request_kinds.FIRST_CONTACT, 72),
        (MENTOR_INTRO, 72),
    ],
)
def test_default_due_times_count_every_hour(candidate, kind, hours):
    # Over the spring change: real elapsed hours count, not wall-clock hours.
    opened = datetime(2026, 3, 6, 12, tzinfo=NY).astimezone(UTC)
    request = open_request(candidate=candidate, kind=kind, at=opened)
    assert request.due_at == opened + timedelta(hours=hours)


def test_business_days_keep_the_local_time_over_a_clock_change(candidate):
    # A partner's answer is due 3 business days later at the same local time: 71 real
    # hours over the spring change.
    opened = datetime(2026, 3, 6, 12, tzinfo=NY).astimezone(UTC)
    request = open_request(candidate=candidate, kind=PARTNER_INTRO, at=opened)
    assert request.due_at == datetime(2026, 3, 9, 12, tzinfo=NY)
    assert request.due_at == opened + timedelta(hours=71)


def test_staff_change_the_hours_per_kind(candidate):
    set_response_targets(
        targets={"question": (24, "business_hours"), "first_contact": (12, "business_hours")}
    )
    opened = datetime(2026, 5, 4, 9, tzinfo=NY)
    assert due_time(kind="question", opened_at=opened) == opened + timedelta(hours=24)
    assert due_time(kind="first_contact", opened_at=opened) == opened + timedelta(hours=12)
    assert due_time(kind="partner_intro", opened_at=opened) == opened + timedelta(days=3)


def test_due_time_counts_working_hours_and_skips_holidays(candidate):
    set_working_hours(days={day: (time(9), time(17)) for day in range(5)})
    set_response_targets(targets={"question": (8, "business_hours")})
    friday_4pm = datetime(2026, 5, 22, 16, tzinfo=NY)
    # One hour on Friday, seven on Monday.
    assert due_time(kind="question", opened_at=friday_4pm) == datetime(2026, 5, 25, 16, tzinfo=NY)
    add_holiday(date=datetime(2026, 5, 25).date(), name="Memorial Day")
    request = open_request(candidate=candidate, kind="question", at=friday_4pm)
    assert request.due_at == datetime(2026, 5, 26, 16, tzinfo=NY)


def test_calendar_days_count_every_day_and_a_team_may_have_its_own_window(candidate):
    set_working_hours(days={0: (time(9), time(17))})
    set_response_targets(targets={"question": (30, "calendar_days")})
    set_response_targets(targets={"question": (3, "calendar_days")}, team="club:1")
    friday = datetime(2026, 5, 22, 16, tzinfo=NY)
    assert due_time(kind="question", opened_at=friday) == friday + timedelta(days=30)
    assert due_time(kind="question", opened_at=friday, team="club:1") == friday + timedelta(days=3)
    assert due_time(kind="question", opened_at=friday, team="club:2") == friday + timedelta(days=30)


def test_a_kind_no_app_registers_still_has_a_label_and_a_due_time(candidate):
    opened = datetime(2026, 5, 4, 9, tzinfo=NY)
    help_request = open_request(candidate=candidate, kind="retired_kind", at=opened)
    assert help_request.kind_label == "Retired kind"
    assert help_request.due_at == opened + timedelta(hours=48)
