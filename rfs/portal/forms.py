"""Forms of the candidate portal: asking for a login code, corrections, questions."""

from allauth.account.forms import RequestLoginCodeForm
from django import forms
from django.utils.translation import gettext_lazy as _

from candidates.details import normalise_phone
from candidates.forms.intake import CandidateFieldsForm
from candidates.models import Candidate, Need
from candidates.services.self_service import SELF_SERVICE_FIELDS, ensure_candidate_login


class PortalLoginForm(forms.Form):
    email = forms.EmailField(
        label=_("The email you signed up with"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class CandidateLoginCodeForm(RequestLoginCodeForm):
    """allauth's "send me a sign-in code" form (settings.ACCOUNT_FORMS), made to work for a
    candidate who signed up but has no login yet: their login is made before allauth looks
    the address up. Unknown addresses are answered exactly as allauth answers them."""

    def clean_email(self) -> str:
        email = self.cleaned_data.get("email")
        if email:
            ensure_candidate_login(email=email)
        return super().clean_email()


class PortalDetailsForm(CandidateFieldsForm):
    """The candidate fields a candidate corrects in the portal, validated as at signup."""

    def __init__(self, *args, candidate: Candidate, **kwargs) -> None:
        self.candidate = candidate
        kwargs.setdefault(
            "initial",
            {name: getattr(candidate, name) for name in SELF_SERVICE_FIELDS},
        )
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in SELF_SERVICE_FIELDS:
                del self.fields[name]
        self.fields["needs"].label = _("What help do you need now?")
        # The address reads as on the signup form: city, state, ZIP.
        self.order_fields(["preferred_name", "pronouns", "phone", "city", "state", "zip_code"])

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        e164 = normalise_phone(phone)
        if e164 and Candidate.objects.filter(phone=e164).exclude(pk=self.candidate.pk).exists():
            raise forms.ValidationError(
                _(
                    "We could not save this number. Check it, or ask us in a question and we "
                    "will sort it out."
                ),
                code="taken",
            )
        return phone


class AskForm(forms.Form):
    topic = forms.ChoiceField(
        label=_("What is it about?"), choices=[("", _("Choose a topic")), *Need.choices]
    )
    subject = forms.CharField(
        label=_("Your question in a few words"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. How do I find a treasurer?")}),
    )
    body = forms.CharField(
        label=_("Tell us more"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Your mentor or our staff will answer here; we email you when they do."),
        error_messages={"required": _("Write your question.")},
    )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].replace("\x00", "").strip()
        if not body:
            raise forms.ValidationError(_("Write your question."))
        return body
