"""The dashboard's period and filters, read from the query string."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone

from candidates.geography import STATE_CHOICES
from candidates.models import OfficeLevel, Source

# Longest custom period: a weekly chart of more weeks than this is unreadable.
MAX_CUSTOM_DAYS = 3 * 366
# A month: what staff check each morning (and what stays fast as the organisation grows).
DEFAULT_PERIOD = "30"
PERIOD_CHOICES = [
    ("7", "Last 7 days"),
    ("30", "Last 30 days"),
    ("90", "Last 90 days"),
    ("cycle", "This election cycle"),
    ("custom", "Custom dates"),
]
# The filters that narrow every figure to some candidates (field name on Candidate).
FILTER_FIELDS = ("state", "office_level", "election_year", "source")


def organisation_zone() -> ZoneInfo:
    return ZoneInfo(settings.RFS_TIME_ZONE)


def cycle_start(today: date) -> date:
    """The start of the two-year election cycle as the FEC counts it: 1 January of the odd
    year before the even election year (in 2026, from 1 January 2025)."""
    return date(today.year - 1 if today.year % 2 == 0 else today.year, 1, 1)


@dataclass(frozen=True)
class Period:
    """Whole local days, first_day to last_day inclusive, in the organisation's zone; start and
    end are the instants that bound them (end exclusive)."""

    first_day: date
    last_day: date
    zone: ZoneInfo

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first_day, time.min, tzinfo=self.zone)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last_day + timedelta(days=1), time.min, tzinfo=self.zone)

    @cached_property
    def weeks(self) -> list[date]:
        """The Mondays of every week the period touches, in order."""
        monday = self.first_day - timedelta(days=self.first_day.weekday())
        weeks = []
        while monday <= self.last_day:
            weeks.append(monday)
            monday += timedelta(days=7)
        return weeks

    @cached_property
    def week_starts(self) -> list[datetime]:
        """The instants the period's weeks begin (Monday midnight in the zone)."""
        return [datetime.combine(monday, time.min, tzinfo=self.zone) for monday in self.weeks]

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


class DashboardForm(forms.Form):
    """Which period and which candidates the dashboard shows. Invalid values are reported
    beside the field and the defaults are used instead."""

    period = forms.ChoiceField(label="Period", choices=PERIOD_CHOICES, required=False)
    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    state = forms.ChoiceField(choices=[("", "All states"), *STATE_CHOICES], required=False)
    office_level = forms.ChoiceField(
        label="Office level", choices=[("", "All levels"), *OfficeLevel.choices], required=False
    )
    election_year = forms.IntegerField(
        label="Election year", required=False, min_value=1900, max_value=2100
    )
    source = forms.ChoiceField(
        label="Heard about us",
        choices=[("", "All sources"), *Source.choices],
        required=False,
    )

    def __init__(self, data=None, *args, **kwargs) -> None:
        # No period asked for: show (and use) the default one.
        if data is not None and not data.get("period"):
            data = data.copy()
            data["period"] = DEFAULT_PERIOD
        super().__init__(data, *args, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("period") == "custom":
            start, end = data.get("start"), data.get("end")
            if start is None and "start" not in self.errors:
                self.add_error("start", "Give the first day of the period.")
            if end is None and "end" not in self.errors:
                self.add_error("end", "Give the last day of the period.")
            if start and end and end < start:
                self.add_error("end", "The last day must not be before the first day.")
            elif start and end and (end - start).days >= MAX_CUSTOM_DAYS:
                self.add_error("end", "Choose a period of at most three years.")
        return data

    def _valid(self, name: str):
        """A field's cleaned value, or None if it was empty or had an error."""
        if name in self.errors:
            return None
        return getattr(self, "cleaned_data", {}).get(name) or None

    def period_key(self) -> str:
        key = self._valid("period") or DEFAULT_PERIOD
        if key == "custom" and (self._valid("start") is None or self._valid("end") is None):
            return DEFAULT_PERIOD
        return key

    def chosen_period(self, today: date | None = None) -> Period:
        zone = organisation_zone()
        today = today or timezone.now().astimezone(zone).date()
        key = self.period_key()
        if key == "custom":
            return Period(self._valid("start"), self._valid("end"), zone)
        if key == "cycle":
            return Period(cycle_start(today), today, zone)
        return Period(today - timedelta(days=int(key) - 1), today, zone)

    def filters(self) -> dict:
        """The valid, non-empty candidate filters."""
        return {name: value for name in FILTER_FIELDS if (value := self._valid(name)) is not None}
