"""A person's details as they arrive and as we keep them: normalised, compared, described.

Every path that changes a candidate's answers (a confirmed proposed update, staff applying
one, a staff import, a merge, the portal's corrections) uses these, so "what counts as a
change" is decided once: blank answers never erase, an unticked "already filed" box is no
evidence of a withdrawn filing, and how someone first heard of us is only ever filled in.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from phonenumber_field.phonenumber import PhoneNumber, to_python

from candidates.models import Candidate

# The candidate fields a submission may carry, in the order the form asks for them.
CANDIDATE_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "pronouns",
    "email",
    "phone",
    "zip_code",
    "state",
    "city",
    "birth_year",
    "office_level",
    "office",
    "district",
    "election_year",
    "has_filed",
    "party",
    "source",
    "source_detail",
    "why_run",
    "needs",
    "gender",
    "race_ethnicity",
    "lgbtq",
)
# Asked on our own form only, each one optional: never taken from another organisation's.
DEMOGRAPHIC_FIELDS = ("gender", "race_ethnicity", "lgbtq")
# How someone first heard of us is kept for attribution: later submissions only fill it in.
FIRST_TOUCH_FIELDS = {"source", "source_detail"}
# What identifies the person: a change to either needs their confirmation from the address
# on file, whoever asks for it.
IDENTITY_FIELDS = {"email", "phone"}


def normalise_email(value: str) -> str:
    return (value or "").strip().lower()


def normalise_phone(value: PhoneNumber | str | None) -> str | None:
    """E.164 text of a valid number (US numbers may be written nationally), else None."""
    # A PhoneNumber's truth is its formatted text, a check as dear as is_valid(): not asked.
    if isinstance(value, PhoneNumber):
        number = value
    elif value:
        number = to_python(str(value), region="US")
    else:
        return None
    if not isinstance(number, PhoneNumber) or not number.is_valid():
        return None
    return number.as_e164


def submitted_value(data: dict, name: str) -> Any:
    """A submitted answer as it would be stored."""
    value = data.get(name)
    if name == "email":
        return normalise_email(value)
    if name == "phone":
        return normalise_phone(value)
    if name == "needs":
        return sorted(value or [])
    if isinstance(value, str):
        return value.strip()
    return value


def stored_value(candidate: Candidate, name: str) -> Any:
    """A candidate's answer, comparable with submitted_value (and storable as JSON)."""
    value = getattr(candidate, name)
    if name == "phone":
        return value.as_e164 if value else None
    if name == "needs":
        return sorted(value or [])
    return value


def in_form_order(changes: dict) -> list[str]:
    """The names of `changes` in the order the form asks for them (JSON keeps no order)."""
    order = {name: n for n, name in enumerate(CANDIDATE_FIELDS)}
    return sorted(changes, key=lambda name: order.get(name, len(order)))


def is_blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def differences(*, candidate: Candidate, data: dict) -> dict[str, tuple[Any, Any]]:
    """What `data` says that is new about `candidate`: {field: (stored, submitted)}. Only real
    differences: blanks never erase, first-touch fields only fill in."""
    changes = {}
    for name in CANDIDATE_FIELDS:
        if name not in data:
            continue
        new, old = submitted_value(data, name), stored_value(candidate, name)
        if is_blank(new) or new == old:
            continue
        if name == "has_filed" and not new:
            continue  # an unticked box is no evidence someone withdrew their filing
        if name in FIRST_TOUCH_FIELDS and not is_blank(old):
            continue
        changes[name] = (old, new)
    return changes


def apply_changes(*, candidate: Candidate, data: dict) -> dict[str, tuple[Any, Any]]:
    """Set on `candidate` (unsaved) what `data` says that is new. Returns the differences."""
    changes = differences(candidate=candidate, data=data)
    for name, (_, new) in changes.items():
        setattr(candidate, name, new)
    return changes


def label(name: str) -> str:
    """A field's name as people read it, in the active language."""
    return str(Candidate._meta.get_field(name).verbose_name).capitalize()


def show(name: str, value: Any) -> str:
    """A stored value as staff and the person read it, in the active language."""
    if is_blank(value):
        return gettext("(blank)")
    if name == "consent_at":
        return gettext("given")
    field = Candidate._meta.get_field(name)
    if name == "needs":
        labels = dict(field.base_field.choices)
        return ", ".join(str(labels.get(item, item)) for item in value)
    if name == "has_filed":
        return gettext("yes") if value else gettext("no")
    if field.choices:
        return str(dict(field.choices).get(value, value))
    return str(value)


def listed(names: Iterable[str]) -> str:
    """The fields' names for staff's records ("First name, City"): in the organisation's
    language, whichever language the page that made the change was in."""
    with translation.override(settings.LANGUAGE_CODE):
        return ", ".join(label(name) for name in names)


def describe_changes(changes: dict[str, tuple[Any, Any]], *, heading: str) -> str:
    """A note's text: the heading, then one "Label: before → after" line per change. Notes
    are staff's records: in the organisation's language, like listed()."""
    lines = [heading]
    with translation.override(settings.LANGUAGE_CODE):
        for name, (old, new) in changes.items():
            lines.append(f"{label(name)}: {show(name, old)} → {show(name, new)}")
    return "\n".join(lines)
