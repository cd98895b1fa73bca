from django import forms
from django.contrib.auth.forms import SetPasswordForm

from rfs.accounts.models import Guide

__all__ = [
    "AgreementForm",
    "ApplicantQuestionForm",
    "GuideForm",
    "HoneypotMixin",
    "SetPasswordForm",
]


class HoneypotMixin(forms.Form):
    """A field people never see (a CSS class hides it) and bots fill: every public form has
    it, and a post that filled it is quietly turned away."""

    website = forms.CharField(label="Leave this field empty", required=False, max_length=200)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")

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
