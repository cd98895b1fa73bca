"""Screening forms: they validate what a screener typed; services decide what happens."""

import uuid
import zoneinfo
from datetime import date, datetime, time, timedelta

from django import forms
from django.conf import settings
from django.contrib.postgres.forms import SimpleArrayField
from django.forms.fields import BaseTemporalField
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from candidates import languages
from candidates.geography import STATE_CHOICES
from candidates.models import Candidate, Need, OfficeLevel
from rfs.accounts.forms import HoneypotMixin
from rfs.accounts.models import Role, User
from screening.models import (
    RUBRIC,
    TIME_ZONE_CHOICES,
    ContactAttempt,
    ScreeningCall,
    VolunteerApplication,
)

DATETIME_INPUT = {"type": "datetime-local"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
# Small clock differences between a screener's device and the server are not "the future".
CLOCK_SLACK = timedelta(minutes=5)


SELECT = forms.Select(attrs={"class": "form-select"})


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(
        choices=[("", "All states"), *STATE_CHOICES], required=False, widget=SELECT
    )
    office_level = forms.ChoiceField(
        label="Office level",
        choices=[("", "All levels"), *OfficeLevel.choices],
        required=False,
        widget=SELECT,
    )
    language = forms.ChoiceField(
        choices=[("", "All languages"), *languages.CHOICES], required=False, widget=SELECT
    )


def _past_moment(value: datetime | None, candidate: Candidate, what: str) -> None:
    if value is None:
        return
    if value > timezone.now() + CLOCK_SLACK:
        raise forms.ValidationError(f"The {what} cannot be in the future.")
    if value < candidate.created_at - CLOCK_SLACK:
        raise forms.ValidationError(f"The {what} cannot be before the candidate signed up.")


class ContactAttemptForm(forms.Form):
    kind = forms.ChoiceField(
        label="What happened", choices=[("", "Choose…"), *ContactAttempt.Kind.choices]
    )
    at = forms.DateTimeField(
        label="When",
        required=False,
        help_text="Your time. Leave empty for now.",
        widget=forms.DateTimeInput(attrs=DATETIME_INPUT, format=DATETIME_FORMAT),
    )
    note = forms.CharField(label="Note (optional)", max_length=500, required=False)

    def __init__(self, *args, candidate: Candidate, **kwargs) -> None:
        self.candidate = candidate
        super().__init__(*args, **kwargs)

    def clean_at(self) -> datetime | None:
        value = self.cleaned_data.get("at")
        _past_moment(value, self.candidate, "attempt")
        return value


class WallClockField(forms.DateTimeField):
    """A date and time with no zone yet: the form says which zone it is in."""

    def to_python(self, value) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        try:
            parsed = parse_datetime(value.strip())
        except ValueError:
            parsed = None
        if parsed is None:
            # The input formats, read as naive wall-clock times (no zone applied yet).
            parsed = BaseTemporalField.to_python(self, value)
        return parsed.replace(tzinfo=None)


class ScheduleCallForm(forms.Form):
    starts_local = WallClockField(
        label="Date and time",
        widget=forms.DateTimeInput(attrs=DATETIME_INPUT, format=DATETIME_FORMAT),
    )
    zone = forms.ChoiceField(label="In whose time zone", widget=forms.RadioSelect)

    def __init__(
        self,
        *args,
        screener_zone: zoneinfo.ZoneInfo,
        candidate_zone: zoneinfo.ZoneInfo,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.zones = {"candidate": candidate_zone, "screener": screener_zone}
        self.fields["zone"].choices = [
            ("candidate", f"The candidate's ({candidate_zone.key})"),
            ("screener", f"Mine ({screener_zone.key})"),
        ]
        self.fields["zone"].initial = "candidate"

    def clean(self) -> dict:
        cleaned = super().clean()
        local, zone_name = cleaned.get("starts_local"), cleaned.get("zone")
        if local is None or zone_name not in self.zones:
            return cleaned
        zone = self.zones[zone_name]
        now = timezone.now()
        latest = now + timedelta(days=settings.RFS_SCHEDULE_MAX_DAYS)
        too_late = f"Choose a time within the next {settings.RFS_SCHEDULE_MAX_DAYS} days."
        # Days far outside the window are refused before any zone arithmetic, which cannot
        # go past the calendar's ends (years 1 and 9999).
        if local.date() < now.date() - timedelta(days=1):
            self.add_error("starts_local", "Choose a time in the future.")
            return cleaned
        if local.date() > latest.date() + timedelta(days=1):
            self.add_error("starts_local", too_late)
            return cleaned
        aware = local.replace(tzinfo=zone)
        # A wall-clock time skipped by a DST change does not survive the round trip.
        if aware.astimezone(zoneinfo.ZoneInfo("UTC")).astimezone(zone).replace(
            tzinfo=None
        ) != local.replace(fold=0):
            self.add_error(
                "starts_local",
                f"{local:%H:%M} does not exist on {local:%B %d} in {zone.key}: the clocks "
                "jump forward then. Choose another time.",
            )
            return cleaned
        if aware <= now:
            self.add_error("starts_local", "Choose a time in the future.")
        elif aware > latest:
            self.add_error("starts_local", too_late)
        cleaned["starts_at"] = aware
        return cleaned


def _score_field(criterion) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=criterion.label,
        help_text=criterion.question,
        coerce=int,
        required=False,
        empty_value=None,
        choices=[(score, f"{score}: {text}") for score, text in criterion.levels.items()],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a score from 1 to 5."},
    )


class ScreeningCallForm(forms.Form):
    """The call log: when, how long, the rubric, needs found, notes, outcome and next step."""

    happened_at = forms.DateTimeField(
        label="When the call happened",
        help_text="Your time.",
        widget=forms.DateTimeInput(attrs=DATETIME_INPUT, format=DATETIME_FORMAT),
    )
    duration_minutes = forms.IntegerField(
        label="Duration in minutes",
        min_value=1,
        max_value=300,
        error_messages={
            "required": "Enter how many minutes the call took.",
            "min_value": "The duration must be at least 1 minute.",
            "max_value": "The duration cannot be more than 300 minutes (5 hours); check it.",
            "invalid": "Enter the duration as a whole number of minutes.",
        },
    )
    outcome = forms.ChoiceField(
        choices=ScreeningCall.Outcome.choices,
        widget=forms.RadioSelect,
        help_text="Advance, not yet and not a fit send the candidate a follow-up email.",
    )
    needs = forms.MultipleChoiceField(
        label="Needs found",
        choices=Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label="Private notes",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Seen by screeners and staff only, never sent to the candidate.",
    )
    next_step = forms.ChoiceField(
        label="Recommended next step", choices=[("", "Choose…"), *ScreeningCall.NextStep.choices]
    )
    training_uuid = forms.TypedChoiceField(
        label="Training to invite them to",
        required=False,
        coerce=uuid.UUID,
        empty_value=None,
        help_text="For “Invite to a training”: they are invited to its next session.",
    )
    check_back_on = forms.DateField(
        label="Check back on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="For “Check back”: that morning they get a kind email asking how things stand.",
    )
    next_step_note = forms.CharField(
        label="Note for the next step",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What staff should do (mentor, partner, staff follow-up). "
        "The candidate can see it on their request.",
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args,
        candidate: Candidate,
        editing: ScreeningCall | None = None,
        trainings: list[tuple[str, str]] = (),
        **kwargs,
    ):
        self.candidate = candidate
        self.editing = editing
        super().__init__(*args, **kwargs)
        self.fields["training_uuid"].choices = [("", "Choose…"), *trainings]
        # The rubric goes after the duration, in its own order.
        for criterion in reversed(RUBRIC):
            self.fields[criterion.field] = _score_field(criterion)
        order = ["happened_at", "duration_minutes", *[c.field for c in RUBRIC]]
        self.order_fields(order)
        if editing is not None:
            # The outcome moved the stage and sent its email; it is not edited afterwards.
            del self.fields["outcome"]
            del self.fields["form_token"]
            if not editing.reached:
                for criterion in RUBRIC:
                    del self.fields[criterion.field]
        elif not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())

    @property
    def reached(self) -> bool:
        if self.editing is not None:
            return self.editing.reached
        return self.cleaned_data.get("outcome") != ScreeningCall.Outcome.NO_CONTACT

    def clean_happened_at(self) -> datetime:
        value = self.cleaned_data["happened_at"]
        if self.editing is not None and value == self.editing.happened_at.replace(
            second=0, microsecond=0
        ):
            # The form shows whole minutes: an untouched time keeps its seconds.
            return self.editing.happened_at
        _past_moment(value, self.candidate, "call")
        return value

    def _clean_next_step(self, cleaned: dict) -> None:
        step = cleaned.get("next_step")
        day = cleaned.get("check_back_on")
        if step == ScreeningCall.NextStep.CHECK_BACK:
            today = timezone.localdate()
            if day is None:
                self.add_error("check_back_on", "Choose the day to check back.")
            elif not today < day <= today + timedelta(days=730):
                self.add_error("check_back_on", "Choose a day within the next two years.")
        else:
            cleaned["check_back_on"] = None
        if step == ScreeningCall.NextStep.TRAINING:
            if cleaned.get("training_uuid") is None and "training_uuid" not in self.errors:
                self.add_error("training_uuid", "Choose the training to invite them to.")
        else:
            cleaned["training_uuid"] = None

    def clean(self) -> dict:
        cleaned = super().clean()
        self._clean_next_step(cleaned)
        if self.editing is None and "outcome" not in cleaned:
            return cleaned
        for criterion in RUBRIC:
            if criterion.field not in self.fields:
                continue
            if not self.reached:
                cleaned[criterion.field] = None
            elif cleaned.get(criterion.field) is None and criterion.field not in self.errors:
                self.add_error(criterion.field, f"Score {criterion.label.lower()} from 1 to 5.")
        return cleaned

    @property
    def scores(self) -> dict[str, int | None]:
        return {c.field: self.cleaned_data.get(c.field) for c in RUBRIC}


# Report dates outside these years are typing mistakes; beyond them, day arithmetic would
# also run past the calendar's end (year 9999).
FIRST_REPORT_DAY, LAST_REPORT_DAY = date(1900, 1, 1), date(2100, 12, 31)


class DateRangeForm(forms.Form):
    """A From and a To day, both optional; To may not come before From."""

    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def _clean_day(self, name: str) -> date | None:
        value = self.cleaned_data.get(name)
        if value is not None and not FIRST_REPORT_DAY <= value <= LAST_REPORT_DAY:
            raise forms.ValidationError(
                f"Enter a date from {FIRST_REPORT_DAY.year} to {LAST_REPORT_DAY.year}."
            )
        return value

    def clean_start(self) -> date | None:
        return self._clean_day("start")

    def clean_end(self) -> date | None:
        return self._clean_day("end")

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date cannot be before the start date.")
        return cleaned


class CallFilterForm(DateRangeForm):
    """Filters of the staff list of calls; dates are whole days in the viewer's zone."""

    field_order = ["screener", "outcome", "state", "start", "end"]

    screener = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="All screeners"
    )
    outcome = forms.ChoiceField(
        choices=[("", "All outcomes"), *ScreeningCall.Outcome.choices], required=False
    )
    state = forms.ChoiceField(choices=[("", "All states"), *STATE_CHOICES], required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["screener"].queryset = User.objects.with_role(
            Role.SCREENER, Role.STAFF
        ).order_by("name", "email")

    def apply(self, calls):
        data = self.cleaned_data
        if data.get("screener"):
            calls = calls.filter(screener=data["screener"])
        if data.get("outcome"):
            calls = calls.filter(outcome=data["outcome"])
        if data.get("state"):
            calls = calls.filter(candidate__state=data["state"])
        if data.get("start"):
            calls = calls.filter(happened_at__gte=_day_start(data["start"]))
        if data.get("end"):
            calls = calls.filter(happened_at__lt=_day_start(data["end"] + timedelta(days=1)))
        return calls


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class ReportPeriodForm(DateRangeForm):
    """The period of the staff hours report: whole months, the last six by default."""

    def period(self) -> tuple[datetime, datetime]:
        """[start, end) as aware moments: the chosen days, else the last six months."""
        today = timezone.localdate()
        year, month = divmod(today.year * 12 + today.month - 1 - 5, 12)
        default_start = date(year, month + 1, 1)
        valid = self.is_valid()
        start = (self.cleaned_data.get("start") if valid else None) or default_start
        end = (self.cleaned_data.get("end") if valid else None) or today
        return _day_start(start), _day_start(end + timedelta(days=1))


class PartnerReferralForm(forms.Form):
    """A screener's referral to a partner at the end of a call, with the candidate's consent."""

    partner = forms.ChoiceField(label="Partner")
    consent_words = forms.CharField(
        label="The words the candidate agreed to",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="e.g. “Yes, you can share my details with them.”",
    )
    consent_fields = forms.MultipleChoiceField(
        label="Besides name and email, they agreed to share",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(label="Why this partner", max_length=2000, required=False)

    def __init__(self, *args, partners, fields, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", "Choose a partner"), *partners]
        self.fields["consent_fields"].choices = fields
        self.fields["consent_fields"].initial = [value for value, _ in fields]


# --- Volunteers ----------------------------------------------------------------------------


class VolunteerApplicationForm(HoneypotMixin, forms.ModelForm):
    """The public page where someone offers to screen candidates."""

    phone = PhoneNumberField(label=_("Phone"), region="US", max_length=30)
    state = forms.ChoiceField(label=_("State"), choices=[("", _("Choose a state")), *STATE_CHOICES])
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=[("", _("Choose a time zone")), *TIME_ZONE_CHOICES]
    )
    hours_per_week = forms.IntegerField(
        label=_("Hours a week you can give"), min_value=1, max_value=60
    )
    languages = SimpleArrayField(
        forms.CharField(max_length=40),
        label=_("Languages you speak"),
        help_text=_("Separated by commas, e.g. English, Spanish."),
    )

    class Meta:
        model = VolunteerApplication
        fields = [
            "name",
            "email",
            "phone",
            "state",
            "time_zone",
            "hours_per_week",
            "languages",
            "experience",
        ]
        labels = {"name": _("Your name"), "email": _("Email"), "experience": _("Your experience")}
        help_texts = {
            "experience": _("Campaigns, organising, phone banking, or anything else you bring.")
        }
        widgets = {"experience": forms.Textarea(attrs={"rows": 5})}

    def clean_phone(self) -> str:
        return str(self.cleaned_data["phone"])

    def clean_languages(self) -> list[str]:
        return languages.canonical_names(self.cleaned_data["languages"])
