"""The outbox: record an email in the caller's transaction, have it delivered after commit.

Recording is one INSERT: the message's template, context and subject (its bodies are
rendered by the worker that sends it). After commit the worker is woken by a doorbell, one
cheap Redis command; a burst of messages rings it once. If Redis is down nothing fails: the
rows wait, and the sweep (tasks.requeue_pending) delivers them when it is back.
"""

import logging
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from rfs.notify import tasks
from rfs.notify.models import Notification
from rfs.notify.rendering import render_subject
from rfs.redis_guard import guarded

logger = logging.getLogger(__name__)

# The doorbell is set while a delivery task is on its way or running (see tasks.deliver_due);
# if that task dies, the bell can ring again after this long (the sweep catches up sooner).
DOORBELL_SECONDS = 60


def record(
    *,
    key: str,
    to: str,
    template: str,
    context: dict[str, Any],
    ref: str = "",
    secret: bool = False,
    attachments: list[dict] | None = None,
) -> Notification:
    """Record one email under `key` (once: a second call returns the first row) and have it
    delivered after the surrounding transaction commits. `context` must be JSON: the worker
    renders the bodies from it. `secret`: see record_message. `attachments`: text files,
    [{filename, content_type, content}] (calendar.attachment makes one)."""
    row = _row(key=key, to=to, template=template, context=context, ref=ref, secret=secret)
    row.attachments = attachments or []
    (row,) = _insert([row])
    return row if row.pk else Notification.objects.get(key=key)


def record_many(messages: list[dict[str, Any]], *, secret: bool = False) -> int:
    """Record several emails in one INSERT, each under its key, once: [{key, to, template,
    context, ref}], as for record(). Returns how many were new."""
    rows = _insert([_row(**message, secret=secret) for message in messages])
    return sum(1 for row in rows if row.pk)


def _row(*, key: str, to: str, template: str, context: dict, ref: str = "", secret: bool):
    return Notification(
        key=key,
        template=template,
        to_email=to,
        subject=render_subject(template, context)[:250],
        context=context,
        ref=ref,
        secret=secret,
    )


def record_message(
    *,
    key: str,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    template: str = "",
    ref: str = "",
    secret: bool = False,
) -> Notification:
    """Record an already-written email under `key`, once, for delivery after commit.
    A `secret` one (a login code, a reset link) is never shown and loses its body once sent."""
    (row,) = _insert(
        [
            Notification(
                key=key,
                template=template,
                to_email=to,
                subject=subject[:250],
                body_text=body_text,
                body_html=body_html,
                ref=ref,
                secret=secret,
            )
        ]
    )
    return row if row.pk else Notification.objects.get(key=key)


def _insert(rows: list[Notification]) -> list[Notification]:
    """One INSERT for all rows. A key already recorded (before, or by a concurrent insert,
    which the unique index makes wait) keeps its first row: its row here gets no pk."""
    if not rows:
        return []
    now = timezone.now()
    fields = [f for f in Notification._meta.concrete_fields if not f.primary_key]
    values = []
    for row in rows:
        row.next_attempt_at = row.created_at = now
        values.extend(f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields)
    columns = ", ".join(f'"{f.column}"' for f in fields)
    placeholders = ", ".join([f"({', '.join(['%s'] * len(fields))})"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Notification._meta.db_table} ({columns}) VALUES {placeholders} "  # noqa: S608 - our table and columns
            "ON CONFLICT (key) DO NOTHING RETURNING id, key",
            values,
        )
        inserted = dict((key, pk) for pk, key in cursor.fetchall())
    for row in rows:
        if row.key in inserted:
            row.pk, row._state.adding = inserted[row.key], False
    if inserted:
        transaction.on_commit(ring)
    return rows


def ring() -> None:
    """Wake a worker to deliver what is due: one Redis command, and a task only when none is
    already on its way. If Redis is down the rows wait for the sweep; the change that
    recorded them has committed and must not fail."""
    if not guarded(
        "the outbox's doorbell",
        lambda: cache.add(tasks.DOORBELL, 1, timeout=DOORBELL_SECONDS),
        fallback=False,
    ):
        return
    try:
        tasks.deliver_due.delay()
    except Exception as exc:  # the broker's outage must not break the caller
        logger.warning("could not wake the outbox worker, the sweep will: %s", type(exc).__name__)


def cancel(*, key: str) -> bool:
    """Withdraw a pending email that no longer holds (a call moved, a claim ended)."""
    return bool(
        Notification.objects.filter(key=key, status=Notification.Status.PENDING).update(
            status=Notification.Status.CANCELLED
        )
    )


def count_as_sent(*, after_id: int, until: datetime) -> int:
    """Mark the pending emails recorded after row `after_id`, up to `until`, as sent when they
    were recorded, without sending them: a demo organisation's past, replayed into a
    development database, is history, not mail to send now. Returns how many."""
    return Notification.objects.filter(
        pk__gt=after_id, status=Notification.Status.PENDING, created_at__lte=until
    ).update(status=Notification.Status.SENT, sent_at=F("created_at"))
