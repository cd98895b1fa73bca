"""The outbox: record an email in the caller's transaction, deliver it after commit."""

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from rfs.notify.models import Notification

logger = logging.getLogger(__name__)

# Re-queue a row left "sending" this long: its worker died mid-delivery.
STALE_CLAIM = timedelta(minutes=10)


def render_email(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, text body and HTML body from templates/emails/<template>_*."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    text = render_to_string(f"emails/{template}_body.txt", context)
    html = render_to_string(f"emails/{template}_body.html", context)
    return subject, text, html


def record(
    *, key: str, to: str, template: str, context: dict[str, Any], ref: str = ""
) -> Notification:
    """Record one email under `key` (once: a second call returns the first row) and
    deliver it after the surrounding transaction commits."""
    existing = Notification.objects.filter(key=key).first()
    if existing is not None:
        return existing
    subject, text, html = render_email(template, context)
    return record_message(
        key=key, to=to, subject=subject, body_text=text, body_html=html, template=template, ref=ref
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
) -> Notification:
    """Record an already-rendered email under `key`, once, for delivery after commit."""
    row = Notification(
        key=key,
        template=template,
        to_email=to,
        subject=subject[:250],
        body_text=body_text,
        body_html=body_html,
        ref=ref,
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
    from rfs.notify.tasks import deliver

    try:
        deliver.delay(notification_id)
    except Exception as exc:  # the broker's outage must not break the caller
        logger.warning("could not queue notification %s, the sweep will: %s", notification_id, exc)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after each failed attempt, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def deliver(*, notification_id: int) -> bool:
    """Send one pending email. Safe to call twice: only the caller that claims the row sends.
    Returns True when this call sent it."""
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, status=Notification.Status.PENDING, next_attempt_at__lte=now
    ).update(status=Notification.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return False
    row = Notification.objects.get(pk=notification_id)
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.to_email],
        headers={"X-RFS-Notification": str(row.uuid)},
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    try:
        message.send()
    except Exception as exc:  # any backend failure is recorded and retried
        logger.warning("delivery of notification %s failed: %s", row.pk, exc)
        give_up = row.attempts >= settings.RFS_OUTBOX_MAX_ATTEMPTS
        Notification.objects.filter(pk=row.pk).update(
            status=Notification.Status.FAILED if give_up else Notification.Status.PENDING,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=now + backoff(row.attempts),
            claimed_at=None,
        )
        return False
    Notification.objects.filter(pk=row.pk).update(
        status=Notification.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def due_for_delivery() -> list[int]:
    """Ids of rows a worker should try now: pending past their time, or stuck in sending."""
    now = timezone.now()
    with transaction.atomic():
        # Give a worker back the rows whose delivery died with it.
        Notification.objects.filter(
            status=Notification.Status.SENDING, claimed_at__lt=now - STALE_CLAIM
        ).update(status=Notification.Status.PENDING, claimed_at=None)
    # Fresh rows get a grace period: their own on-commit delivery is probably under way.
    grace = now - settings.RFS_OUTBOX_REQUEUE_AFTER
    return list(
        Notification.objects.filter(status=Notification.Status.PENDING, next_attempt_at__lte=now)
        .filter(Q(attempts__gt=0) | Q(created_at__lte=grace))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:1000]
    )


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
