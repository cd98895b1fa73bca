"""How long the outbox keeps what it sent: bodies go, what explains each record stays.

A row keeps its unique key (so the same follow-up is still never recorded twice), its
template, subject, recipient, times and status; only the text and HTML bodies (or the
context they are rendered from) are dropped.
"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from rfs.notify.models import Notification

# Rows emptied per UPDATE, so a first purge of a large table holds no long lock.
BATCH = 1000
# Rows that will not be sent again: their bodies explain nothing the record does not.
FINISHED = [
    Notification.Status.SENT,
    Notification.Status.FAILED,
    Notification.Status.CANCELLED,
    Notification.Status.SUPPRESSED,
]


def without_body(at: datetime) -> dict[str, Any]:
    """The fields of a row whose body is removed at `at` (for an UPDATE): the bodies, and the
    context a body would be rendered from."""
    return {
        "body_text": "",
        "body_html": "",
        "context": {},
        "attachments": [],
        "body_removed_at": at,
    }


def purge_bodies() -> int:
    """Drop the bodies of finished rows older than settings.RFS_OUTBOX_PURGE_AFTER.
    Returns how many rows lost their body."""
    now = timezone.now()
    old = Notification.objects.filter(
        status__in=FINISHED,
        body_removed_at__isnull=True,
        created_at__lt=now - settings.RFS_OUTBOX_PURGE_AFTER,
    )
    purged = 0
    while True:
        with transaction.atomic():
            ids = list(old.order_by().values_list("pk", flat=True)[:BATCH])
            if not ids:
                return purged
            purged += Notification.objects.filter(pk__in=ids).update(**without_body(now))


def forget_recipient(*, refs: list[str], email: str, placeholder: str) -> int:
    """A person's erasure: every email to `email` or about one of `refs` loses its body and
    subject, one to `email` its address too (`placeholder` instead), and one not yet sent is
    cancelled. Returns how many rows were emptied."""
    now = timezone.now()
    rows = Notification.objects.filter(Q(ref__in=refs) | Q(to_email=email))
    rows.filter(status=Notification.Status.PENDING).update(status=Notification.Status.CANCELLED)
    Notification.objects.filter(to_email=email).update(to_email=placeholder, last_error="")
    return rows.update(**without_body(now), subject="(erased)")
