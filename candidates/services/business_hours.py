"""Business time: due times that count only the organisation's working hours.

The organisation sets working hours per weekday (WorkingHours) and closed days
(Holiday) in its own zone, settings.RFS_TIME_ZONE. With no working-hours rows
every hour of every day counts, except on holidays; with neither, business time
is plain elapsed time.

All arithmetic happens in UTC on the real instants where each working period
starts and ends, so a day that gains or loses an hour at a daylight-saving
change counts exactly the hours it really has.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# A schedule that has no open period in this many days is a configuration error.
_MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Schedule:
    """Working periods per weekday (0 = Monday) as (opens, closes) local times, closed dates,
    and the zone they are meant in. No periods at all means every hour of the day counts."""

    zone: ZoneInfo
    hours: dict[int, tuple[time, time]] = field(default_factory=dict)
    holidays: frozenset[date] = frozenset()

    @property
    def counts_every_hour(self) -> bool:
        return not self.hours and not self.holidays

    def period_on(self, day: date) -> tuple[datetime, datetime] | None:
        """The working period of a local date as UTC instants, or None on a closed day."""
        if day in self.holidays:
            return None
        if self.hours:
            if day.weekday() not in self.hours:
                return None
            opens, closes = self.hours[day.weekday()]
            start = datetime.combine(day, opens, tzinfo=self.zone)
            end = datetime.combine(day, closes, tzinfo=self.zone)
        else:
            # The whole local day, midnight to midnight: 23 or 25 real hours on a DST change.
            start = datetime.combine(day, time.min, tzinfo=self.zone)
            end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=self.zone)
        return start.astimezone(UTC), end.astimezone(UTC)


def add_business_time(start: datetime, amount: timedelta, schedule: Schedule) -> datetime:
    """The instant when `amount` of business time has passed after `start`."""
    start = start.astimezone(UTC)
    if schedule.counts_every_hour or amount <= timedelta(0):
        return start + amount
    remaining = amount
    day = start.astimezone(schedule.zone).date()
    for _ in range(_MAX_DAYS):
        period = schedule.period_on(day)
        if period is not None:
            period_start, period_end = period
            begin = max(start, period_start)
            if begin < period_end:
                if remaining <= period_end - begin:
                    return begin + remaining
                remaining -= period_end - begin
        day += timedelta(days=1)
    raise ValueError("The working schedule has no open hours in the next three years.")


def add_business_days(start: datetime, days: int, schedule: Schedule) -> datetime:
    """The same local time of day on the `days`-th working day after `start`'s day (a day
    with working hours that is no holiday; with no hours set, every day but a holiday)."""
    local = start.astimezone(schedule.zone)
    day, counted = local.date(), 0
    for _ in range(_MAX_DAYS):
        if counted >= days:
            moment = datetime.combine(day, local.timetz().replace(tzinfo=None))
            return moment.replace(tzinfo=schedule.zone).astimezone(UTC)
        day += timedelta(days=1)
        if schedule.period_on(day) is not None:
            counted += 1
    raise ValueError("The working schedule has no open days in the next three years.")


def business_time_between(start: datetime, end: datetime, schedule: Schedule) -> timedelta:
    """How much business time lies between two instants (zero if end is not after start)."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if end <= start:
        return timedelta(0)
    if schedule.counts_every_hour:
        return end - start
    total = timedelta(0)
    day = start.astimezone(schedule.zone).date()
    last = end.astimezone(schedule.zone).date()
    while day <= last:
        period = schedule.period_on(day)
        if period is not None:
            overlap = min(end, period[1]) - max(start, period[0])
            if overlap > timedelta(0):
                total += overlap
        day += timedelta(days=1)
    return total
