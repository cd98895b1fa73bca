"""The language of the candidate-facing pages (those rfs/urls.py puts under the language
prefix): English at /signup/, Spanish at /es/signup/.

The language is in the URL, so each page in each language can be cached as it is. An
unprefixed page is the organisation's language, unless the person chose another (the language
cookie) or, before any choice, their browser asks for one we speak (Accept-Language): then it
redirects to the same page in that language, and says it depends on both (Vary). Choosing a
language with the link every such page carries (?language=es) stores the choice in the cookie,
so the browser's preference never overrides the person's. Staff pages have no prefix and no
other language: they are never redirected.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from rfs.accounts.models import Role

# The query parameter of the link to a page in another language.
CHOICE_PARAMETER = "language"
CODES = {code for code, _name in settings.LANGUAGES}


def page_in(path: str, code: str) -> str:
    """The same page in another language ("/signup/", "es" → "/es/signup/"); a page that
    exists in one language only comes back unchanged."""
    return translate_url(path, code)


def is_translated(path: str) -> bool:
    """True for a candidate-facing page: one that exists in every language."""
    return any(page_in(path, code) != path for code in CODES)


def _without_choice(query: QueryDict) -> str:
    rest = query.copy()
    rest.pop(CHOICE_PARAMETER, None)
    return f"?{rest.urlencode()}" if rest else ""


def remember_choice(response: HttpResponse, code: str) -> HttpResponse:
    """Store the person's choice of language in the language cookie."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


class PreferredLanguageMiddleware:
    """After django.middleware.locale.LocaleMiddleware, which activates the URL's language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if request.method not in ("GET", "HEAD") or not is_translated(path):
            return self.get_response(request)
        chosen = request.GET.get(CHOICE_PARAMETER)
        if chosen in CODES:
            # The link to another language: remember the choice, then the page's own URL.
            response = HttpResponseRedirect(page_in(path, chosen) + _without_choice(request.GET))
            add_never_cache_headers(response)
            return remember_choice(response, chosen)
        if translation.get_language_from_path(path):
            return self.get_response(request)
        # An unprefixed page: the organisation's language, unless the person prefers another.
        preferred = translation.get_language_from_request(request)
        if preferred != settings.LANGUAGE_CODE and preferred in CODES:
            response = HttpResponseRedirect(page_in(path, preferred) + _query(request))
        else:
            response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


def _query(request: HttpRequest) -> str:
    query = request.META.get("QUERY_STRING", "")
    return f"?{query}" if query else ""


def language_links(request: HttpRequest) -> dict:
    """For base.html: on a candidate-facing page, the same page in each other language, as
    (code, name, its URL, the URL of the link that chooses it); none on other pages. A
    logged-in candidate chooses with a form instead (language_form_action), which stores the
    choice on their record, for their emails."""
    path = request.path_info
    if not is_translated(path):
        return {"language_links": [], "language_form_action": ""}
    current = translation.get_language()
    links = []
    for code, name in settings.LANGUAGES:
        if code != current:
            page = page_in(path, code) + _without_choice(request.GET)
            query = request.GET.copy()
            query[CHOICE_PARAMETER] = code
            links.append((code, name, page, f"{page_in(path, code)}?{query.urlencode()}"))
    user = getattr(request, "user", None)
    is_candidate = user is not None and user.is_authenticated and user.has_role(Role.CANDIDATE)
    action = reverse("portal:language") if is_candidate else ""
    return {"language_links": links, "language_form_action": action}
