"""Booked calls and training places carry a calendar invitation: one UID per call or place,
a moved call a higher SEQUENCE, a cancellation METHOD:CANCEL."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from rfs.notify import calendar
from rfs.notify.models import Notification
from screening.services import booking, claims
from tests.factories.screening import waiting_candidate
from tests.factories.trainings import SessionFactory
from tests.support.outbox import delivered
from trainings import services as trainings

pytestmark = pytest.mark.django_db


def ics_of(template: str, n: int = 0) -> str:
    row = Notification.objects.filter(template=template).order_by("pk")[n]
    message = delivered(row)
    (part,) = [p for p in message.attachments if p.get_content_type() == "text/calendar"]
    return part.get_payload(decode=True).decode()


def field(ics: str, name: str) -> str:
    return re.search(rf"^{name}:(.*)\r$", ics, re.MULTILINE).group(1)


def test_a_booked_call_moved_then_cancelled_updates_and_cancels_one_event(screener):
    candidate = waiting_candidate()
    claims.claim_candidate(candidate=candidate, screener=screener)
    booked = booking.schedule_call(
        candidate=candidate, by=screener, starts_at=timezone.now() + timedelta(days=2)
    )
    # Each email goes before the next change withdraws what is still pending.
    first = ics_of("screening_call_confirmed")
    moved_to = timezone.now() + timedelta(days=3)
    booking.reschedule_call(scheduled=booked, by=screener, starts_at=moved_to)
    moved = ics_of("screening_call_updated")
    booking.cancel_call(scheduled=booked, by=screener)
    cancelled = ics_of("screening_call_cancelled")
    assert field(first, "UID") == field(moved, "UID") == field(cancelled, "UID")
    assert [field(i, "SEQUENCE") for i in (first, moved, cancelled)] == ["1", "2", "3"]
    assert field(first, "METHOD") == field(moved, "METHOD") == "REQUEST"
    assert field(cancelled, "METHOD") == "CANCEL"
    assert field(moved, "DTSTART") == moved_to.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def test_a_training_place_carries_the_link_and_a_cancelled_place_cancels_it():
    session = SessionFactory(link="https://meet.example.org/a-link-for-the-registered")
    registration = trainings.register(session=session, candidate=waiting_candidate())
    trainings.cancel_registration(registration=registration)
    placed = ics_of("training_registered")
    cancelled = ics_of("training_cancelled")
    assert field(placed, "UID") == field(cancelled, "UID")
    assert "a-link-for-the-registered" in placed.replace("\r\n ", "")
    assert "a-link-for-the-registered" not in cancelled
    assert field(cancelled, "METHOD") == "CANCEL"


def test_long_lines_fold_and_text_is_escaped():
    text = calendar.event(
        uid="x@y",
        sequence=0,
        starts_at=datetime(2026, 3, 8, 14, tzinfo=UTC),
        ends_at=datetime(2026, 3, 8, 15, tzinfo=UTC),
        summary="Fundraising; budgets, and more " + "é" * 60,
    )
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:Fundraising\\; budgets\\, and more " + "é" * 60 in unfolded
    assert "DTSTART:20260308T140000Z" in text
