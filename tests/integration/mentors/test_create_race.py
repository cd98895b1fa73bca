"""The "Add mentor" form posted twice at once (a double click), on real PostgreSQL: the first
post in this thread's transaction, the second from another thread with its own connection."""

import threading

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from mentors import services
from mentors.models import Mentor
from tests.support.locks import wait_until_blocking_someone

pytestmark = pytest.mark.django_db(transaction=True)

FORM = {
    "name": "Nora New",
    "email": "nora@example.org",
    "bio": "",
    "states": ["NV"],
    "expertise": ["press"],
    "experience_level": "national",
    "languages": "English",
    "capacity": "3",
    "is_available": "on",
}


def test_the_second_of_two_simultaneous_posts_gets_a_message_not_an_error(staff):
    client = Client()
    client.force_login(staff)
    client.get(reverse("mentors:create"))  # the session is written before the race
    answers: list = []

    def post_again() -> None:
        try:
            answers.append(client.post(reverse("mentors:create"), FORM))
        except Exception as exc:  # a server error, reported by the assertion below
            answers.append(exc)
        finally:
            connection.close()

    data = {key: value for key, value in FORM.items() if key not in {"languages", "is_available"}}
    with transaction.atomic():
        services.create_mentor(data={**data, "languages": ["English"], "capacity": 3})
        thread = threading.Thread(target=post_again)
        thread.start()
        wait_until_blocking_someone()
    thread.join(timeout=20)

    [answer] = answers
    assert not isinstance(answer, Exception), answer
    assert answer.status_code == 200
    assert answer.context["form"].errors["email"] == ["Another mentor has this email."]
    assert Mentor.objects.filter(email="nora@example.org").count() == 1
