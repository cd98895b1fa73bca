"""Forms of the partners app: the directory, contacts, resources, referrals and consent."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone

from candidates.forms.intake import CandidateFieldsForm
from candidates.geography import STATE_CHOICES
from candidates.models import LeadSource, Need, OfficeLevel, Party
from partners.models import (
    DEFAULT_RESPONSE_DAYS,
    Community,
    ConsentField,
    Contact,
    Partner,
    Resource,
    Service,
)

CHECKBOXES = forms.CheckboxSelectMultiple


def _any(label: str, choices) -> list[tuple[str, str]]:
    return [("", label), *choices]


class PartnerFilterForm(forms.Form):
    """The directory's search and filters; anything unknown is ignored, never a 500."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    service = forms.ChoiceField(choices=_any("Any service", Service.choices), required=False)
    community = forms.ChoiceField(choices=_any("Any community", Community.choices), required=False)
    state = forms.ChoiceField(choices=_any("Any state", STATE_CHOICES), required=False)
    status = forms.ChoiceField(
        choices=[("", "Active and paused"), ("active", "Active"), ("paused", "Paused")],
        required=False,
    )

    def filter(self, partners):
        if not self.is_valid():
            return partners
        data = self.cleaned_data
        if data["q"]:
            partners = partners.filter(name__icontains=data["q"]) | partners.filter(
                description__icontains=data["q"]
            )
        if data["service"]:
            partners = partners.filter(services__contains=[data["service"]])
        if data["community"]:
            partners = partners.filter(communities__contains=[data["community"]])
        if data["state"]:
            # A partner with no states works nationwide.
            partners = partners.filter(states__contains=[data["state"]]) | partners.filter(
                states=[]
            )
        if data["status"]:
            partners = partners.filter(is_active=data["status"] == "active")
        return partners


class PartnerForm(forms.ModelForm):
    website = forms.URLField(max_length=300, required=False, assume_scheme="https")
    services = forms.MultipleChoiceField(choices=Service.choices, widget=CHECKBOXES, required=False)
    communities = forms.MultipleChoiceField(
        choices=Community.choices, widget=CHECKBOXES, required=False
    )
    states = forms.MultipleChoiceField(
        choices=STATE_CHOICES,
        required=False,
        help_text="None means nationwide.",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    office_levels = forms.MultipleChoiceField(
        label="Offices it helps",
        choices=OfficeLevel.choices,
        widget=CHECKBOXES,
        required=False,
        help_text="None means any.",
    )
    parties = forms.MultipleChoiceField(
        label="Party registrations it helps",
        choices=Party.choices,
        widget=CHECKBOXES,
        required=False,
        help_text="None means any.",
    )
    lead_sources = forms.ModelMultipleChoiceField(
        label="Its forms that post leads to us",
        queryset=LeadSource.objects.all(),
        widget=CHECKBOXES,
        required=False,
        help_text="People who come through them count as sent by this partner.",
    )
    response_days = forms.IntegerField(
        label="Business days to answer a referral",
        min_value=1,
        max_value=30,
        initial=DEFAULT_RESPONSE_DAYS,
    )

    class Meta:
        model = Partner
        fields = [
            "name",
            "description",
            "website",
            "services",
            "communities",
            "states",
            "office_levels",
            "parties",
            "first_time_only",
            "eligibility_note",
            "is_active",
        ]

    # Fields the services take apart from the partner's own.
    EXTRA = ("response_days", "lead_sources")

    def partner_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in self.EXTRA}


class ContactForm(forms.ModelForm):
    with_login = forms.BooleanField(
        label="Give them a login to work the partner's referrals", required=False
    )

    class Meta:
        model = Contact
        fields = ["name", "email", "title", "phone", "is_primary"]


class ResourceForm(forms.ModelForm):
    needs = forms.MultipleChoiceField(choices=Need.choices, widget=CHECKBOXES, required=False)
    url = forms.URLField(label="Link", max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Resource
        fields = ["title", "kind", "url", "description", "needs", "is_shared"]


class ConsentForm(forms.Form):
    """The candidate's consent, as a screener or staff member records it."""

    consent_words = forms.CharField(
        label="The words the candidate agreed to",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="e.g. “Yes, you can share my details with them.”",
    )
    consent_fields = forms.MultipleChoiceField(
        label="Besides name and email, they agreed to share",
        choices=ConsentField.choices,
        widget=CHECKBOXES,
        required=False,
        initial=ConsentField.values,
    )


class ReferralForm(ConsentForm):
    """Staff or a screener refer a candidate to a partner; consent is optional for staff
    (without it the candidate is asked in the portal)."""

    partner = forms.ModelChoiceField(
        queryset=Partner.objects.active(), to_field_name="uuid", empty_label="Choose a partner"
    )
    need = forms.ChoiceField(choices=_any("Any need", Need.choices), required=False)
    note = forms.CharField(
        label="Why this partner",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    has_consent = forms.BooleanField(label="The candidate agreed, in these words:", required=False)

    def __init__(self, *args, consent_required: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.consent_required = consent_required
        self.fields["consent_words"].required = False
        if consent_required:
            self.fields["has_consent"].required = True
            self.fields["has_consent"].label = "The candidate agreed to be introduced"

    def clean(self):
        data = super().clean()
        if data.get("has_consent") and not (data.get("consent_words") or "").strip():
            self.add_error("consent_words", "Write down the words the candidate agreed to.")
        return data


class PortalConsentForm(forms.Form):
    """The candidate's own answer in the portal."""

    consent_fields = forms.MultipleChoiceField(
        label="Besides your name and email, share",
        choices=ConsentField.choices,
        widget=CHECKBOXES,
        required=False,
        initial=ConsentField.values,
    )


class AnswerForm(forms.Form):
    """A partner's note when it accepts, declines (a reason) or marks a referral helped."""

    note = forms.CharField(
        label="Note", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    note = forms.CharField(label="Why", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class PartnerLeadForm(CandidateFieldsForm):
    """A partner refers someone to us: the candidate fields that matter to start with."""

    KEPT = (
        "first_name",
        "last_name",
        "email",
        "phone",
        "zip_code",
        "state",
        "city",
        "office_level",
        "office",
        "needs",
        "why_run",
    )
    agreed = forms.BooleanField(
        label="They agreed that Run for Something may contact them",
        error_messages={"required": "We contact only people who agreed to it."},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in self.KEPT and name != "agreed":
                del self.fields[name]
        # A partner may know only an email; the volunteer asks for the rest.
        self.fields["phone"].required = False

    def candidate_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "agreed"}


class ReportPeriodForm(forms.Form):
    """The report's period: From and To days, the last twelve months by default."""

    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in ("start", "end"):
            value = cleaned.get(name)
            if value is not None and not 2000 <= value.year <= 2100:
                self.add_error(name, "Enter a date from 2000 to 2100.")
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date cannot be before the start date.")
        return cleaned

    def period(self) -> tuple[datetime, datetime]:
        """[start, end) as aware moments: the chosen days, else the last twelve months."""
        today = timezone.localdate()
        valid = self.is_bound and self.is_valid()
        start = (self.cleaned_data.get("start") if valid else None) or today - timedelta(days=365)
        end = (self.cleaned_data.get("end") if valid else None) or today
        return _day_start(start), _day_start(end + timedelta(days=1))


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
