"""Suppressions arriving from outside: the unsubscribe link (a page and RFC 8058's one-click
POST), the mail provider's signed events, and bounce messages at VERP addresses."""

import io
import json
import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from rfs.notify import services, suppressions
from rfs.notify.models import Notification, Suppression
from rfs.signatures import signature

pytestmark = pytest.mark.django_db

SECRET = "events-secret-for-tests"


def unsubscribe_url(email: str = "Ada@Example.org") -> str:
    return reverse("notify:unsubscribe", args=[suppressions.unsubscribe_token(email)])


def standing(email: str = "ada@example.org") -> list[tuple[str, str]]:
    return list(Suppression.objects.active().filter(email=email).values_list("reason", "source"))


# --- The unsubscribe link ---------------------------------------------------------------------


def test_opening_the_link_only_asks(client):
    response = client.get(unsubscribe_url())
    assert response.status_code == 200
    assert "Unsubscribe ada@example.org?" in response.content.decode()
    assert standing() == []


def test_the_button_unsubscribes(client):
    client.get(unsubscribe_url())
    response = client.post(unsubscribe_url())
    assert "You are unsubscribed" in response.content.decode()
    assert standing() == [("unsubscribe", "unsubscribe_link")]


def test_one_click_post_unsubscribes_without_a_csrf_token():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(unsubscribe_url(), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert standing() == [("unsubscribe", "unsubscribe_link")]
    # Twice is still one suppression.
    client.post(unsubscribe_url(), {"List-Unsubscribe": "One-Click"})
    assert Suppression.objects.count() == 1


def test_the_button_works_with_csrf_checks_on():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.get(unsubscribe_url())
    token = client.cookies["csrftoken"].value
    response = client.post(unsubscribe_url(), {"csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert standing() == [("unsubscribe", "unsubscribe_link")]


def test_any_other_post_needs_the_csrf_token():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(unsubscribe_url(), {})
    assert response.status_code == 403
    assert standing() == []


@pytest.mark.parametrize("token", ["nonsense", "ImFkYUBleGFtcGxlLm9yZyI:forged"])
def test_a_link_that_is_not_genuine_says_so(client, token):
    for response in (
        client.get(reverse("notify:unsubscribe", args=[token])),
        client.post(reverse("notify:unsubscribe", args=[token]), {"List-Unsubscribe": "One-Click"}),
    ):
        assert response.status_code == 400
        assert "does not work" in response.content.decode()
    assert not Suppression.objects.exists()


def test_a_tampered_link_does_not_unsubscribe_someone_else(client):
    token = suppressions.unsubscribe_token("ada@example.org")
    other = suppressions.unsubscribe_token("bob@example.org")
    forged = other.rpartition(":")[0] + ":" + token.rpartition(":")[2]
    response = client.post(
        reverse("notify:unsubscribe", args=[forged]), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 400
    assert not Suppression.objects.exists()


# --- The provider's events ------------------------------------------------------------------


def post_events(client, body, *, secret=SECRET, at=None, signed=None):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    timestamp = str(int(time.time()) if at is None else at)
    return client.post(
        reverse("notify:events"),
        raw,
        content_type="application/json",
        headers={
            "X-Timestamp": timestamp,
            "X-Signature": signed or signature(secret, timestamp=timestamp, body=raw),
        },
    )


@pytest.fixture
def events_secret(settings):
    settings.RFS_OUTBOX_EVENTS_SECRET = SECRET


def event(kind="bounce", bounce_type="hard", email="Ada@Example.org", **more):
    return {"type": kind, "bounce_type": bounce_type, "email": email, **more}


def test_hard_bounces_and_complaints_suppress_soft_bounces_are_counted(client, events_secret):
    row = services.record(key="k", to="ada@example.org", template="notice", context={})
    body = {
        "events": [
            event(message_id=f"<{row.uuid}@example.org>", timestamp=1700000000),
            event("complaint", None, email="bob@example.org"),
            event(bounce_type="soft", email="cy@example.org"),
            {"type": "delivered", "email": "dee@example.org"},
            event(email="eve@example.org", message_id="<not-ours@elsewhere>"),
        ]
    }
    response = post_events(client, body)
    assert response.status_code == 200
    assert response.json() == {"suppressed": 3, "soft_bounces": 1}
    assert Suppression.objects.get(email="eve@example.org").notification is None
    assert standing() == [("hard_bounce", "provider")]
    assert standing("bob@example.org") == [("complaint", "provider")]
    assert standing("cy@example.org") == []
    assert Suppression.objects.get(email="ada@example.org").notification == row


@pytest.mark.parametrize(
    ("case", "status", "reason"),
    [
        ("bad signature", 401, "X-Signature"),
        ("other secret", 401, "X-Signature"),
        ("stale", 401, "X-Timestamp"),
        ("not a number", 401, "X-Timestamp"),
        ("not JSON", 400, "not JSON"),
        ("no events list", 400, "events"),
        ("event without an email", 400, "valid email"),
        ("bounce without its type", 400, "bounce_type"),
    ],
)
def test_events_that_cannot_be_trusted_or_read_are_refused(
    client, events_secret, case, status, reason
):
    body: object = {"events": [event()]}
    options = {}
    if case == "bad signature":
        options["signed"] = "sha256=" + "0" * 64
    elif case == "other secret":
        options["secret"] = "another"
    elif case == "stale":
        options["at"] = int(time.time()) - 600
    elif case == "not a number":
        options["at"] = "yesterday"
    elif case == "not JSON":
        body = b"{not json"
    elif case == "no events list":
        body = {"event": []}
    elif case == "event without an email":
        body = {"events": [event(email="nobody")]}
    elif case == "bounce without its type":
        body = {"events": [event(bounce_type="medium")]}
    response = post_events(client, body, **options)
    assert response.status_code == status
    assert reason in response.json()["error"]
    assert not Suppression.objects.exists()


def test_without_a_secret_every_event_is_refused(client, settings):
    settings.RFS_OUTBOX_EVENTS_SECRET = ""
    response = post_events(client, {"events": [event()]}, secret="")
    assert response.status_code == 401
    assert "no signing secret" in response.json()["error"]


def test_events_are_posted_not_fetched(client, events_secret):
    assert client.get(reverse("notify:events")).status_code == 405


# --- Bounce messages at VERP addresses --------------------------------------------------------

DSN = """\
Return-Path: <>
X-Original-To: {recipient}
Delivered-To: {recipient}
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: {recipient}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
    boundary="B0UND"

This is a MIME-encapsulated message.

--B0UND
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

--B0UND
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
X-Postfix-Queue-ID: 4F2C81A0
Arrival-Date: Sun,  6 Dec 2026 04:10:11 +0000 (UTC)

Final-Recipient: rfc822; ada@example.org
Original-Recipient: rfc822;ada@example.org
Action: {action}
Status: {status}
Remote-MTA: dns; mail.example.org
Diagnostic-Code: smtp; {code} {status} <ada@example.org>: Recipient address
    rejected: User unknown in virtual mailbox table

--B0UND
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: Run for Something <hello@example.org>
To: ada@example.org
Subject: Reminder: a request is due soon

--B0UND--
"""


def dsn(recipient: str, *, action="failed", status="5.1.1", code=550) -> bytes:
    text = DSN.format(recipient=recipient, action=action, status=status, code=code)
    return text.replace("\n", "\r\n").encode()


@pytest.fixture
def verp(settings):
    settings.RFS_OUTBOX_BOUNCE_DOMAIN = "bounce.example.org"
    row = services.record(key="k", to="Ada@example.org", template="request_reminder", context={})
    return row, suppressions.return_path(row)


def process(raw: bytes, *args) -> str:
    out = io.StringIO()
    call_command("process_bounce", *args, stdin=io.BytesIO(raw), stdout=out)
    return out.getvalue()


def test_a_hard_bounce_suppresses_the_address_of_the_email_it_names(verp):
    row, address = verp
    assert "suppressed" in process(dsn(address))
    suppression = Suppression.objects.get()
    assert (suppression.email, suppression.reason) == ("ada@example.org", "hard_bounce")
    assert suppression.source == "bounce_message" and suppression.notification == row
    assert suppression.detail.startswith("5.1.1 smtp; 550 5.1.1")


@pytest.mark.parametrize(
    ("action", "status", "code"), [("delayed", "4.2.2", 452), ("failed", "4.4.7", 451)]
)
def test_a_delay_or_temporary_failure_does_not_suppress(verp, action, status, code):
    _, address = verp
    assert "ignored" in process(dsn(address, action=action, status=status, code=code))
    assert not Suppression.objects.exists()


def test_the_recipient_may_be_given_by_the_mail_server(verp):
    _, address = verp
    # Headers naming another address; the pipe's argument is what counts.
    assert "suppressed" in process(dsn("postmaster@example.org"), "--recipient", address)


def test_a_bounce_to_an_address_that_is_not_genuine_is_ignored(verp):
    _, address = verp
    forged = address.replace("-", "-f", 1)
    assert "ignored" in process(dsn(forged))
    assert "ignored" in process(b"not an email at all")
    assert not Suppression.objects.exists()


def test_an_email_to_the_unsubscribe_address_unsubscribes(verp, settings):
    row, _ = verp
    headers = suppressions.list_unsubscribe_headers(row)["List-Unsubscribe"]
    mailto = headers.split(", ")[1].strip("<>").removeprefix("mailto:").partition("?")[0]
    raw = f"To: {mailto}\r\nFrom: ada@example.org\r\nSubject: unsubscribe\r\n\r\n".encode()
    assert "suppressed" in process(raw)
    assert standing() == [("unsubscribe", "unsubscribe_email")]


def test_held_back_emails_are_visible_on_the_outbox_pages(client_for, staff):
    with_suppression = services.record(
        key="k", to="ada@example.org", template="request_reminder", context={}
    )
    services.suppress(
        email="ada@example.org",
        reason=Suppression.Reason.UNSUBSCRIBE,
        source=Suppression.Source.UNSUBSCRIBE_LINK,
    )
    from rfs.notify import delivery

    delivery.deliver(notification_id=with_suppression.pk)
    client = client_for(staff)
    listing = client.get(reverse("notify:list"), {"status": "suppressed"}).content.decode()
    assert "ada@example.org" in listing
    page = client.get(with_suppression.get_absolute_url()).content.decode()
    assert "Why not sent" in page and "unsubscribe" in page
    assert Notification.objects.get(pk=with_suppression.pk).status == "suppressed"
