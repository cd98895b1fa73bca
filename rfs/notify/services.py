"""The outbox: record an email in the caller's transaction, have it delivered after commit.

Recording is one INSERT: the message's template, context and subject (its bodies are
rendered by the worker that sends it). After commit the worker is woken by a doorbell, one
cheap Redis command; a burst of messages rings it once. If Redis is down nothing fails: the
rows wait, and the sweep (tasks.requeue_pending) delivers them when it is back.
"""

import logging
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from rfs import bulk, redis_guard
from rfs.notify import kinds, suppressions, tasks
from rfs.notify.models import Notification, Suppression
from rfs.notify.rendering import render_subject

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
    language: str | None = None,
) -> Notification:
    """Record one email under `key` (once: a second call returns the first row) and have it
    delivered after the surrounding transaction commits. `context` must be JSON: the worker
    renders the bodies from it. `secret`: see record_message. `attachments`: text files,
    [{filename, content_type, content}] (calendar.attachment makes one). `language`: the
    recipient's (settings.LANGUAGES), the organisation's if not given."""
    row = _row(
        key=key,
        to=to,
        template=template,
        context=context,
        ref=ref,
        secret=secret,
        language=language,
    )
    row.attachments = attachments or []
    (row,) = _insert([row])
    return row if row.pk else Notification.objects.get(key=key)


def record_many(messages: list[dict[str, Any]], *, secret: bool = False) -> int:
    """Record several emails in one INSERT, each under its key, once: [{key, to, template,
    context, ref, language}], as for record(). Returns how many were new."""
    rows = _insert([_row(**message, secret=secret) for message in messages])
    return sum(1 for row in rows if row.pk)


def _row(
    *,
    key: str,
    to: str,
    template: str,
    context: dict,
    ref: str = "",
    secret: bool,
    language: str | None = None,
):
    kinds.check(template)
    language = language_of(language)
    return Notification(
        key=key,
        template=template,
        to_email=to,
        subject=render_subject(template, context, language=language)[:250],
        context=context,
        ref=ref,
        secret=secret,
        language=language,
    )


def language_of(language: str | None) -> str:
    """The language to write in: the site's variant of the one asked for ("es-MX" → "es"),
    else the organisation's (settings.LANGUAGE_CODE)."""
    try:
        return translation.get_supported_language_variant(language or "")
    except LookupError:
        return settings.LANGUAGE_CODE


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
    language: str | None = None,
) -> Notification:
    """Record an already-written email under `key`, once, for delivery after commit.
    A `secret` one (a login code, a reset link) is never shown and loses its body once sent.
    `language`: the one it is written in (the organisation's if not given)."""
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
                language=language_of(language),
            )
        ]
    )
    return row if row.pk else Notification.objects.get(key=key)


def _insert(rows: list[Notification]) -> list[Notification]:
    """One INSERT for all rows. A key already recorded (before, or by a concurrent insert,
    which the unique index makes wait) keeps its first row: its row here gets no pk."""
    # Due at once; created_at is its field's own (auto_now_add), set as the row is written.
    now = timezone.now()
    for row in rows:
        row.next_attempt_at = now
    bulk.insert(rows, unless_exists=["key"])
    if any(row.pk for row in rows):
        transaction.on_commit(ring)
    return rows


def ring() -> None:
    """Wake a worker to deliver what is due; if Redis is down the rows wait for the sweep."""
    redis_guard.ring(tasks.DOORBELL, "rfs.notify.tasks.deliver_due", seconds=DOORBELL_SECONDS)


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


# --- The suppression list ------------------------------------------------------------------


def suppress(
    *,
    email: str,
    reason: str,
    source: str,
    notification: Notification | None = None,
    detail: str = "",
) -> Suppression:
    """Put `email` on the suppression list for `reason`, once: an address already suppressed
    for that reason keeps its first row. The worker holds back what it stops from then on."""
    Suppression.objects.bulk_create(
        [
            Suppression(
                email=suppressions.normalise(email),
                reason=reason,
                source=source,
                notification=notification,
                detail=detail[:500],
            )
        ],
        # The one-standing-suppression constraint: a concurrent or repeated event is a no-op.
        ignore_conflicts=True,
    )
    return Suppression.objects.active().get(email=suppressions.normalise(email), reason=reason)


def lift(*, suppression: Suppression, by, note: str) -> bool:
    """Lift a standing suppression: emails to the address are sent again from now on (those
    already held back stay so). Returns False if it was lifted already."""
    return bool(
        Suppression.objects.filter(pk=suppression.pk, lifted_at__isnull=True).update(
            lifted_at=timezone.now(), lifted_by=by, note=note
        )
    )
