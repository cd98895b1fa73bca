"""The languages candidates use the site in (settings.LANGUAGES), and which language names,
as volunteers and mentors write them on their applications, mean each of them.

The organisation works in its own language (settings.LANGUAGE_CODE) and everyone who helps
speaks it; a candidate who prefers another is offered first to helpers who speak theirs.
"""

import unicodedata
from collections.abc import Iterable

from django.conf import settings

# How staff and helpers name each language, in the organisation's language.
NAMES: dict[str, str] = {"en": "English", "es": "Spanish"}

# Every way a helper may write each language, compared without case or accents.
_SPELLINGS: dict[str, set[str]] = {
    "en": {"english", "ingles", "en", "eng"},
    "es": {"spanish", "espanol", "castellano", "es", "esp", "spa"},
}

# For a choice field: the codes of settings.LANGUAGES, each with its name.
CHOICES: list[tuple[str, str]] = [
    (code, NAMES.get(code, label)) for code, label in settings.LANGUAGES
]


def _plain(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.strip().casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def language_code(name: str) -> str | None:
    """The code of the language a helper wrote ("Español", "spanish" → "es"), or None if it is
    not one candidates can choose."""
    plain = _plain(name)
    return next((code for code, spellings in _SPELLINGS.items() if plain in spellings), None)


def canonical_names(names: Iterable[str]) -> list[str]:
    """The names to store for the languages a helper wrote, once each and in their order:
    "Spanish" for "español", any other language as typed (trimmed); blanks dropped."""
    stored = [NAMES[code] if (code := language_code(name)) else name.strip() for name in names]
    return list(dict.fromkeys(name for name in stored if name))


def other_languages(names: Iterable[str]) -> set[str]:
    """The codes of the candidates' languages these names speak, other than the
    organisation's own: the languages a helper is offered candidates first in."""
    codes = {language_code(name) for name in names}
    return {code for code in codes if code and code != settings.LANGUAGE_CODE}


def preference(code: str) -> str:
    """The name of a candidate's language when it is not the organisation's own, else "":
    what a screener or mentor needs to know before they call."""
    return "" if code == settings.LANGUAGE_CODE else NAMES.get(code, code)
