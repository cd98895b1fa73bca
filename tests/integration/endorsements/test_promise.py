"""The 30-day answer is a help request of the FUNDING kind: the existing sweeps remind its
owner once before the due time and escalate once after it."""

import datetime as dt

import pytest
from django.utils import timezone

from candidates.services.help_requests import open_request, sweep_requests
from endorsements.apps import FUNDING
from rfs.notify.models import Notification
from tests.factories.candidates import CandidateFactory

pytestmark = pytest.mark.django_db


def test_due_in_30_calendar_days_reminded_and_escalated_once(settings):
    opened = dt.datetime(2026, 12, 24, 15, 0, tzinfo=dt.UTC)  # holidays and weekends count
    promise = open_request(candidate=CandidateFactory(), kind=FUNDING, at=opened)
    assert promise.due_at == opened + dt.timedelta(days=30)
    share = settings.RFS_REQUEST_REMINDER_SHARE
    before_reminder = opened + dt.timedelta(days=30 * share) - dt.timedelta(minutes=1)
    assert sweep_requests(now=before_reminder) == {"reminded": 0, "escalated": 0}
    reminder_time = opened + dt.timedelta(days=30 * share)
    assert sweep_requests(now=reminder_time) == {"reminded": 1, "escalated": 0}
    assert sweep_requests(now=reminder_time + dt.timedelta(days=1))["reminded"] == 0
    late = promise.due_at + dt.timedelta(minutes=1)
    assert sweep_requests(now=late) == {"reminded": 0, "escalated": 1}
    assert sweep_requests(now=late + dt.timedelta(days=3)) == {"reminded": 0, "escalated": 0}
    assert Notification.objects.filter(template="request_reminder").count() == 1
    assert Notification.objects.filter(template="request_escalation").count() == 1
    assert timezone.is_aware(promise.due_at)
