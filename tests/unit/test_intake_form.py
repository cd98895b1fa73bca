"""The signup form's validation, field by field (no database needed)."""

import pytest
from django.utils import timezone

from candidates.forms.intake import CandidateFieldsForm, SignupForm
from tests.factories.candidates import signup_form_data

YEAR = timezone.localdate().year


def errors_for(**overrides) -> dict:
    form = SignupForm(data=signup_form_data(**overrides))
    form.is_valid()
    return form.errors


def test_valid_signup_is_accepted_and_normalised():
    form = SignupForm(data=signup_form_data(email="  Ada@Example.ORG ", phone="202.555.0142"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["email"] == "ada@example.org"
    assert form.cleaned_data["phone"].as_e164 == "+12025550142"
    assert form.cleaned_data["birth_year"] == YEAR - 25
    assert form.cleaned_data["election_year"] == YEAR + 1
    assert form.cleaned_data["needs"] == ["campaign_plan", "fundraising"]


@pytest.mark.parametrize(
    "field", ["first_name", "last_name", "email", "phone", "zip_code", "state", "city"]
)
def test_required_fields_say_so(field):
    assert errors_for(**{field: ""})[field] == ["This field is required."]


def test_birth_year_and_office_level_are_required():
    errors = errors_for(birth_year="", office_level="")
    assert errors["birth_year"] == ["This field is required."]
    assert errors["office_level"] == ["This field is required."]


def test_consent_is_required_with_a_clear_message():
    errors = errors_for(consent="")
    assert errors["consent"] == ["Please agree to be contacted, so a volunteer can call you back."]


@pytest.mark.parametrize("value", ["ada", "ada@", "@example.org", "ada@example", "a b@example.org"])
def test_email_syntax_is_checked(value):
    assert errors_for(email=value)["email"] == ["Enter a valid email address."]


@pytest.mark.parametrize(
    "value", ["(202) 555-0142", "202-555-0142", "2025550142", "+1 202 555 0142", "+12025550142"]
)
def test_us_phone_written_any_way_becomes_e164(value):
    form = SignupForm(data=signup_form_data(phone=value))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"].as_e164 == "+12025550142"


def test_international_phone_is_accepted():
    form = SignupForm(data=signup_form_data(phone="+44 20 7946 0958"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"].as_e164 == "+442079460958"


@pytest.mark.parametrize("value", ["12345", "555-0142", "call me", "+1 000 000 0000"])
def test_phone_that_is_not_a_number_is_refused(value):
    [message] = errors_for(phone=value)["phone"]
    assert message.startswith("Enter a valid phone number")


@pytest.mark.parametrize("value", ["2000", "200011", "ABCDE", "20 001", "2000a"])
def test_zip_must_have_five_digits(value):
    assert errors_for(zip_code=value)["zip_code"] == ["Enter a 5-digit ZIP code, like 20001."]


def test_zip_plus_four_keeps_the_five_digits():
    form = SignupForm(data=signup_form_data(zip_code="20001-1234"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["zip_code"] == "20001"


@pytest.mark.parametrize("code", ["DC", "PR", "GU", "AK", "WY"])
def test_states_dc_and_territories_are_accepted(code):
    assert "state" not in errors_for(state=code)


@pytest.mark.parametrize("code", ["XX", "dc", "Washington", "ZZ"])
def test_unknown_state_is_refused(code):
    assert errors_for(state=code)["state"][0].startswith("Select a valid choice.")


@pytest.mark.parametrize("year", [YEAR - 101, YEAR - 15, YEAR, 1850, 3000])
def test_birth_year_outside_a_sane_range_is_refused(year):
    [message] = errors_for(birth_year=str(year))["birth_year"]
    assert message.startswith(f"Enter a birth year from {YEAR - 100} to {YEAR - 16}")


@pytest.mark.parametrize("year", [YEAR - 100, YEAR - 16])
def test_birth_year_range_includes_its_ends(year):
    assert "birth_year" not in errors_for(birth_year=str(year))


def test_birth_year_must_be_a_number():
    assert errors_for(birth_year="nineteen")["birth_year"] == ["Enter a whole number."]


@pytest.mark.parametrize("year", [YEAR, YEAR + 6])
def test_election_year_from_this_year_to_six_ahead(year):
    form = SignupForm(data=signup_form_data(election_year=str(year)))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["election_year"] == year


@pytest.mark.parametrize("year", [YEAR - 1, YEAR + 7, "soon"])
def test_election_year_outside_the_window_is_refused(year):
    assert errors_for(election_year=str(year))["election_year"] == [
        f"Choose a year from {YEAR} to {YEAR + 6}, or “Not sure yet”."
    ]


def test_election_year_may_be_not_sure_yet():
    form = SignupForm(data=signup_form_data(election_year=""))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["election_year"] is None


@pytest.mark.parametrize(
    ("field", "choice"),
    [("office_level", "senate"), ("party", "whig"), ("source", "tv"), ("lgbtq", "maybe")],
)
def test_choice_fields_refuse_unknown_values(field, choice):
    assert errors_for(**{field: choice})[field][0].startswith("Select a valid choice.")


def test_help_needed_refuses_unknown_values():
    assert errors_for(needs=["policy", "bribes"])["needs"][0].startswith("Select a valid choice.")


def test_public_form_does_not_offer_the_import_source():
    assert "import" not in dict(SignupForm().fields["source"].choices)
    assert errors_for(source="import")["source"][0].startswith("Select a valid choice.")


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("first_name", 100),
        ("last_name", 100),
        ("preferred_name", 100),
        ("pronouns", 40),
        ("city", 100),
        ("office", 200),
        ("district", 100),
        ("source_detail", 200),
        ("why_run", 4000),
        ("gender", 100),
        ("race_ethnicity", 200),
    ],
)
def test_every_text_field_has_a_length_limit(field, limit):
    assert "max_length" not in str(errors_for(**{field: "x" * limit}).get(field, ""))
    assert errors_for(**{field: "x" * 10_000})[field] == [
        f"Ensure this value has at most {limit} characters (it has 10000)."
    ]


@pytest.mark.parametrize("field", ["email", "phone", "zip_code"])
def test_10000_character_values_are_refused_not_crashed(field):
    assert field in errors_for(**{field: "9" * 10_000})


@pytest.mark.parametrize("field", ["first_name", "city", "why_run", "email", "phone", "zip_code"])
def test_null_bytes_are_refused_with_a_message(field):
    assert "Null characters are not allowed." in errors_for(**{field: "Ada\x00Lovelace"})[field]


@pytest.mark.parametrize(
    "name",
    [
        "Zoë",
        "José-María",
        "O'Connor",
        "Nguyễn Thị Minh",
        "محمد",
        "李小龍",
        "Kāne\u2018ohe",
        "D\u2019Angelo",
    ],
)
def test_unicode_names_are_accepted_as_typed(name):
    form = SignupForm(data=signup_form_data(first_name=name, last_name=name, city=name))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["first_name"] == name
    assert form.cleaned_data["city"] == name


def test_html_and_sql_are_accepted_as_typed_text():
    payload = "<script>alert(1)</script>'; DROP TABLE candidates_candidate; --"
    form = SignupForm(data=signup_form_data(why_run=payload, office=payload[:200]))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["why_run"] == payload


def test_invalid_form_keeps_what_was_typed():
    form = SignupForm(data=signup_form_data(zip_code="abc", city="Zoë\u2019s town"))
    assert not form.is_valid()
    html = str(form["city"]) + str(form["zip_code"])
    assert 'value="Zoë\u2019s town"' in html
    assert 'value="abc"' in html


def test_demographics_are_marked_optional():
    form = CandidateFieldsForm()
    for field in form.demographic_fields():
        assert field.label.endswith("(optional)")
        assert not field.field.required


def test_honeypot_marks_spam_even_when_the_rest_is_invalid():
    assert SignupForm(data={"website": "http://spam.example"}).is_spam
    assert not SignupForm(data=signup_form_data()).is_spam
    assert not SignupForm(data=signup_form_data(website="   ")).is_spam


def test_consent_label_links_to_the_privacy_notice():
    assert 'href="/privacy/"' in str(SignupForm().fields["consent"].label)
