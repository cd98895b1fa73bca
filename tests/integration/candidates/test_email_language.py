"""A candidate's emails are written in the candidate's language: the signup confirmation a
real worker delivers, a training's email and its calendar event; staff's stay in English."""

import time
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from candidates.forms.intake import SignupForm
from candidates.models import Candidate
from candidates.services import intake
from candidates.services.intake import resolve_submission
from rfs.notify.models import Notification
from tests.factories.candidates import CandidateFactory, signup_form_data
from tests.factories.trainings import SessionFactory, TrainingFactory
from tests.support.outbox import delivered, html
from trainings import services as trainings


def sign_up(**overrides) -> Candidate:
    form = SignupForm(data=signup_form_data(**overrides))
    assert form.is_valid(), form.errors
    language = overrides.get("language", "")
    return resolve_submission(
        data=form.cleaned_data, channel="form", payload={}, language=language
    ).candidate


def wait_for_mail(count: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while len(mail.outbox) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(mail.outbox) >= count, "the worker sent nothing"


def test_a_spanish_speaker_who_signs_up_gets_the_confirmation_in_spanish(celery_worker):
    candidate = sign_up(language="es")
    assert candidate.language == "es"
    wait_for_mail(1)
    (message,) = mail.outbox
    assert message.to == ["ada@example.org"]
    assert message.subject == "Gracias por inscribirte: una persona voluntaria te llamará pronto"
    assert message.body.startswith("Hola, Ada:")
    assert "Ya tenemos tus datos" in message.body
    assert "Thank you" not in message.body
    assert '<html lang="es">' in html(message)
    row = Notification.objects.get(template="signup_confirmation")
    assert (row.language, row.status) == ("es", Notification.Status.SENT)


@pytest.mark.django_db
def test_without_a_language_the_signup_is_in_the_organisations():
    candidate = sign_up()
    assert candidate.language == "en"
    row = Notification.objects.get(template="signup_confirmation")
    assert row.language == "en"
    assert delivered(row).subject == "Thanks for signing up: a volunteer will call you soon"


@pytest.mark.django_db
def test_the_confirmation_is_in_the_language_of_the_form_not_of_the_record():
    # What is emailed to the address typed never depends on what the record says.
    CandidateFactory(email="ada@example.org", language="en")
    sign_up(language="es")
    row = Notification.objects.get(template="signup_confirmation")
    assert row.language == "es"
    assert Candidate.objects.get(email="ada@example.org").language == "en"


@pytest.mark.django_db
def test_a_training_email_and_its_calendar_event_are_in_the_candidates_language():
    session = SessionFactory(
        training=TrainingFactory(topic="Fundraising 101"),
        starts_at=datetime(2031, 3, 11, 14, 0, tzinfo=UTC),
    )
    candidate = CandidateFactory(state="NY", language="es")
    trainings.register(session=session, candidate=candidate)
    row = Notification.objects.get(template="training_registered")
    assert row.language == "es"
    assert row.subject == "Inscripción confirmada: Fundraising 101"
    message = delivered(row)
    assert "martes 11 de marzo de 2031, 10:00 AM EDT" in message.body
    (event,) = row.attachments
    assert "SUMMARY:Capacitación de Run for Something: Fundraising 101" in event["content"]
    assert "DESCRIPTION:Con Dana Facilitator." in event["content"]


@pytest.mark.django_db
def test_an_english_speakers_training_email_is_unchanged():
    session = SessionFactory(
        training=TrainingFactory(topic="Fundraising 101"),
        starts_at=datetime(2031, 3, 11, 14, 0, tzinfo=UTC),
    )
    trainings.register(session=session, candidate=CandidateFactory(state="NY"))
    row = Notification.objects.get(template="training_registered")
    assert (row.language, row.subject) == ("en", "You are registered: Fundraising 101")
    assert "Tuesday, March 11, 2031 at 10:00 AM EDT" in delivered(row).body
    assert "SUMMARY:Run for Something training: Fundraising 101" in row.attachments[0]["content"]


@pytest.mark.django_db
def test_the_signup_form_filled_in_spanish_makes_a_spanish_speaking_candidate(client):
    with translation.override("es"):
        response = client.post(reverse("intake:signup"), signup_form_data())
    assert response.status_code == 302
    intake.resolve_waiting_signups()
    assert Candidate.objects.get(email="ada@example.org").language == "es"
    row = Notification.objects.get(template="signup_confirmation")
    assert row.language == "es"
    body = delivered(row).body
    assert body.startswith("Hola, Ada:")
    # Resolved by a worker with no language active: the links still go to the Spanish pages.
    assert "/es/privacy/" in body


@pytest.mark.django_db
def test_the_signup_form_filled_in_english_stays_english(client):
    response = client.post(reverse("intake:signup"), signup_form_data())
    assert response.status_code == 302
    intake.resolve_waiting_signups()
    assert Candidate.objects.get(email="ada@example.org").language == "en"
    assert Notification.objects.get(template="signup_confirmation").language == "en"
