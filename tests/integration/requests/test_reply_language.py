"""In a conversation the candidate hears in their language, their helper in the
organisation's; a candidate who changes language gets the next emails in the new one."""

import pytest

from candidates.services.help_requests import ask_question, post_reply
from rfs.notify.models import Notification
from tests.support.outbox import delivered

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(candidate, candidate_user, mentorship, mentor):
    candidate.language = "es"
    candidate.save(update_fields=["language"])
    return ask_question(
        candidate=candidate,
        topic="fundraising",
        subject="Dinero",
        body="¿Cómo le pido a mi tía?",
        by=candidate_user,
        owner=mentor,
    )


def reply_email(message) -> Notification:
    return Notification.objects.get(key=f"request:reply:{message.pk}")


def test_the_spanish_speaking_candidate_hears_in_spanish_the_mentor_in_english(
    question, mentor, candidate_user
):
    new = Notification.objects.get(key=f"request:new:{question.pk}")
    assert (new.to_email, new.language) == (mentor.email, "en")
    assert delivered(new).body.startswith("Hello ")

    to_candidate = reply_email(post_reply(help_request=question, author=mentor, body="Llámala."))
    assert (to_candidate.to_email, to_candidate.language) == ("ada@example.org", "es")
    assert to_candidate.subject == "Hay una nueva respuesta a tu solicitud"
    assert delivered(to_candidate).body.startswith("Hola, Ada:")

    answer = post_reply(help_request=question, author=candidate_user, body="Gracias")
    to_mentor = reply_email(answer)
    assert (to_mentor.to_email, to_mentor.language) == (mentor.email, "en")
    assert to_mentor.subject == "There is a new reply to your request"
    assert "Someone replied in the conversation" in delivered(to_mentor).body


def test_a_changed_language_changes_the_later_emails(question, candidate, mentor):
    first = reply_email(post_reply(help_request=question, author=mentor, body="Primero."))
    candidate.language = "en"
    candidate.save(update_fields=["language"])
    question.candidate.refresh_from_db()
    later = reply_email(post_reply(help_request=question, author=mentor, body="Then this."))
    assert (first.language, later.language) == ("es", "en")
    assert delivered(first).subject == "Hay una nueva respuesta a tu solicitud"
    assert delivered(later).subject == "There is a new reply to your request"
    assert delivered(later).body.startswith("Hello Ada,")
