"""Reading an email as it was delivered: the worker renders it from its template and
context when it sends it, so a test reads the message in Django's test outbox."""

from django.core import mail

from rfs.notify.delivery import deliver, message_id
from rfs.notify.models import Notification


def delivered(row: Notification):
    """The message sent for `row`, sending it now if it has not gone yet."""
    row.refresh_from_db()
    if row.status == Notification.Status.PENDING:
        assert deliver(notification_id=row.pk), f"notification {row.pk} was not sent"
    wanted = message_id(row)
    return next(m for m in mail.outbox if m.extra_headers.get("Message-ID") == wanted)


def html(message) -> str:
    return next(body for body, kind in message.alternatives if kind == "text/html")
