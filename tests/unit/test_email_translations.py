"""Every email a candidate receives reads in Spanish with no sentence left in English, and in
English exactly as its template's own words say."""

import html
import re
import zoneinfo
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.utils import translation

from rfs.notify.rendering import render_bodies, render_subject
from screening.services.zones import format_local
from tests.support.candidate_emails import CANDIDATE_EMAILS

ORGANISATION = "Run for Something"
CASES = [
    pytest.param(template, context, id=f"{template}-{n}")
    for n, (template, context) in enumerate(CANDIDATE_EMAILS)
]


def render(template: str, context: dict, language: str) -> list[str]:
    """Subject, text body and HTML body."""
    return [
        render_subject(template, context, language=language),
        *render_bodies(template, context, language=language),
    ]


def values(context: dict) -> list[str]:
    """Every string the context brings (names, topics, links): data, not our words."""
    found = [settings.SITE_URL, ORGANISATION]
    for value in context.values():
        items = value if isinstance(value, list) else [value]
        for item in items:
            found += [str(part) for part in (item if isinstance(item, list) else [item])]
    return sorted((value for value in found if value), key=len, reverse=True)


def sentences(text: str, context: dict) -> list[str]:
    """The lines of a rendered part that carry words of ours, not only the context's."""
    text = html.unescape(re.sub(r"<[^>]+>", "\n", text))
    found = []
    for line in (line.strip() for line in text.splitlines()):
        rest = line
        for value in values(context):
            rest = rest.replace(value, " ")
        rest = re.sub(r"https?://\S+|/\S*", " ", rest)
        if re.search(r"[A-Za-z]{2,}", rest):
            found.append(line)
    return found


@pytest.mark.parametrize(("template", "context"), CASES)
def test_in_spanish_no_sentence_of_the_english_email_is_left(template, context):
    english = render(template, context, "en")
    spanish = render(template, context, "es")
    for part, (in_english, in_spanish) in zip(
        ("subject", "text", "html"), zip(english, spanish, strict=True), strict=True
    ):
        assert sentences(in_english, context), f"{template} {part}: nothing to compare"
        untranslated = [line for line in sentences(in_english, context) if line in in_spanish]
        assert untranslated == [], f"{template} {part} is not translated: {untranslated}"


@pytest.mark.parametrize(("template", "context"), CASES)
def test_in_english_the_email_is_its_templates_own_words(template, context):
    # The English email is the templates' source text: no catalogue changes a word of it.
    with translation.override(None):
        source = [
            " ".join(part.split())
            for part in (
                render_subject(template, context, language="en"),
                *render_bodies(template, context, language="en"),
            )
        ]
    assert [" ".join(part.split()) for part in render(template, context, "en")] == source


def test_the_spanish_layout_says_its_language():
    _, body = render_bodies("screening_advance", {"name": "Ana"}, language="es")
    assert '<html lang="es">' in body
    _, body = render_bodies("screening_advance", {"name": "Ana"}, language="en")
    assert '<html lang="en">' in body


def test_a_greeting_without_a_name_is_translated_too():
    text, _ = render_bodies("request_reply", {"name": "", "link": "/x/"}, language="es")
    assert text.startswith("Hola:")
    text, _ = render_bodies("request_reply", {"name": "", "link": "/x/"}, language="en")
    assert text.startswith("Hello there,")


def test_a_time_in_an_email_follows_its_language():
    zone = zoneinfo.ZoneInfo("America/New_York")
    moment = datetime(2025, 3, 11, 14, 0, tzinfo=UTC)
    assert format_local(moment, zone, language="en") == "Tuesday, March 11, 2025 at 10:00 AM EDT"
    assert format_local(moment, zone, language="es") == "martes 11 de marzo de 2025, 10:00 AM EDT"
