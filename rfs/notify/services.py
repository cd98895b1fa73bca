"""The outbox: record an email in the caller's transaction, deliver it after commit."""

import logging
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from rfs.notify import tasks
from rfs.notify.models import Notification

logger = logging.getLogger(__name__)


def render_email(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, text body and HTML body from templates/emails/<template>_*."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    text = render_to_string(f"emails/{template}_body.txt", context)
    html = render_to_string(f"emails/{template}_body.html", context)
    return subject, text, html


def record(
    *,
    key: str,
    to: str,
    template: str,
    context: dict[str, Any],
    ref: str = "",
    secret: bool = False,
) -> Notification:
    """Record one email under `key` (once: a second call returns the first row) and
    deliver it after the surrounding transaction commits. `secret`: see record_message."""
    existing = Notification.objects.filter(key=key).first()
    if existing is not None:
        return existing
    subject, text, html = render_email(template, context)
    return record_message(
        key=key,
        to=to,
        subject=subject,
        body_text=text,
        body_html=html,
        template=template,
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
    """Record an already-rendered email under `key`, once, for delivery after commit.
    A `secret` one (a login code, a reset link) is never shown and loses its body once sent."""
    row = Notification(
        key=key,
        template=template,
        to_email=to,
        subject=subject[:250],
        body_text=body_text,
        body_html=body_html,
        ref=ref,
        secret=secret,
        next_attempt_at=timezone.now(),
    )
    try:
        # A savepoint, so a concurrent insert of the same key leaves the caller's
        # transaction usable; the unique index makes the second insert wait and fail.
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        return Notification.objects.get(key=key)
    transaction.on_commit(lambda: enqueue(row.pk))
    return row


def enqueue(notification_id: int) -> None:
    """Hand a row to a worker. If the broker is unreachable the row stays pending and the
    sweep hands it over later: the change that recorded it has committed and must not fail."""
    try:
        tasks.deliver.delay(notification_id)
    except Exception as exc:  # the broker's outage must not break the caller
        logger.warning("could not queue notification %s, the sweep will: %s", notification_id, exc)


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
