"""The Spanish catalogue is complete and up to date, and every candidate-facing page reads in
Spanish at /es/: a string added to a page without its translation fails here."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.factories.accounts import UserFactory
from tests.factories.candidates import CandidateFactory

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
# Exactly what `make messages` runs.
MAKEMESSAGES = [
    "makemessages",
    "-l",
    "es",
    "--no-location",
    "--no-wrap",
    "--ignore=.venv",
    "--ignore=node_modules",
    "--ignore=var",
    "--ignore=tests",
]


def entries(po: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of every entry but the header; --no-wrap keeps each on one line."""
    found = []
    for block in po.read_text().split("\n\n"):
        msgid = re.search(r'^msgid "(.*)"$', block, re.M)
        msgstr = re.search(r'^msgstr "(.*)"$', block, re.M)
        if msgid is None or msgid.group(1) == "" or block.lstrip().startswith("#~"):
            continue
        fuzzy = bool(re.search(r"^#,.*\bfuzzy\b", block, re.M))
        found.append((msgid.group(1), msgstr.group(1) if msgstr else "", fuzzy))
    return found


def test_every_string_has_a_spanish_translation():
    untranslated = [msgid for msgid, msgstr, fuzzy in entries(CATALOGUE) if not msgstr or fuzzy]
    assert untranslated == []


def test_the_catalogue_has_every_string_of_the_code(tmp_path):
    """makemessages over a copy of the project finds the same strings as the catalogue."""
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", "node_modules", "var", ".git", "tests", "__pycache__", "*.mo", "staticfiles"
        ),
    )
    subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = copy / "locale" / "es" / "LC_MESSAGES" / "django.po"
    in_code = {msgid for msgid, _msgstr, _fuzzy in entries(fresh)}
    in_catalogue = {msgid for msgid, _msgstr, _fuzzy in entries(CATALOGUE)}
    assert sorted(in_code - in_catalogue) == [], "run `make messages` and translate them"
    assert sorted(in_catalogue - in_code) == [], "run `make messages`: these are gone"


def visible_text(html: str) -> str:
    """The words a reader sees: no tags, scripts or the language link's own name."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    return " ".join(text.split())


# Each candidate-facing page, a Spanish sentence it must show, and English ones it must not.
PAGES = {
    "home": (
        "¿Piensas postularte a un cargo público?",
        ["Thinking about running for office?", "Sign up to run", "Skip to content"],
    ),
    "intake:signup": (
        "¿Piensas postularte? Cuéntanos sobre ti.",
        [
            "Tell us about yourself",
            "How we reach you",
            "First name",
            "Year you were born",
            "Choose a state",
            "School board",
            "Send my details",
            "privacy notice",
        ],
    ),
    "intake:thanks": (
        "Gracias: ya tenemos tus datos.",
        ["we have your details", "Check your email", "Back to the home page"],
    ),
    "intake:privacy": (
        "Aviso de privacidad",
        ["What we collect", "Who sees it", "Your choices", "Back to the signup form"],
    ),
    "volunteer:apply": (
        "Sé voluntario de entrevistas",
        ["Volunteer as a screener", "Hours a week you can give", "Send my application"],
    ),
    "volunteer:thanks": ("Gracias por ofrecer tu ayuda", ["Thank you for offering to help"]),
    "mentor_application:apply": (
        "Acompaña como mentor a candidatos primerizos",
        ["Mentor first-time candidates", "Your expertise", "National and presidential"],
    ),
    "mentor_application:thanks": ("Gracias por ofrecer tu ayuda", ["Our staff read every"]),
    "portal:login": (
        "Entra a tu página",
        ["Log in to your page", "Email me a code", "The email you signed up with"],
    ),
}


def page(client, name: str, language: str) -> str:
    with translation.override(language):
        url = reverse(name)
    response = client.get(url)
    assert response.status_code == 200, url
    return visible_text(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_each_public_page_reads_in_spanish_at_es(client, name):
    heading, english = PAGES[name]
    in_english = page(client, name, "en")
    in_spanish = page(client, name, "es")
    assert in_spanish != in_english
    assert heading in in_spanish
    assert [text for text in english if text in in_english] == english
    assert [text for text in english if text in in_spanish] == []


@pytest.mark.django_db
def test_the_portal_reads_in_spanish_at_es(client):
    user = UserFactory(email="ana@example.org", role="candidate")
    CandidateFactory(email="ana@example.org", first_name="Ana", user=user, language="es")
    client.force_login(user)
    english = ["Where you are", "Your requests", "Ask for help", "Correct my details"]
    in_english = page(client, "portal:home", "en")
    in_spanish = page(client, "portal:home", "es")
    assert [text for text in english if text in in_english] == english
    assert "Te damos la bienvenida, Ana" in in_spanish
    assert "Recibimos tu inscripción." in in_spanish
    assert [text for text in english if text in in_spanish] == []
    for name, heading, english_heading in (
        ("portal:details", "Corrige tus datos", "Correct your details"),
        ("portal:ask", "Pedir ayuda", "Ask for help"),
        ("portal:endorsements", "Tus solicitudes", "Your applications"),
    ):
        in_spanish = page(client, name, "es")
        assert heading in in_spanish
        assert english_heading in page(client, name, "en")
        assert english_heading not in in_spanish


@pytest.mark.django_db
def test_the_not_found_page_follows_the_language_of_the_url(client):
    assert "No encontramos esa página" in client.get("/es/no-such-page/").content.decode()
    assert "We cannot find that page" in client.get("/no-such-page/").content.decode()
