"""What comes back: the mail provider's signed bounce and complaint events, and bounce
messages (DSNs, RFC 3464) or unsubscribe emails arriving at a VERP address. Hard bounces,
complaints and unsubscribes go on the suppression list; soft bounces (a full mailbox, a
server down for a while) are counted and otherwise left to the outbox's retries."""

import json
import logging
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import Message

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from rfs.notify import services, suppressions
from rfs.notify.models import Notification, Suppression

logger = logging.getLogger(__name__)

EVENT_REASONS = {"complaint": Suppression.Reason.COMPLAINT}


class UnreadableEvents(ValueError):
    """The events' body is not the shape we accept; the message says what is wrong."""


@dataclass(frozen=True)
class Event:
    kind: str  # "bounce" or "complaint"
    hard: bool
    email: str
    message_id: str


# --- The provider's events -------------------------------------------------------------------


def read_events(body: bytes) -> list[Event]:
    """{"events": [{"type": "bounce"|"complaint", "bounce_type": "hard"|"soft", "email",
    "message_id", "timestamp"}]}. Events of other types (deliveries, opens) are skipped;
    anything malformed refuses the whole body, so nothing is half applied."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise UnreadableEvents("The body is not JSON.") from exc
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise UnreadableEvents('The body must be an object with an "events" list.')
    events = []
    for number, item in enumerate(data["events"]):
        if not isinstance(item, dict):
            raise UnreadableEvents(f"Event {number} is not an object.")
        if item.get("type") not in ("bounce", "complaint"):
            continue
        email = item.get("email")
        try:
            validate_email(email)
        except (ValidationError, TypeError) as exc:
            raise UnreadableEvents(f"Event {number} has no valid email.") from exc
        bounce_type = item.get("bounce_type")
        if item["type"] == "bounce" and bounce_type not in ("hard", "soft"):
            raise UnreadableEvents(f'Event {number}: bounce_type must be "hard" or "soft".')
        message_id = item.get("message_id") or ""
        events.append(Event(item["type"], bounce_type == "hard", email, str(message_id)[:300]))
    return events


def _notification_of(message_id: str) -> Notification | None:
    """Our Message-ID is <uuid@domain> (delivery.message_id)."""
    uuid = message_id.strip().strip("<>").partition("@")[0]
    try:
        return Notification.objects.filter(uuid=uuid).first()
    except ValidationError:
        return None


@transaction.atomic
def apply_events(events: list[Event]) -> dict[str, int]:
    """Suppress the addresses of hard bounces and complaints. Returns the counts."""
    counts = {"suppressed": 0, "soft_bounces": 0}
    for event in events:
        if event.kind == "bounce" and not event.hard:
            counts["soft_bounces"] += 1
            continue
        reason = EVENT_REASONS.get(event.kind, Suppression.Reason.HARD_BOUNCE)
        services.suppress(
            email=event.email,
            reason=reason,
            source=Suppression.Source.PROVIDER,
            notification=_notification_of(event.message_id),
        )
        counts["suppressed"] += 1
    if counts["soft_bounces"]:
        logger.info("the mail provider reported %s soft bounce(s)", counts["soft_bounces"])
    return counts


# --- Bounce messages at VERP addresses -------------------------------------------------------


def hard_failure(message: Message) -> str | None:
    """The status and diagnostic of a DSN's permanently failed recipient ("5.1.1 ..."), or
    None when the message is not a DSN or reports only delays and temporary failures."""
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        # The first block describes the message; one block per recipient follows.
        for block in part.get_payload()[1:]:
            status = str(block.get("Status", "")).strip()
            action = str(block.get("Action", "")).strip().lower()
            if action == "failed" and status.startswith("5."):
                diagnostic = " ".join(str(block.get("Diagnostic-Code", "")).split())
                return f"{status} {diagnostic}".strip()
    return None


def recipient_of(message: Message) -> str:
    """The VERP address a message came to, from the headers mail servers add."""
    for header in ("X-Original-To", "Delivered-To", "To"):
        if message.get(header):
            return str(message[header])
    return ""


def receive_message(raw: bytes, *, recipient: str = "") -> str:
    """Act on an email that arrived at a VERP address: a hard bounce suppresses the address
    of the email it names, an email to the unsubscribe address unsubscribes it. Returns what
    was done, in words (for the mail server's log)."""
    message = message_from_bytes(raw, policy=policy.compat32)
    found = suppressions.read_verp(recipient or recipient_of(message))
    if found is None:
        return "ignored: not sent to a genuine VERP address"
    purpose, pk = found
    notification = Notification.objects.filter(pk=pk).first()
    if notification is None:
        return "ignored: the email it names is gone"
    if purpose == "unsubscribe":
        reason, source, detail = (
            Suppression.Reason.UNSUBSCRIBE,
            Suppression.Source.UNSUBSCRIBE_EMAIL,
            "",
        )
    else:
        detail = hard_failure(message)
        if detail is None:
            return "ignored: not a permanent failure"
        reason, source = Suppression.Reason.HARD_BOUNCE, Suppression.Source.BOUNCE_MESSAGE
    with transaction.atomic():
        services.suppress(
            email=notification.to_email,
            reason=reason,
            source=source,
            notification=notification,
            detail=detail,
        )
    return f"suppressed ({reason}) for notification {pk}"
