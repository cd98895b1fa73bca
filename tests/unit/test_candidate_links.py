"""The candidate's own page, as the domain's emails link it: the page the candidate portal
registered, in the language the email is rendered in."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template
from django.utils import translation

from candidates import links


@pytest.mark.parametrize(("language", "path"), [("en", "/portal/"), ("es", "/es/portal/")])
def test_the_candidate_page_is_the_portal_in_the_language_asked_for(language, path):
    with translation.override("en" if language == "es" else "es"):
        assert links.candidate_page_url(language=language) == path


@pytest.mark.parametrize(("language", "path"), [("en", "/portal/"), ("es", "/es/portal/")])
def test_without_a_language_the_candidate_page_is_in_the_active_one(language, path):
    with translation.override(language):
        assert links.candidate_page_url() == path


@pytest.mark.parametrize(("language", "path"), [("en", "/portal/"), ("es", "/es/portal/")])
def test_an_email_template_prints_or_keeps_the_candidate_page_in_its_language(language, path):
    template = Template(
        "{% load candidate_links %}{% candidate_page_url %} "
        "{% candidate_page_url as page %}<a href='{{ page }}'>"
    )
    with translation.override(language):
        assert template.render(Context()) == f"{path} <a href='{path}'>"


def test_the_candidate_page_unregistered_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(links, "_URL_NAMES", {})
    with pytest.raises(ImproperlyConfigured, match="register_candidate_page"):
        links.candidate_page_url(language="es")
