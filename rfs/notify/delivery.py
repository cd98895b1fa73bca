"""Delivering the outbox: claim due rows, send them over one SMTP connection, record each
outcome; and hand back rows whose worker died.

Each row is claimed by a conditional UPDATE before it is sent, so a task run twice, or two
workers at once, send it once. The one case no claim can close is a server that accepted a
message and whose answer was lost: the row is sent again after its backoff, with the same
Message-ID, so the receiving side sees a retry of one message, not a new one.
"""

import logging
import random
import secrets
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from email.mime.base import MIMEBase
from email.mime.text import MIMEText
from email.policy import Compat32
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import InterfaceError, OperationalError, connection
from django.utils import timezone

from rfs.notify import suppressions
from rfs.notify.models import Notification
from rfs.notify.rendering import bodies
from rfs.notify.retention import without_body

logger = logging.getLogger(__name__)

# Rows claimed and sent over one connection at a time.
BATCH = 50
# A task stops taking new batches after this long (the soft time limit is 60 s).
TASK_SECONDS = 40
# How long a worker keeps trying to record that messages went out, the database being out of
# reach (at most half the stale-claim time).
SENT_RETRY_SECONDS = 15


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... times settings.RFS_OUTBOX_BACKOFF after each failed attempt (at most six
    hours), each between half and the whole of it, at random: the messages that failed
    together in an outage do not all come back in the same second."""
    ceiling = min(settings.RFS_OUTBOX_BACKOFF * 2 ** max(attempts - 1, 0), timedelta(hours=6))
    return ceiling * random.uniform(0.5, 1.0)


def message_id(row: Notification) -> str:
    """The same Message-ID every time this row is sent: a retry is the same message."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<{row.uuid}@{domain}>"


def claim(*, now: datetime, ids: list[int] | None = None) -> list[Notification]:
    """Claim up to BATCH pending rows that are due (of `ids`, if given) for this worker:
    rows another worker is claiming at this moment are skipped, never shared. One statement:
    the claim and the claimed rows in one round trip."""
    table = Notification._meta.db_table
    only = "AND id = ANY(%(ids)s)" if ids is not None else ""
    claimed = Notification.objects.raw(
        f"""
        UPDATE {table} SET status = %(sending)s, claimed_at = %(now)s, attempts = attempts + 1
        WHERE id IN (
            SELECT id FROM {table}
            WHERE status = %(pending)s AND next_attempt_at <= %(now)s {only}
            ORDER BY next_attempt_at
            LIMIT %(batch)s
            FOR UPDATE SKIP LOCKED
        )
        RETURNING *
        """,  # noqa: S608 - our own table; values are parameters
        {
            "sending": Notification.Status.SENDING,
            "pending": Notification.Status.PENDING,
            "now": now,
            "ids": ids,
            "batch": BATCH,
        },
    )
    return sorted(claimed, key=lambda row: row.pk)


def send(rows: list[Notification]) -> int:
    """Send claimed rows over one connection and record each outcome. Returns how many went.
    Rows to a suppressed address are marked so, never sent (one query for the batch)."""
    rows = _without_suppressed(rows)
    if not rows:
        return 0
    connection = get_connection()
    sent: list[Notification] = []
    try:
        connection.open()
        for row in rows:
            try:
                connection.send_messages([_message(row, connection)])
            except Exception as exc:  # one refused recipient must not stop the others
                _failed(row, exc)
            else:
                sent.append(row)
    except Exception as exc:  # the server itself: every row not yet sent is retried
        for row in rows:
            if row not in sent:
                _failed(row, exc)
    finally:
        try:
            connection.close()
        except Exception:  # a server that already went away
            logger.info("the mail connection closed uneasily")
    _record_sent(sent)
    return len(sent)


def _without_suppressed(rows: list[Notification]) -> list[Notification]:
    """Mark the rows a standing suppression stops (never sent, never lost: staff see them
    on the outbox pages, with the reason); return the others."""
    stopped = suppressions.stopped(rows)
    now = timezone.now()
    for row in rows:
        if row.pk in stopped:
            suppression = stopped[row.pk]
            Notification.objects.filter(pk=row.pk).update(
                status=Notification.Status.SUPPRESSED,
                last_error=f"Not sent: {suppression.email} is suppressed "
                f"({suppression.get_reason_display().lower()}, {suppression.created_at:%Y-%m-%d}).",
                claimed_at=None,
                # A secret that will not be sent is not kept either.
                **(without_body(now) if row.secret else {}),
            )
    return [row for row in rows if row.pk not in stopped]


def _record_sent(rows: list[Notification]) -> None:
    """Mark rows sent, trying again while the database is out of reach (a restart, a crash):
    these messages were accepted, and a row left "sending" would be handed back and sent a
    second time. Gives up (the rows are then sent again) well before their claim goes stale."""
    window = min(settings.RFS_OUTBOX_STALE_CLAIM / 2, timedelta(seconds=SENT_RETRY_SECONDS))
    deadline = time.monotonic() + window.total_seconds()
    while True:
        try:
            _sent(rows)
            return
        except (OperationalError, InterfaceError):
            if time.monotonic() >= deadline:
                raise
            logger.warning("could not record %d sent email(s) yet: trying again", len(rows))
            connection.close()  # the next query opens a new connection
            time.sleep(1)


class Headers(Compat32):
    """The policy Django's messages are written with (compat32), with a shortcut for the
    headers that need no folding. compat32 runs every header through email.header.Header to
    fold it, about a sixth of the worker's CPU a message; a value of printable ASCII short
    enough for one line comes out of that as it went in, so it is written as it is (a test
    holds every header of the outbox's messages, and random ones, to compat32's output)."""

    def _as_is(self, name: str, value) -> str | None:
        if (
            isinstance(value, str)
            and value.isascii()
            and value.replace("\t", " ").isprintable()
            and self.max_line_length is not None
            and len(name) + 2 + len(value) <= self.max_line_length
        ):
            return f"{name}: {value}{self.linesep}"
        return None

    def fold(self, name, value):
        return self._as_is(name, value) or super().fold(name, value)

    def fold_binary(self, name, value):
        as_is = self._as_is(name, value)
        return as_is.encode("ascii") if as_is else super().fold_binary(name, value)


HEADERS = Headers()


class _Email(EmailMultiAlternatives):
    def message(self):
        message = super().message()
        if message.is_multipart():
            # A random boundary like the library's own, set here: the library would otherwise
            # compile a pattern for every message to check the one it drew.
            message.set_boundary("=" * 15 + secrets.token_hex(16) + "==")
        # The whole message is written with it: its parts take the policy of the top one.
        message.policy = HEADERS
        return message


def _message(row: Notification, connection) -> EmailMultiAlternatives:
    text, html = bodies(row)
    message = _Email(
        subject=row.subject,
        body=text,
        # The envelope sender (VERP when on); the From header stays the organisation's.
        from_email=suppressions.return_path(row),
        to=[row.to_email],
        headers={
            "From": settings.DEFAULT_FROM_EMAIL,
            "Message-ID": message_id(row),
            "X-RFS-Notification": str(row.uuid),
            **suppressions.list_unsubscribe_headers(row),
        },
        connection=connection,
    )
    if html:
        message.attach_alternative(html, "text/html")
    for item in row.attachments if not row.body_removed_at else []:
        message.attach(_attachment(item))
    return message


def _attachment(item: dict) -> MIMEBase:
    """A text attachment with its content-type parameters (a calendar's method)."""
    main, sub = item["content_type"].split("/", 1)
    part = MIMEText(item["content"], sub, "utf-8") if main == "text" else MIMEBase(main, sub)
    for name, value in item.get("params", {}).items():
        part.set_param(name, value)
    part.add_header("Content-Disposition", "attachment", filename=item["filename"])
    return part


def _failed(row: Notification, exc: Exception) -> None:
    # The class only: SMTP errors name the recipient (the row keeps the whole error).
    logger.warning("delivery of notification %s failed: %s", row.pk, type(exc).__name__)
    now = timezone.now()
    give_up = row.attempts >= settings.RFS_OUTBOX_MAX_ATTEMPTS
    Notification.objects.filter(pk=row.pk).update(
        status=Notification.Status.FAILED if give_up else Notification.Status.PENDING,
        last_error=f"{type(exc).__name__}: {exc}"[:2000],
        next_attempt_at=now + backoff(row.attempts),
        claimed_at=None,
        **(without_body(now) if give_up and row.secret else {}),
    )


def _sent(rows: list[Notification]) -> None:
    now = timezone.now()
    plain = [row.pk for row in rows if not row.secret]
    secret = [row.pk for row in rows if row.secret]
    if plain:
        Notification.objects.filter(pk__in=plain).update(
            status=Notification.Status.SENT, sent_at=now, last_error=""
        )
    if secret:
        # A login code or a link that acts for someone is kept only until it is sent.
        Notification.objects.filter(pk__in=secret).update(
            status=Notification.Status.SENT, sent_at=now, last_error="", **without_body(now)
        )


def deliver(*, notification_id: int) -> bool:
    """Send one pending email if it is due. Safe to call twice: only the caller that claims
    the row sends. Returns True when this call sent it."""
    rows = claim(now=timezone.now(), ids=[notification_id])
    return bool(rows) and send(rows) == 1


def deliver_due(*, stopping: Callable[[], bool] = lambda: False) -> int:
    """Send every email that is due, batch by batch, until none is left, the task's time is
    up or `stopping()` says the worker is shutting down (the next task goes on). Returns how
    many were sent."""
    started, total = time.monotonic(), 0
    while time.monotonic() - started < TASK_SECONDS and not stopping():
        rows = claim(now=timezone.now())
        if not rows:
            break
        total += send(rows)
    return total


def hand_back_stale() -> int:
    """Give the rows whose delivery died with its worker back to the queue."""
    return Notification.objects.filter(
        status=Notification.Status.SENDING,
        claimed_at__lt=timezone.now() - settings.RFS_OUTBOX_STALE_CLAIM,
    ).update(status=Notification.Status.PENDING, claimed_at=None)


def oldest_unsent() -> datetime | None:
    """When the oldest email still waiting to go (pending or being sent) was recorded."""
    return (
        Notification.objects.filter(
            status__in=[Notification.Status.PENDING, Notification.Status.SENDING]
        )
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def unsent_count() -> int:
    return Notification.objects.filter(
        status__in=[Notification.Status.PENDING, Notification.Status.SENDING]
    ).count()


def due_count() -> int:
    return Notification.objects.filter(
        status=Notification.Status.PENDING, next_attempt_at__lte=timezone.now()
    ).count()
