"""Forms of help requests: replies in the conversation, and staff's response settings."""

from django import forms

from candidates import request_kinds
from candidates.models import WorkingHours

WEEKDAYS = WorkingHours._meta.get_field("weekday").choices


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Your reply",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write a reply."},
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
            raise forms.ValidationError("Write a reply.")
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
