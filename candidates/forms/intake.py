"""The signup form and the candidate fields every intake channel validates."""

import copy
import re

from django import forms
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from candidates import heard_from as named_answers
from candidates.geography import STATE_CHOICES
from candidates.models import Candidate, Lgbtq, Need, OfficeLevel, Party, Source
from rfs.accounts.forms import HoneypotMixin

ZIP_RE = re.compile(r"^(\d{5})(-\d{4})?$")
# The organisation recruits adults, mostly young: nobody older than this or younger than that.
OLDEST_AGE = 100
YOUNGEST_AGE = 16
# How far ahead someone may plan to run.
ELECTION_YEARS_AHEAD = 6


def _max_length(name: str) -> int:
    return Candidate._meta.get_field(name).max_length


def _text(name: str, *, required: bool = False, **kwargs) -> forms.CharField:
    field = Candidate._meta.get_field(name)
    return forms.CharField(
        label=kwargs.pop("label", str(field.verbose_name).capitalize()),
        max_length=field.max_length,
        required=required,
        **kwargs,
    )


def _choices(blank: str, choices) -> list[tuple[str, str]]:
    return [("", blank), *choices]


class _SharedChoices:
    """Django deep-copies every field of a form for every form made, and for a choice field
    that means copying and checking its choices again, most of the cost of a signup's form.
    Choices here are replaced, never changed in place, so each form's fields share them."""

    def __deepcopy__(self, memo):
        # What forms.Field copies (the field, its widget's attributes, messages,
        # validators), without its own or its widget's choices.
        result = copy.copy(self)
        memo[id(self)] = result
        result.widget = copy.copy(self.widget)
        result.widget.attrs = self.widget.attrs.copy()
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        return result


class ChoiceField(_SharedChoices, forms.ChoiceField):
    pass


class TypedChoiceField(_SharedChoices, forms.TypedChoiceField):
    pass


class MultipleChoiceField(_SharedChoices, forms.MultipleChoiceField):
    pass


class _Shared(dict):
    """A form's fields that every form of its kind uses as they are: Django's copy of them for
    a new form is themselves."""

    def __deepcopy__(self, memo) -> "_Shared":
        return self


# (form class, language, year): the fields as a form of that class prepared them, shared by
# the forms of it made with shared=True.
_PREPARED: dict[tuple[type, str | None, int], dict] = {}


class CandidateFieldsForm(forms.Form):
    """Every candidate field, validated the same way for the form, the import and partner
    forms. Email comes back trimmed and lower case, phone as a PhoneNumber (E.164).

    Django copies a form's fields for every form made, and this form then prepares them for
    the year and language: together about a quarter of a millisecond of a signup's CPU. A
    form made with shared=True skips both: it uses the fields the first such form of its
    class prepared in this process for the same language and year. Such a form must only
    check answers, never be shown: rendering changes a field's widget (django-crispy-forms
    adds its classes, "is-invalid" among them, to the widget's attributes), and a shared
    widget would carry one person's errors into everyone's form."""

    first_name = _text("first_name", required=True, label=_("First name"))
    last_name = _text("last_name", required=True, label=_("Last name"))
    preferred_name = _text(
        "preferred_name",
        label=_("Preferred name"),
        help_text=_("If you go by another name, tell us what to call you."),
    )
    pronouns = _text("pronouns", label=_("Pronouns (optional)"))
    email = forms.EmailField(label=_("Email"), max_length=_max_length("email"))
    phone = PhoneNumberField(
        label=_("Mobile phone"),
        region="US",
        max_length=30,
        help_text=_("A volunteer will call you on this number."),
    )
    zip_code = forms.CharField(label=_("ZIP code"), max_length=10)
    state = ChoiceField(label=_("State"), choices=_choices(_("Choose a state"), STATE_CHOICES))
    city = _text("city", required=True, label=_("City or town"))
    birth_year = forms.IntegerField(
        label=_("Year you were born"),
        help_text=_("So we can see how old you will be on election day."),
    )

    office_level = ChoiceField(
        label=_("Which kind of office are you considering?"),
        choices=_choices(_("Choose one"), OfficeLevel.choices),
    )
    office = _text(
        "office",
        label=_("The office, in your words"),
        help_text=_("e.g. Springfield School Board"),
    )
    district = _text("district", label=_("District or seat (if you know it)"))
    election_year = TypedChoiceField(
        label=_("Election year you are aiming for"),
        coerce=int,
        empty_value=None,
        required=False,
    )
    has_filed = forms.BooleanField(label=_("I have already filed to run"), required=False)
    party = ChoiceField(
        label=_("Party registration"),
        choices=_choices(_("Prefer not to say"), Party.choices),
        required=False,
    )
    source = ChoiceField(
        label=_("How did you hear about us?"),
        choices=_choices(_("Choose one"), Source.choices),
        required=False,
    )
    source_detail = _text(
        "source_detail",
        label=_("Which publication, organisation or friend?"),
    )
    why_run = _text(
        "why_run",
        label=_("Why do you want to run?"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    needs = MultipleChoiceField(
        label=_("What help do you need?"),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    gender = _text("gender", label=_("Gender"))
    race_ethnicity = _text("race_ethnicity", label=_("Race and ethnicity"))
    lgbtq = ChoiceField(
        label=_("Do you identify as LGBTQ+?"),
        choices=_choices(_("Prefer not to answer"), Lgbtq.choices),
        required=False,
    )

    # Shown together, marked optional, in their own fieldset.
    DEMOGRAPHIC_FIELDS = ("gender", "race_ethnicity", "lgbtq")

    def __init__(self, *args, year: int | None = None, shared: bool = False, **kwargs) -> None:
        year = year or timezone.localdate().year
        key = (type(self), translation.get_language(), year)
        prepared = _PREPARED.get(key) if shared else None
        if prepared is not None:
            self.base_fields = _Shared(prepared)
        super().__init__(*args, **kwargs)
        self.oldest_birth_year = year - OLDEST_AGE
        self.youngest_birth_year = year - YOUNGEST_AGE
        if prepared is None:
            self.prepare_fields(year)
            if shared:
                _PREPARED[key] = self.fields

    def prepare_fields(self, year: int) -> None:
        """This form's changes to its fields for the year and the active language."""
        birth_year = self.fields["birth_year"]
        birth_year.widget.attrs.update(
            min=self.oldest_birth_year, max=self.youngest_birth_year, inputmode="numeric"
        )
        election_years = [(y, str(y)) for y in range(year, year + ELECTION_YEARS_AHEAD + 1)]
        election_year = self.fields["election_year"]
        election_year.choices = _choices(_("Not sure yet"), election_years)
        election_year.error_messages["invalid_choice"] = gettext(
            "Choose a year from %(first)s to %(last)s, or “Not sure yet”."
        ) % {"first": year, "last": year + ELECTION_YEARS_AHEAD}
        self.fields["zip_code"].widget.attrs.update(inputmode="numeric", autocomplete="postal-code")
        for name, autocomplete in (
            ("first_name", "given-name"),
            ("last_name", "family-name"),
            ("email", "email"),
            ("phone", "tel"),
            ("city", "address-level2"),
        ):
            self.fields[name].widget.attrs["autocomplete"] = autocomplete
        for name in self.DEMOGRAPHIC_FIELDS:
            self.fields[name].label = gettext("%(label)s (optional)") % {
                "label": self.fields[name].label
            }

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_zip_code(self) -> str:
        if not self.cleaned_data["zip_code"].strip() and not self.fields["zip_code"].required:
            return ""
        match = ZIP_RE.match(self.cleaned_data["zip_code"].strip())
        if not match:
            raise forms.ValidationError(_("Enter a 5-digit ZIP code, like 20001."), code="invalid")
        return match.group(1)

    def clean_birth_year(self) -> int | None:
        value = self.cleaned_data["birth_year"]
        if value is not None and not (self.oldest_birth_year <= value <= self.youngest_birth_year):
            raise forms.ValidationError(
                _(
                    "Enter a birth year from %(oldest)s to %(youngest)s: you need to be at "
                    "least %(age)s to sign up."
                ),
                code="out_of_range",
                params={
                    "oldest": self.oldest_birth_year,
                    "youngest": self.youngest_birth_year,
                    "age": YOUNGEST_AGE,
                },
            )
        return value

    def demographic_fields(self) -> list:
        return [self[name] for name in self.DEMOGRAPHIC_FIELDS]


def _named_answers() -> list[tuple[str, str]]:
    return _choices(gettext("No, or not listed"), named_answers.choices())


class SignupForm(HoneypotMixin, CandidateFieldsForm):
    """The public signup form: the candidate fields plus consent and a honeypot."""

    consent = forms.BooleanField(
        error_messages={
            "required": _("Please agree to be contacted, so a volunteer can call you back.")
        },
    )
    # The public form offers the ways people hear of us, not the import's own source.
    source = ChoiceField(
        label=CandidateFieldsForm.base_fields["source"].label,
        choices=_choices(_("Choose one"), [c for c in Source.choices if c[0] != Source.IMPORT]),
        required=False,
    )

    # Named answers other apps offer (an organisation that sent them), read when the form
    # is shown or a named answer is checked, not for every form made.
    heard_from = ChoiceField(
        label=_("Did an organisation send you?"), required=False, choices=_named_answers
    )

    def prepare_fields(self, year: int) -> None:
        super().prepare_fields(year)
        self.fields["consent"].label = format_html(
            gettext(
                "I agree to be contacted by Run for Something about running for office. "
                'Read our <a href="{}">privacy notice</a>.'
            ),
            reverse("intake:privacy"),
        )

    @property
    def offers_named_answers(self) -> bool:
        """True when another app offers named answers (any organisation to choose)."""
        return len(list(self.fields["heard_from"].choices)) > 1


def answers_from_payload(payload: dict) -> dict | None:
    """A kept submission's answers, validated again as candidate fields; None if they no
    longer validate (they stay kept as the raw submission either way)."""
    data = MultiValueDict(
        {key: value if isinstance(value, list) else [value] for key, value in payload.items()}
    )
    form = CandidateFieldsForm(data=data)
    return form.cleaned_data if form.is_valid() else None


class MergeForm(forms.Form):
    """Which of the two matched candidates to keep when merging them."""

    keep = ChoiceField(
        label="Keep this record",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, submission, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {
            str(c.uuid): c for c in (submission.candidate, submission.phone_match) if c is not None
        }
        self.fields["keep"].choices = [
            (key, f"{c.display_name} ({c.email})") for key, c in self.candidates.items()
        ]
        if self.candidates:
            # The older record usually carries more history: offer it first.
            oldest = min(self.candidates.values(), key=lambda c: c.created_at)
            self.fields["keep"].initial = str(oldest.uuid)

    def clean_keep(self):
        return self.candidates[self.cleaned_data["keep"]]
