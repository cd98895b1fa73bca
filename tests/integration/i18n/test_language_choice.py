"""How a person gets the site in their language: the URL's language, a first visit's browser
preference, the link to the other language (kept in a cookie), and a candidate's choice in
the portal (kept on their record, for their emails). Staff pages have one language."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from candidates.models import Candidate
from candidates.services import intake
from tests.factories.accounts import UserFactory
from tests.factories.candidates import CandidateFactory, signup_form_data

pytestmark = pytest.mark.django_db
SPANISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9,en;q=0.5"}
COOKIE = settings.LANGUAGE_COOKIE_NAME


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",")}


@pytest.mark.parametrize(
    "path", ["/", "/signup/", "/signup/thanks/", "/privacy/", "/volunteer/", "/mentors/apply/"]
)
def test_a_first_visit_from_a_spanish_browser_goes_to_the_spanish_page(client, path):
    response = client.get(path, **SPANISH_BROWSER)
    assert response.status_code == 302
    assert response["Location"] == f"/es{path}"
    assert {"accept-language", "cookie"} <= vary(response)


def test_the_redirect_keeps_the_query(client):
    response = client.get("/portal/login/?next=/portal/ask/", **SPANISH_BROWSER)
    assert response["Location"] == "/es/portal/login/?next=/portal/ask/"


def test_an_english_browser_stays_on_the_english_page_which_says_what_it_depends_on(client):
    response = client.get("/signup/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert {"accept-language", "cookie"} <= vary(response)


def test_the_spanish_page_is_spanish_whatever_the_browser_asks(client):
    response = client.get("/es/signup/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert '<html lang="es">' in response.content.decode()
    assert "accept-language" not in vary(response)


def test_staff_pages_are_never_redirected_nor_translated(client, staff):
    client.force_login(staff)
    for path in ("/dashboard/", "/candidates/", "/accounts/login/", "/healthz"):
        response = client.get(path, **SPANISH_BROWSER)
        assert not (response.status_code == 302 and response["Location"].startswith("/es/")), path
    assert client.get("/es/dashboard/").status_code == 404
    assert client.get("/es/candidates/").status_code == 404


def test_each_public_page_links_the_same_page_in_the_other_language(client):
    english = client.get("/privacy/").content.decode()
    assert 'href="/es/privacy/?language=es" hreflang="es" lang="es">Español</a>' in " ".join(
        english.split()
    )
    assert '<link rel="alternate" hreflang="es" href="/es/privacy/">' in english
    spanish = client.get("/es/privacy/").content.decode()
    assert 'href="/privacy/?language=en" hreflang="en" lang="en">English</a>' in " ".join(
        spanish.split()
    )


def test_staff_pages_have_no_language_link(client, staff):
    client.force_login(staff)
    html = client.get("/dashboard/").content.decode()
    assert "?language=" not in html
    assert "hreflang" not in html


def test_choosing_english_from_a_spanish_browser_sticks(client):
    response = client.get("/signup/?language=en", **SPANISH_BROWSER)
    assert response.status_code == 302
    assert response["Location"] == "/signup/"
    assert response.cookies[COOKIE].value == "en"
    # The browser still asks for Spanish, the person chose English: no redirect any more.
    again = client.get("/signup/", **SPANISH_BROWSER)
    assert again.status_code == 200
    assert '<html lang="en">' in again.content.decode()


def test_choosing_spanish_sends_later_unprefixed_visits_to_spanish(client):
    response = client.get("/es/privacy/?language=es&x=1")
    assert response["Location"] == "/es/privacy/?x=1"
    assert response.cookies[COOKIE].value == "es"
    assert client.get("/")["Location"] == "/es/"


def test_an_unknown_language_is_ignored(client):
    assert client.get("/signup/?language=xx").status_code == 200


def test_a_signup_on_the_spanish_page_stores_spanish(client):
    response = client.post("/es/signup/", signup_form_data())
    assert response.status_code == 302
    assert response["Location"] == "/es/signup/thanks/"
    intake.resolve_waiting_signups()
    assert Candidate.objects.get().language == "es"


def test_a_signup_on_the_english_page_stores_english(client):
    response = client.post("/signup/", signup_form_data(), **SPANISH_BROWSER)
    assert response["Location"] == "/signup/thanks/"
    intake.resolve_waiting_signups()
    assert Candidate.objects.get().language == "en"


def test_a_spanish_form_error_is_in_spanish(client):
    response = client.post("/es/signup/", signup_form_data(zip_code="12", birth_year="1800"))
    html = response.content.decode()
    assert "Escribe un código postal de 5 dígitos, como 20001." in html
    assert "necesitas tener al menos 16 años para inscribirte" in html


def test_placeholders_are_filled_in_both_languages(client):
    user = UserFactory(email="ana@example.org", role="candidate")
    CandidateFactory(email="ana@example.org", first_name="Ana", user=user, election_year=2028)
    client.force_login(user)
    spanish = " ".join(client.get("/es/portal/").content.decode().split())
    english = " ".join(client.get("/portal/").content.decode().split())
    assert "Te damos la bienvenida, Ana" in spanish
    assert "en 2028" in spanish
    assert "Welcome, Ana" in english
    assert "in 2028" in english
    assert "%(" not in spanish and "%(" not in english


@pytest.fixture
def candidate_user():
    user = UserFactory(email="ana@example.org", role="candidate")
    CandidateFactory(email="ana@example.org", first_name="Ana", user=user)
    return user


def test_a_candidate_switches_language_in_the_portal_and_it_is_kept(client, candidate_user):
    client.force_login(candidate_user)
    html = client.get("/portal/").content.decode()
    assert f'action="{reverse("portal:language")}"' in html
    response = client.post("/portal/language/", {"language": "es", "next": "/es/portal/"})
    assert response.status_code == 302
    assert response["Location"] == "/es/portal/"
    assert response.cookies[COOKIE].value == "es"
    assert Candidate.objects.get().language == "es"
    response = client.post("/es/portal/language/", {"language": "en", "next": "/portal/ask/"})
    assert response["Location"] == "/portal/ask/"
    assert Candidate.objects.get().language == "en"


def test_the_portal_switch_refuses_other_sites_and_languages(client, candidate_user):
    client.force_login(candidate_user)
    response = client.post("/portal/language/", {"language": "es", "next": "https://evil.example/"})
    assert response["Location"] == "/es/portal/"
    response = client.post("/portal/language/", {"language": "xx"}, follow=True)
    assert Candidate.objects.get().language == "es"
    assert "Choose one of the languages in the menu." in response.content.decode()


def test_the_portal_switch_needs_a_post_with_the_csrf_token(candidate_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(candidate_user)
    assert client.get("/portal/language/").status_code == 405
    assert client.post("/portal/language/", {"language": "es"}).status_code == 403
    assert Candidate.objects.get().language == "en"


def test_a_spanish_login_by_code_asks_for_the_code_in_spanish(client):
    CandidateFactory(email="ana@example.org")
    response = client.post("/es/portal/login/", {"email": "ana@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/es/portal/login/code/"
    html = client.get(response["Location"]).content.decode()
    assert '<html lang="es">' in html
    assert 'action="/es/portal/login/code/"' in html
    assert "Confirmar" in html
    wrong = client.post("/es/portal/login/code/", {"code": "WRONG1"})
    assert '<html lang="es">' in wrong.content.decode()
