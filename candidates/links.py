"""The candidate's own page, as the domain's emails link it.

The page belongs to the site layer, which no domain app may name: the site app that serves it
registers its URL name here from its AppConfig.ready(), and every email and service of the
domain links it through candidate_page_url().
"""

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import translation

_URL_NAMES: dict[str, str] = {}


def register_candidate_page(url_name: str) -> None:
    """Make `url_name` the candidate's own page (the last app to register wins)."""
    _URL_NAMES["candidate_page"] = url_name


def candidate_page_url(*, language: str | None = None) -> str:
    """The path of the candidate's own page in `language`, by default the active one (an
    email is rendered in its reader's language, and the page's URL carries the language)."""
    url_name = _URL_NAMES.get("candidate_page")
    if url_name is None:
        raise ImproperlyConfigured(
            "No app registered the candidate's page: call "
            "candidates.links.register_candidate_page() from the AppConfig.ready() of the app "
            "that serves it."
        )
    if language is None:
        return reverse(url_name)
    with translation.override(language):
        return reverse(url_name)
