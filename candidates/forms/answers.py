"""Reading text from outside (a CSV cell, a partner form's value) as form data, and a
form's errors as one line for the people who fix the source."""

import re

from django import forms
from django.core.exceptions import FieldDoesNotExist

from candidates.models import Candidate


def field_label(name: str) -> str:
    try:
        return str(Candidate._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a form-only field
        return name.replace("_", " ")


_TRUE = {"yes", "y", "true", "t", "1", "x", "on", "filed"}
_SPLIT = re.compile(r"\s*[;,|/]\s*")


def _choice_value(field: forms.ChoiceField, text: str) -> str:
    """The choice `text` names by value or by label, ignoring case; else `text` unchanged
    (so the form reports it)."""
    wanted = text.strip().lower()
    for value, label in field.choices:
        if isinstance(label, list | tuple):  # an option group
            continue
        if wanted in (str(value).lower(), str(label).lower()):
            return value
    return text.strip()


def answers(*, form_class: type[forms.Form], texts: dict[str, str]) -> dict:
    """Form data from the text of each field (a file's cell, a partner form's value), read
    the way the form expects: choices by value or label, several needs in one text, yes/no
    for ticks."""
    fields = form_class.base_fields
    data: dict = {}
    for name, text in texts.items():
        if name not in fields:
            continue
        text = str(text).strip()
        formfield = fields[name]
        if isinstance(formfield, forms.MultipleChoiceField):
            data[name] = [_choice_value(formfield, part) for part in _SPLIT.split(text) if part]
        elif isinstance(formfield, forms.ChoiceField):
            data[name] = _choice_value(formfield, text) if text else ""
        elif isinstance(formfield, forms.BooleanField):
            data[name] = "true" if text.lower() in _TRUE else "false"
        else:
            data[name] = text
    return data


def describe_errors(form: forms.Form) -> str:
    """The form's errors in one line, each after the label staff know the field by."""
    parts = []
    for name, errors in form.errors.items():
        # The names the mapping page uses, so staff can find the column to fix.
        label = field_label(name).capitalize() if name in form.fields else ""
        text = " ".join(str(error) for error in errors)
        parts.append(f"{label}: {text}" if label else text)
    return "; ".join(parts)[:1000]
