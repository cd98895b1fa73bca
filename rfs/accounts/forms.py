import uuid

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from rfs.accounts.models import Guide, SecurityEvent

__all__ = [
    "AgreementForm",
    "ApplicantQuestionForm",
    "GuideForm",
    "HoneypotMixin",
    "SecurityEventFilterForm",
    "SetPasswordForm",
]


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


class HoneypotMixin(forms.Form):
    """A field people never see (a CSS class hides it) and bots fill: every public form has
    it, and a post that filled it is quietly turned away."""

    # Its widget's attributes set once, here: a form may share its fields with every other
    # (candidates' CandidateFieldsForm), and nothing should write to them per form.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    @property
    def is_spam(self) -> bool:
        """True when the honeypot was filled (whatever else is wrong with the form)."""
        return bool(self.data.get(self.add_prefix("website"), "").strip())

    @property
    def answers(self) -> dict:
        """The cleaned answers, without the honeypot."""
        return {name: value for name, value in self.cleaned_data.items() if name != "website"}


class GuideForm(forms.ModelForm):
    class Meta:
        model = Guide
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 20})}
        help_texts = {"body": "Plain text; a blank line starts a new paragraph."}


class AgreementForm(forms.Form):
    text = forms.CharField(
        label="Text of the new version",
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Publishing it asks every volunteer and mentor to accept it again.",
    )


class ApplicantQuestionForm(forms.Form):
    question = forms.CharField(
        label="Question to the applicant",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Emailed to them; they answer by replying.",
    )
