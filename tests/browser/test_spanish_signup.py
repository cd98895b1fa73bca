"""A Spanish speaker signs up: their browser asks for Spanish, the site answers in Spanish
from the first page to the thank-you page, their confirmation email is in Spanish, and their
record keeps Spanish for their emails."""

import time

import pytest
from django.core import mail
from django.utils import timezone

from candidates.models import Candidate
from tests.conftest import watched_page

pytestmark = pytest.mark.browser


@pytest.fixture
def spanish_page(browser, live_server):
    """A phone-sized browser set up in Spanish (its Accept-Language asks for es-MX, then es)."""
    with watched_page(
        browser, live_server, viewport={"width": 390, "height": 844}, locale="es-MX"
    ) as page:
        yield page


def delivered_to(email: str, seconds: float = 20):
    """The first email the real Celery worker delivered to `email` (locmem backend)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for message in mail.outbox:
            if message.to == [email]:
                return message
        time.sleep(0.2)
    raise AssertionError(f"no email reached {email}")


def resolved(email: str, seconds: float = 20) -> Candidate:
    """The candidate the real Celery worker made of a signup to `email`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if candidate := Candidate.objects.filter(email=email).first():
            return candidate
        time.sleep(0.2)
    raise AssertionError(f"no candidate for {email}")


def test_a_spanish_speaker_signs_up_in_spanish(spanish_page, celery_worker):
    page = spanish_page
    page.goto("/")
    page.wait_for_url("**/es/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", name="¿Piensas postularte a un cargo público?").is_visible()

    page.get_by_role("link", name="Inscríbete para postularte").click()
    page.wait_for_url("**/es/signup/")
    # Fields named in Spanish ("Nombre" and "Estado" are also the start of other labels).
    assert page.locator("label[for=id_first_name]").inner_text().startswith("Nombre")
    assert page.locator("label[for=id_state]").inner_text().startswith("Estado")
    page.locator("#id_first_name").fill("Marisol")
    page.get_by_label("Apellido").fill("Ramírez")
    page.get_by_label("Año en que naciste").fill(str(timezone.localdate().year - 27))
    page.get_by_label("Correo electrónico").fill("marisol@example.org")
    page.get_by_label("Teléfono celular").fill("(520) 555-0133")
    page.get_by_label("Ciudad o pueblo").fill("Tucson")
    page.locator("#id_state").select_option("AZ")
    page.get_by_label("Código postal").fill("857")
    page.get_by_label("¿Qué tipo de cargo estás considerando?").select_option("school_board")
    page.get_by_label("El cargo, en tus palabras").fill("Junta Escolar Unificada de Tucson")
    page.get_by_label("Recaudación de fondos").check()
    page.get_by_label("Acepto que Run for Something me contacte").check()
    page.get_by_role("button", name="Enviar mis datos").click()

    # A mistake is explained in Spanish, and what was typed is still there.
    assert page.get_by_text("Escribe un código postal de 5 dígitos, como 20001.").is_visible()
    assert page.locator("#id_first_name").input_value() == "Marisol"
    page.get_by_label("Código postal").fill("85701")
    page.get_by_label("Acepto que Run for Something me contacte").check()
    page.get_by_role("button", name="Enviar mis datos").click()

    page.wait_for_url("**/es/signup/thanks/")
    assert page.get_by_role("heading", name="Gracias: ya tenemos tus datos.").is_visible()
    assert page.get_by_text("Un voluntario te llama en unos tres días.").is_visible()
    # The real worker resolves the post moments after the page answered.
    candidate = resolved("marisol@example.org")
    assert (candidate.first_name, candidate.email) == ("Marisol", "marisol@example.org")
    assert candidate.language == "es"

    # The worker delivers the confirmation in Spanish, its links to the Spanish pages.
    email = delivered_to("marisol@example.org")
    assert email.subject.startswith("Gracias por inscribirte")
    assert "Hola, Marisol:" in email.body
    assert "Lo que sigue: una persona voluntaria te llamará en unos tres días" in email.body
    assert "/es/portal/" in email.body and "/es/privacy/" in email.body
    assert "Thank you for telling us" not in email.body

    # The same page in English is one click away, and the choice sticks.
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/signup/thanks/")
    assert page.get_by_role("heading", name="Thank you: we have your details.").is_visible()
    page.goto("/privacy/")
    assert page.get_by_role("heading", name="Privacy notice").is_visible()
