"""Forms of help requests: replies in the conversation, the list's filters, and staff's
response settings."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from candidates import request_kinds
from candidates.models import WorkingHours
from candidates.services.request_filters import (
    NOT_FIRST_CONTACT,
    STAFF_DEFAULT_WHOSE,
    STAFF_DEFAULTS,
    STATES,
    WHOSE,
)

WEEKDAYS = WorkingHours._meta.get_field("weekday").choices


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write a reply.")},
    )
    # Set by the button pressed: reply, wait (hand back to the candidate), resolve.
    action = forms.ChoiceField(
        choices=[("reply", "Send"), ("wait", "Send and wait"), ("resolve", "Send and resolve")],
        required=False,
        widget=forms.HiddenInput,
    )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].replace("\x00", "").strip()
        if not body:
            raise forms.ValidationError(_("Write a reply."))
        return body

    def clean_action(self) -> str:
        return self.cleaned_data["action"] or "reply"


class ResponseTargetsForm(forms.Form):
    """The time allowed per kind of request, each an amount and its clock (business hours or
    calendar days). A clock left out keeps the current one."""

    def __init__(self, *args, current: dict[str, tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.current = current
        for kind, label in request_kinds.choices():
            amount, clock = current[kind]
            self.fields[kind] = forms.IntegerField(
                label=label, min_value=1, max_value=24 * 60, initial=amount
            )
            self.fields[f"{kind}_clock"] = forms.ChoiceField(
                label=f"{label}: counted in",
                choices=request_kinds.Clock.choices,
                initial=clock,
                required=False,
            )

    def targets(self) -> dict[str, tuple[int, str]]:
        data = self.cleaned_data
        return {
            kind: (data[kind], data.get(f"{kind}_clock") or self.current[kind][1])
            for kind, _ in request_kinds.choices()
        }

    def rows(self) -> list[tuple]:
        return [(self[kind], self[f"{kind}_clock"]) for kind, _ in request_kinds.choices()]


class WorkingHoursForm(forms.Form):
    """Opening and closing time per weekday; both empty means closed that day."""

    def __init__(self, *args, current: dict[int, tuple], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for day, name in WEEKDAYS:
            opens, closes = current.get(day, (None, None))
            self.fields[f"opens_{day}"] = forms.TimeField(
                label=f"{name} opens",
                required=False,
                initial=opens,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )
            self.fields[f"closes_{day}"] = forms.TimeField(
                label=f"{name} closes",
                required=False,
                initial=closes,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )

    def clean(self) -> dict:
        data = super().clean()
        for day, name in WEEKDAYS:
            opens, closes = data.get(f"opens_{day}"), data.get(f"closes_{day}")
            if (opens is None) != (closes is None):
                self.add_error(f"closes_{day}", f"Give both times for {name}, or neither.")
            elif opens is not None and closes <= opens:
                self.add_error(f"closes_{day}", "Closing time must be after opening time.")
        return data

    def days(self) -> dict[int, tuple | None]:
        data = self.cleaned_data
        return {
            day: (data[f"opens_{day}"], data[f"closes_{day}"])
            if data.get(f"opens_{day}") is not None
            else None
            for day, _ in WEEKDAYS
        }

    def rows(self) -> list[tuple]:
        return [(name, self[f"opens_{day}"], self[f"closes_{day}"]) for day, name in WEEKDAYS]


class HolidayForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(max_length=100, label="Name of the day")


# One owner, as stored: a person ("user:<id>") or a team ("partner:<uuid>").
OWNER_VALUE = re.compile(r"user:\d{1,18}|[a-z_]{1,30}:[\w-]{1,60}")


class WhoseField(forms.ChoiceField):
    """The owners worth offering are those holding open requests, known only once the list is
    counted; so any value of an owner's form is accepted (an owner with none shows nothing)."""

    def valid_value(self, value) -> bool:
        return value in WHOSE or bool(OWNER_VALUE.fullmatch(str(value)))


class RequestFilterForm(forms.Form):
    """The request list's search and filters, from the query string. Staff choose whose
    requests; with no filter given they see the staff pool and their own, first contacts
    left out. Anyone else sees only their own."""

    q = forms.CharField(
        label="Candidate",
        required=False,
        max_length=200,
        help_text="Name or email; the start of a word is enough.",
    )
    whose = WhoseField(label="Whose", required=False, choices=list(WHOSE.items()))
    kind = forms.ChoiceField(label="Kind", required=False)
    state = forms.ChoiceField(
        label="Show", required=False, choices=[("", "All open"), *STATES.items()]
    )

    def __init__(self, data, *, staff: bool) -> None:
        if staff and not any(data.get(name) is not None for name in self.base_fields):
            data = STAFF_DEFAULTS
        super().__init__(data)
        kinds = [("", "All kinds"), *request_kinds.choices()]
        if staff:
            kinds.insert(1, (NOT_FIRST_CONTACT, "All but first contacts"))
            self.fields["kind"].help_text = "First contacts are the screeners' work."
        else:
            del self.fields["whose"]
        self.fields["kind"].choices = kinds

    def clean_q(self) -> str:
        return self.cleaned_data["q"].replace("\x00", "").strip()

    def clean_whose(self) -> str:
        return self.cleaned_data["whose"] or STAFF_DEFAULT_WHOSE

    def filters(self) -> dict:
        """The valid filters (a field typed wrong is left out, and its error shown)."""
        self.is_valid()
        filters = {name: self.cleaned_data.get(name, "") for name in ("q", "kind", "state")}
        if "whose" in self.fields:
            filters["whose"] = self.cleaned_data.get("whose") or STAFF_DEFAULT_WHOSE
        return filters

    def show_counts(self, counts: dict, owners: list[tuple[str, str, int]]) -> None:
        """Put the number of requests beside each choice: `counts` per field and value (as
        request_filters.count_requests gives them), `owners` as (value, name, count)."""
        for name, by_value in counts.items():
            if name not in self.fields:
                continue
            field = self.fields[name]
            choices = [
                (value, f"{label} ({by_value[value]})" if value in by_value else label)
                for value, label in field.choices
            ]
            if name == "whose":
                choices += [(value, f"{label} ({count})") for value, label, count in owners]
            field.choices = choices
