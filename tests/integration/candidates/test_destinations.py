"""Destinations: events about people recorded with the change that caused them, posted as
signed JSON to a real HTTP server, retried with backoff under the same id, never lost."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from candidates.models import Destination, DestinationEvent
from candidates.services import destinations, intake
from candidates.services.pipeline import move_stage
from rfs.signatures import signature
from tests.factories.candidates import CandidateFactory, signup_form_data

pytestmark = pytest.mark.django_db


class Receiver:
    """A real HTTP server on a free port that records what it is sent and answers with the
    next status in `answers` (then 200)."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.answers: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self) -> list[dict]:
        return [json.loads(item["body"]) for item in self.received]


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.server.shutdown()


def make_destination(url: str, events=None) -> Destination:
    return destinations.create_destination(
        name="CRM", url=url, events=events or list(Destination.Event.values)
    )


def due_now() -> None:
    DestinationEvent.objects.update(next_attempt_at=timezone.now())


def test_a_signup_tells_the_destination_of_a_new_person_signed(client, receiver):
    destination = make_destination(receiver.url)
    client.post(reverse("intake:signup"), signup_form_data(email="new@example.org"))
    intake.resolve_waiting_signups()
    assert destinations.deliver_due() == 1
    [sent] = receiver.received
    event = json.loads(sent["body"])
    assert event["type"] == "person.created"
    assert event["person"]["email"] == "new@example.org"
    headers = {k.lower(): v for k, v in sent["headers"].items()}
    assert headers["x-rfs-event-id"] == event["id"]
    expected = signature(
        destination.secret, timestamp=headers["x-rfs-timestamp"], body=sent["body"]
    )
    assert headers["x-rfs-signature"] == expected
    assert DestinationEvent.objects.get().status == DestinationEvent.Status.SENT


def test_a_stage_change_is_sent_only_to_destinations_that_want_it(receiver):
    make_destination(receiver.url, events=[Destination.Event.STAGE_CHANGED])
    make_destination_other = destinations.create_destination(
        name="List", url=receiver.url, events=[Destination.Event.CONSENT_WITHDRAWN]
    )
    candidate = CandidateFactory()
    move_stage(candidate=candidate, to="screening")
    destinations.deliver_due()
    [event] = receiver.events()
    assert (event["type"], event["from_stage"], event["to_stage"]) == (
        "person.stage_changed",
        "signed_up",
        "screening",
    )
    assert not make_destination_other.log.exists()


def test_a_change_rolled_back_sends_nothing(receiver):
    make_destination(receiver.url)
    candidate = CandidateFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        move_stage(candidate=candidate, to="screening")
        raise RuntimeError("the change fails after the move")
    assert not DestinationEvent.objects.exists()


def test_a_failing_destination_is_retried_with_backoff_under_the_same_id(receiver):
    make_destination(receiver.url)
    receiver.answers = [500, 503]
    candidate = CandidateFactory()
    destinations.withdraw_consent(candidate=candidate, by=None)
    before = timezone.now()
    destinations.deliver_due()
    row = DestinationEvent.objects.get()
    assert (row.status, row.attempts, row.last_status) == ("pending", 1, 500)
    assert row.next_attempt_at >= before + timedelta(minutes=1)
    # Not due yet: nothing is tried.
    assert destinations.deliver_due() == 0
    due_now()
    destinations.deliver_due()
    row.refresh_from_db()
    assert row.next_attempt_at >= timezone.now() + timedelta(minutes=1, seconds=50)
    due_now()
    destinations.deliver_due()
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 3)
    ids = {
        {k.lower(): v for k, v in item["headers"].items()}["x-rfs-event-id"]
        for item in receiver.received
    }
    assert ids == {str(row.uuid)}
    assert [e["type"] for e in receiver.events()] == ["person.consent_withdrawn"] * 3


def test_an_unreachable_destination_keeps_its_events_until_it_gives_up(receiver):
    make_destination("http://127.0.0.1:9/nobody-listens")
    CandidateFactory(consent_at=timezone.now())
    destinations.withdraw_consent(candidate=CandidateFactory(), by=None)
    for _ in range(destinations.MAX_ATTEMPTS):
        due_now()
        destinations.deliver_due()
    row = DestinationEvent.objects.get()
    assert row.status == DestinationEvent.Status.FAILED
    assert "Could not reach" in row.last_error
    assert destinations.retry(destination=row.destination) == 1
    assert DestinationEvent.objects.get().status == DestinationEvent.Status.PENDING


def test_the_backoff_doubles_to_a_ceiling():
    assert [destinations.backoff(n) for n in (1, 2, 3)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
    ]
    assert destinations.backoff(20) == timedelta(hours=6)


def test_staff_add_a_destination_and_read_its_log(client_for, staff, receiver):
    staff_client = client_for(staff)
    response = staff_client.post(
        reverse("candidates:destinations"),
        {"name": "Our CRM", "url": receiver.url, "events": ["person.created"], "active": "on"},
    )
    destination = Destination.objects.get()
    assert response.url == destination.get_absolute_url()
    page = staff_client.get(response.url).content.decode()
    assert destination.secret in page and "Nothing sent yet." in page
    bad = staff_client.post(reverse("candidates:destinations"), {"name": "X", "url": "nope"})
    assert bad.status_code == 200 and "Enter a valid URL." in bad.content.decode()


def test_staff_record_withdrawn_consent_from_the_candidate_page(client_for, staff, receiver):
    make_destination(receiver.url, events=[Destination.Event.CONSENT_WITHDRAWN])
    candidate = CandidateFactory()
    response = client_for(staff).post(reverse("candidates:withdraw_consent", args=[candidate.uuid]))
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.consent_at is None
    destinations.deliver_due()
    assert receiver.events()[0]["person"]["consent"] is False
