"""Email bodies from templates/emails/<template>_subject.txt, _body.txt and _body.html,
each rendered in the message's language (its {% translate %} strings, dates and numbers)."""

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from rfs.notify.models import Notification


def _context(context: dict[str, Any]) -> dict[str, Any]:
    return {"site_url": settings.SITE_URL, **context}


def render_subject(template: str, context: dict[str, Any], *, language: str) -> str:
    """The subject line, on one line."""
    with translation.override(language):
        text = render_to_string(f"emails/{template}_subject.txt", _context(context))
    return " ".join(text.split())


def render_bodies(template: str, context: dict[str, Any], *, language: str) -> tuple[str, str]:
    """The text and HTML bodies."""
    context = _context(context)
    with translation.override(language):
        text = render_to_string(f"emails/{template}_body.txt", context)
        html = render_to_string(f"emails/{template}_body.html", context)
    return text, html


def bodies(row: Notification) -> tuple[str, str]:
    """What the row's message says (or said): its stored bodies, else its template rendered
    with its context. Empty once the bodies were purged or, for a secret, sent."""
    if row.body_text or row.body_removed_at:
        return row.body_text, row.body_html
    return render_bodies(row.template, row.context, language=row.language)
