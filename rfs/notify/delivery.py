"""Delivering the outbox: claim a row, send it, record the outcome; and find rows to retry."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from rfs.notify.models import Notification
from rfs.notify.retention import without_body

logger = logging.getLogger(__name__)

# Re-queue a row left "sending" this long: its worker died mid-delivery.
STALE_CLAIM = timedelta(minutes=10)


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
        # The class only: SMTP errors name the recipient (the row keeps the whole error).
        logger.warning("delivery of notification %s failed: %s", row.pk, type(exc).__name__)
        give_up = row.attempts >= settings.RFS_OUTBOX_MAX_ATTEMPTS
        Notification.objects.filter(pk=row.pk).update(
            status=Notification.Status.FAILED if give_up else Notification.Status.PENDING,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=now + backoff(row.attempts),
            claimed_at=None,
            **(_forget_secret(row, now) if give_up else {}),
        )
        return False
    sent_at = timezone.now()
    Notification.objects.filter(pk=row.pk).update(
        status=Notification.Status.SENT,
        sent_at=sent_at,
        last_error="",
        **_forget_secret(row, sent_at),
    )
    return True


def _forget_secret(row: Notification, at) -> dict:
    # A login code or reset link is stored only until it is sent (or given up on).
    return without_body(at) if row.secret else {}


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
