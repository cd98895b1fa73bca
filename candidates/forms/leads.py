"""Forms of partner leads: a lead's answers as a candidate, a source, and its field map."""

from django import forms

from candidates.forms.intake import CandidateFieldsForm
from candidates.lead_payloads import OWN_FIELDS, normalise_key
from candidates.models import Destination, LeadSource

# A partner form asks for little: a name and an address are enough to know a person.
LEAD_REQUIRED = {"first_name", "email"}


class LeadForm(CandidateFieldsForm):
    """A partner form's answers, checked by the signup form's rules for what they contain.

    It is only ever validated, never shown, and a worker makes one for every lead: so every
    lead's form shares the fields its process prepared for the language and year
    (CandidateFieldsForm's shared=True). Building a form with its own copy of them was a sixth
    of a worker's time resolving leads."""

    consent = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, shared=True, **kwargs)

    def prepare_fields(self, year: int) -> None:
        super().prepare_fields(year)
        for name, field in self.fields.items():
            field.required = name in LEAD_REQUIRED


class LeadSourceForm(forms.ModelForm):
    class Meta:
        model = LeadSource
        fields = [
            "name",
            "owner",
            "asks_contact",
            "consent_wording",
            "auth",
            "preset",
            "idempotency_field",
            "max_bytes",
            "rate_per_minute",
            "active",
        ]
        widgets = {"consent_wording": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("asks_contact") and not (cleaned.get("consent_wording") or "").strip():
            self.add_error(
                "consent_wording",
                "Give the words the form uses to ask: they are kept with every lead.",
            )
        return cleaned


class FieldMapForm(forms.Form):
    """The source's own map, one `payload key = field` a line (an empty field ignores the key)."""

    field_map = forms.CharField(
        label="Field map",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "font-monospace"}),
        help_text=(
            "One line per key: <code>payload.key = field</code>, nested keys with dots "
            "(<code>person.email_addresses.0.address</code>). Leave the field empty to ignore "
            "a key. Fields: " + ", ".join(OWN_FIELDS) + "."
        ),
    )

    @staticmethod
    def as_text(field_map: dict[str, str]) -> str:
        return "\n".join(f"{key} = {field}" for key, field in field_map.items())

    def clean_field_map(self) -> dict[str, str]:
        mapped: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data["field_map"].splitlines(), start=1):
            if not line.strip():
                continue
            key, sep, field = line.partition("=")
            key, field = key.strip(), field.strip()
            if not sep or not key:
                raise forms.ValidationError(f"Line {number}: write it as `key = field`.")
            if field and field not in OWN_FIELDS:
                raise forms.ValidationError(f"Line {number}: “{field[:40]}” is not a field.")
            if normalise_key(key) in {normalise_key(k) for k in mapped}:
                raise forms.ValidationError(f"Line {number}: “{key[:40]}” is mapped twice.")
            mapped[key] = field
        return mapped


class DestinationForm(forms.ModelForm):
    url = forms.URLField(
        label="Address",
        max_length=500,
        assume_scheme="https",
        help_text="Where we POST each event as signed JSON (https in production).",
    )
    events = forms.MultipleChoiceField(
        label="Events it hears of",
        choices=Destination.Event.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Destination
        fields = ["name", "url", "events", "active"]
