"""Business time across weekends, holidays and both daylight-saving changes (New York, 2026:
clocks go forward on Sunday 8 March and back on Sunday 1 November)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from candidates.services.business_hours import (
    Schedule,
    add_business_time,
    business_time_between,
)

NY = ZoneInfo("America/New_York")
WEEKDAYS_9_TO_5 = {day: (time(9), time(17)) for day in range(5)}


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=NY)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def test_without_hours_or_holidays_every_hour_counts_across_spring_forward():
    schedule = Schedule(zone=NY)
    # Saturday noon EST + 24 real hours = Sunday 13:00 EDT (the wall clock skipped an hour).
    assert add_business_time(local(2026, 3, 7, 12), hours(24), schedule) == utc(2026, 3, 8, 17)
    assert business_time_between(local(2026, 3, 7, 12), local(2026, 3, 8, 12), schedule) == hours(
        23
    )


def test_weekend_is_skipped():
    schedule = Schedule(zone=NY, hours=WEEKDAYS_9_TO_5)
    friday_4pm = local(2026, 3, 13, 16)
    assert add_business_time(friday_4pm, hours(2), schedule) == local(2026, 3, 16, 10)
    assert business_time_between(friday_4pm, local(2026, 3, 16, 10), schedule) == hours(2)


def test_start_outside_hours_waits_for_the_next_opening():
    schedule = Schedule(zone=NY, hours=WEEKDAYS_9_TO_5)
    saturday = local(2026, 4, 4, 11)
    assert add_business_time(saturday, hours(3), schedule) == local(2026, 4, 6, 12)
    early_tuesday = local(2026, 4, 7, 6, 30)
    assert add_business_time(early_tuesday, hours(1), schedule) == local(2026, 4, 7, 10)


def test_forty_eight_business_hours_are_six_working_days():
    schedule = Schedule(zone=NY, hours=WEEKDAYS_9_TO_5)
    # Monday 9:00 EST; the following Monday is after the spring change, 17:00 EDT.
    assert add_business_time(local(2026, 3, 2, 9), hours(48), schedule) == local(2026, 3, 9, 17)


def test_weekend_spanning_spring_forward():
    schedule = Schedule(zone=NY, hours=WEEKDAYS_9_TO_5)
    friday = local(2026, 3, 6, 16)  # 21:00 UTC
    due = add_business_time(friday, hours(2), schedule)
    assert due == utc(2026, 3, 9, 14)  # Monday 10:00 EDT
    assert due.astimezone(NY).hour == 10


def test_working_period_over_the_spring_change_is_one_hour_shorter():
    schedule = Schedule(zone=NY, hours={6: (time(0), time(6))})
    sunday = date(2026, 3, 8)
    opens, closes = local(2026, 3, 8, 0), local(2026, 3, 8, 6)
    assert schedule.period_on(sunday) == (utc(2026, 3, 8, 5), utc(2026, 3, 8, 10))
    assert business_time_between(opens, closes, schedule) == hours(5)
    # The sixth hour of that Sunday falls on the next Sunday.
    assert add_business_time(opens, hours(6), schedule) == local(2026, 3, 15, 1)


def test_working_period_over_the_autumn_change_is_one_hour_longer():
    schedule = Schedule(zone=NY, hours={6: (time(0), time(6))})
    opens, closes = local(2026, 11, 1, 0), local(2026, 11, 1, 6)
    assert business_time_between(opens, closes, schedule) == hours(7)
    assert add_business_time(opens, hours(7), schedule) == utc(2026, 11, 1, 11)


def test_whole_days_with_a_holiday_over_fall_back():
    # Only a holiday set: every hour of the other days counts, and 1 November has 25.
    schedule = Schedule(zone=NY, holidays=frozenset({date(2026, 10, 30)}))
    start = local(2026, 10, 30, 9)  # on the holiday: the clock starts at midnight
    due = add_business_time(start, hours(48), schedule)
    assert due == utc(2026, 11, 2, 4)  # 1 November, 23:00 EST
    assert due.astimezone(NY) == datetime(2026, 11, 1, 23, tzinfo=NY)


def test_holiday_is_skipped_with_working_hours():
    thanksgiving = date(2026, 11, 26)
    schedule = Schedule(zone=NY, hours=WEEKDAYS_9_TO_5, holidays=frozenset({thanksgiving}))
    wednesday_3pm = local(2026, 11, 25, 15)
    assert add_business_time(wednesday_3pm, hours(4), schedule) == local(2026, 11, 27, 11)
    assert business_time_between(wednesday_3pm, local(2026, 11, 27, 11), schedule) == hours(4)


def test_holiday_with_whole_days():
    schedule = Schedule(zone=NY, holidays=frozenset({date(2026, 11, 26)}))
    assert add_business_time(local(2026, 11, 25, 12), hours(24), schedule) == local(
        2026, 11, 27, 12
    )


def test_a_pause_pushes_the_due_time_by_the_business_time_it_lasted():
    schedule = Schedule(zone=NY, hours=WEEKDAYS_9_TO_5)
    opened = local(2026, 6, 1, 9)  # Monday
    due = add_business_time(opened, hours(16), schedule)
    assert due == local(2026, 6, 2, 17)
    # Waiting on the candidate from Tuesday 16:00 to Wednesday 10:00: two business hours.
    paused = business_time_between(local(2026, 6, 2, 16), local(2026, 6, 3, 10), schedule)
    assert paused == hours(2)
    assert add_business_time(due, paused, schedule) == local(2026, 6, 3, 11)


def test_pause_over_a_weekend_counts_no_weekend_hours():
    schedule = Schedule(zone=NY, hours=WEEKDAYS_9_TO_5)
    assert business_time_between(local(2026, 6, 5, 17), local(2026, 6, 8, 9), schedule) == hours(0)


def test_zero_and_reversed_amounts():
    schedule = Schedule(zone=NY, hours=WEEKDAYS_9_TO_5)
    sunday = local(2026, 6, 7, 12)
    assert add_business_time(sunday, timedelta(0), schedule) == sunday
    assert business_time_between(local(2026, 6, 8, 12), local(2026, 6, 8, 10), schedule) == hours(0)


def test_start_given_in_another_zone_is_the_same_instant():
    schedule = Schedule(zone=NY, hours=WEEKDAYS_9_TO_5)
    # 13:00 UTC on a Monday in June is 9:00 in New York.
    assert add_business_time(utc(2026, 6, 8, 13), hours(1), schedule) == local(2026, 6, 8, 10)


def test_a_schedule_that_never_opens_is_refused():
    closed_days = frozenset(date(2026, 1, 1) + timedelta(days=n) for n in range(3 * 366 + 7))
    schedule = Schedule(zone=NY, holidays=closed_days)
    with pytest.raises(ValueError):
        add_business_time(local(2026, 1, 1), hours(1), schedule)
