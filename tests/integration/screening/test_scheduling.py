import zoneinfo
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rfs.notify.models import Notification
from screening.models import ScheduledCall
from screening.services import booking, claims, zones
from tests.factories.screening import waiting_candidate
from tests.support.outbox import delivered

pytestmark = pytest.mark.django_db

UTC = zoneinfo.ZoneInfo("UTC")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def _sunday(year: int, month: int, nth: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (nth - 1))


def _next(rule) -> date:
    """The next US clock change of a kind, at least two days from now."""
    year = timezone.now().year
    while (day := rule(year)) <= timezone.localdate() + timedelta(days=2):
        year += 1
    return day


def spring_forward() -> date:
    return _next(lambda year: _sunday(year, 3, 2))


def fall_back() -> date:
    return _next(lambda year: _sunday(year, 11, 1))


def utc(year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _book_far_ahead(settings):
    # The next clock change may be months away.
    settings.RFS_SCHEDULE_MAX_DAYS = 800


@pytest.fixture
def claimed(screener):
    candidate = waiting_candidate(state="NY", city="Buffalo")
    claims.claim_candidate(candidate=candidate, screener=screener)
    return candidate


def _keys() -> list[str]:
    return sorted(
        Notification.objects.exclude(status=Notification.Status.CANCELLED).values_list(
            "key", flat=True
        )
    )


def test_reminders_fall_at_local_times_across_spring_forward(screener, claimed):
    sunday = spring_forward()
    # 15:00 on the Sunday the clocks go forward (EDT, UTC-4).
    starts = datetime.combine(sunday, datetime.min.time(), tzinfo=NEW_YORK).replace(hour=15)
    booked = booking.schedule_call(candidate=claimed, by=screener, starts_at=starts)
    saturday = sunday - timedelta(days=1)

    # Saturday 11:00 is still EST (UTC-5); Sunday 08:00 is already EDT (UTC-4).
    assert booked.day_before_at == utc(saturday.year, saturday.month, saturday.day, 16)
    assert booked.same_day_at == utc(sunday.year, sunday.month, sunday.day, 12)
    base = f"screening:call:{booked.pk}:v1"
    assert _keys() == [f"{base}:confirmed"]  # the confirmation at once

    minute = timedelta(minutes=1)
    assert booking.send_due_reminders(now=booked.day_before_at - minute) == 0
    assert booking.send_due_reminders(now=booked.day_before_at) == 1
    assert booking.send_due_reminders(now=booked.day_before_at + minute) == 0
    assert booking.send_due_reminders(now=booked.same_day_at - minute) == 0
    assert booking.send_due_reminders(now=booked.same_day_at) == 1
    assert booking.send_due_reminders(now=booked.same_day_at + timedelta(hours=2)) == 0
    assert _keys() == [f"{base}:confirmed", f"{base}:day-before", f"{base}:same-day"]
    day_before = Notification.objects.get(key=f"{base}:day-before")
    assert "tomorrow" in day_before.subject
    assert "3:00 PM EDT" in delivered(day_before).body


def test_reminders_fall_at_local_times_across_fall_back(screener, claimed):
    sunday = fall_back()
    monday = sunday + timedelta(days=1)
    # 09:00 on the Sunday the clocks go back, and 10:00 on the Monday after.
    on_sunday = datetime.combine(sunday, datetime.min.time(), tzinfo=NEW_YORK).replace(hour=9)
    booked = booking.schedule_call(candidate=claimed, by=screener, starts_at=on_sunday)
    saturday = sunday - timedelta(days=1)
    assert booked.day_before_at == utc(saturday.year, saturday.month, saturday.day, 15)  # EDT
    assert booked.same_day_at == utc(sunday.year, sunday.month, sunday.day, 13)  # EST

    on_monday = datetime.combine(monday, datetime.min.time(), tzinfo=NEW_YORK).replace(hour=10)
    moved = booking.reschedule_call(scheduled=booked, by=screener, starts_at=on_monday)
    assert moved.day_before_at == utc(sunday.year, sunday.month, sunday.day, 16)  # EST
    assert moved.same_day_at == utc(monday.year, monday.month, monday.day, 13)


def test_rescheduling_withdraws_the_old_emails_and_never_sends_stale_reminders(screener, claimed):
    day = timezone.now().astimezone(NEW_YORK).date() + timedelta(days=3)
    starts = datetime.combine(day, datetime.min.time(), tzinfo=NEW_YORK).replace(hour=14)
    booked = booking.schedule_call(candidate=claimed, by=screener, starts_at=starts)
    old_day_before = booked.day_before_at
    # The sweep records the day-before reminder; it is still waiting for delivery.
    assert booking.send_due_reminders(now=old_day_before) == 1

    moved = booking.reschedule_call(
        scheduled=booked, by=screener, starts_at=starts + timedelta(days=4)
    )

    assert moved.version == 2
    v1, v2 = f"screening:call:{booked.pk}:v1", f"screening:call:{booked.pk}:v2"
    cancelled = Notification.objects.filter(status=Notification.Status.CANCELLED)
    assert sorted(cancelled.values_list("key", flat=True)) == [
        f"{v1}:confirmed",
        f"{v1}:day-before",
    ]
    assert _keys() == [f"{v2}:updated"]
    # At the old reminder times nothing is due; at the new ones, the new version's.
    assert booking.send_due_reminders(now=old_day_before + timedelta(minutes=5)) == 0
    assert booking.send_due_reminders(now=moved.day_before_at) == 1
    assert booking.send_due_reminders(now=moved.same_day_at) == 1
    assert _keys() == [f"{v2}:day-before", f"{v2}:same-day", f"{v2}:updated"]


def test_cancelling_tells_the_candidate_and_stops_the_reminders(client_for, screener, claimed):
    day = timezone.now().astimezone(NEW_YORK).date() + timedelta(days=2)
    starts = datetime.combine(day, datetime.min.time(), tzinfo=NEW_YORK).replace(hour=14)
    booked = booking.schedule_call(candidate=claimed, by=screener, starts_at=starts)
    assert booked.same_day_at is not None

    client_for(screener).post(reverse("screening:cancel_scheduled", args=[booked.uuid]))

    booked.refresh_from_db()
    assert booked.status == ScheduledCall.Status.CANCELLED
    assert _keys() == [f"screening:call:{booked.pk}:cancelled"]
    assert booking.send_due_reminders(now=booked.same_day_at) == 0


def test_a_call_booked_after_a_reminder_moment_gets_no_late_reminder(screener, claimed):
    zone = zones.candidate_zone(claimed)
    tomorrow = timezone.now().astimezone(zone).date() + timedelta(days=1)
    # 07:30 tomorrow: the 08:00 same-day reminder would come after the call.
    starts = datetime.combine(tomorrow, datetime.min.time(), tzinfo=zone).replace(hour=7, minute=30)
    booked = booking.schedule_call(candidate=claimed, by=screener, starts_at=starts)
    assert booked.same_day_at is None


def test_booking_through_the_page_in_the_candidates_zone(client_for, screener, claimed):
    day = timezone.localdate() + timedelta(days=5)
    response = client_for(screener).post(
        reverse("screening:schedule", args=[claimed.uuid]),
        {"starts_local": f"{day:%Y-%m-%d}T14:30", "zone": "candidate"},
    )

    assert response.status_code == 302
    booked = ScheduledCall.objects.get(candidate=claimed)
    local = booked.starts_at.astimezone(NEW_YORK)
    assert (local.date(), local.hour, local.minute) == (day, 14, 30)
    confirmation = Notification.objects.get(key=f"screening:call:{booked.pk}:v1:confirmed")
    assert confirmation.to_email == claimed.email
    assert "2:30 PM" in delivered(confirmation).body


def test_booking_in_the_screeners_zone_and_seeing_both_zones(client_for, screener, claimed):
    screener.time_zone = "America/Los_Angeles"
    screener.save()
    day = timezone.localdate() + timedelta(days=5)
    client = client_for(screener)

    client.post(
        reverse("screening:schedule", args=[claimed.uuid]),
        {"starts_local": f"{day:%Y-%m-%d}T09:00", "zone": "screener"},
    )
    page = client.get(reverse("screening:candidate", args=[claimed.uuid])).content.decode()

    booked = ScheduledCall.objects.get(candidate=claimed)
    la = booked.starts_at.astimezone(zoneinfo.ZoneInfo("America/Los_Angeles"))
    assert (la.hour, la.minute) == (9, 0)
    assert "9:00 AM P" in page  # PST or PDT, the screener's time
    assert "12:00 PM E" in page  # the candidate's time in New York


def test_a_time_skipped_by_the_clock_change_is_refused_clearly(client_for, screener, claimed):
    sunday = spring_forward()
    response = client_for(screener).post(
        reverse("screening:schedule", args=[claimed.uuid]),
        {"starts_local": f"{sunday:%Y-%m-%d}T02:30", "zone": "candidate"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "does not exist" in page and "jump forward" in page
    assert f"{sunday:%Y-%m-%d}T02:30" in page  # what was typed is kept
    assert not ScheduledCall.objects.exists()


def test_a_time_in_the_past_is_refused(client_for, screener, claimed):
    response = client_for(screener).post(
        reverse("screening:schedule", args=[claimed.uuid]),
        {"starts_local": "2020-01-01T10:00", "zone": "candidate"},
    )
    assert response.status_code == 400
    assert "Choose a time in the future" in response.content.decode()


def test_releasing_the_claim_cancels_the_booked_call_and_tells_the_candidate(
    client_for, screener, claimed
):
    booked = booking.schedule_call(
        candidate=claimed, by=screener, starts_at=timezone.now() + timedelta(days=3)
    )
    claim = claimed.claims.get()

    client_for(screener).post(reverse("screening:release", args=[claim.uuid]))

    booked.refresh_from_db()
    assert booked.status == ScheduledCall.Status.CANCELLED
    assert _keys() == [f"screening:call:{booked.pk}:cancelled"]


def test_the_reminder_task_runs_the_sweep(screener, claimed):
    from screening import tasks

    day = timezone.now().astimezone(NEW_YORK).date() + timedelta(days=2)
    starts = datetime.combine(day, datetime.min.time(), tzinfo=NEW_YORK).replace(hour=14)
    booked = booking.schedule_call(candidate=claimed, by=screener, starts_at=starts)
    ScheduledCall.objects.filter(pk=booked.pk).update(
        day_before_at=timezone.now() - timedelta(minutes=1)
    )

    assert tasks.send_call_reminders() == 1
    assert tasks.send_call_reminders() == 0
