import uuid

from django import forms
from django.db.models import Q, QuerySet

from rfs.accounts.models import SecurityEvent


class SecurityEventFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "Any"), *SecurityEvent.Kind.choices], required=False)
    who = forms.CharField(required=False, max_length=254, help_text="Part of an email address.")
    subject = forms.CharField(
        required=False, max_length=200, help_text="Part of a name, or a full identifier."
    )
    since = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "The end date is before the start date.")
        return data

    def apply(self, events: QuerySet[SecurityEvent]) -> QuerySet[SecurityEvent]:
        """`events` narrowed by the valid filters (a filter with an error is not applied)."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("kind"):
            events = events.filter(kind=data["kind"])
        if data.get("who"):
            events = events.filter(actor_label__icontains=data["who"])
        if data.get("subject"):
            events = events.filter(_subject(data["subject"]))
        if data.get("since"):
            events = events.filter(at__date__gte=data["since"])
        if data.get("until"):
            events = events.filter(at__date__lte=data["until"])
        return events


def _subject(text: str) -> Q:
    condition = Q(subject_label__icontains=text)
    try:
        return condition | Q(subject_id=uuid.UUID(text.strip()))
    except ValueError:
        return condition
