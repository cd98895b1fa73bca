"""Telling staff when the outbox is stuck: the oldest email not yet sent is older than
settings.RFS_OUTBOX_ALERT_AFTER (the mail server has refused or timed out for that long, or no
worker is running). One alert per hour at most, recorded in the outbox like any email (it
goes out once the server is back) and logged as an error at once (the log reaches whoever
watches it while mail does not)."""

import logging
from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rfs.notify import delivery, services

logger = logging.getLogger(__name__)
TEMPLATE = "outbox_stale"


def alert_if_stale(*, now: datetime | None = None) -> bool:
    """Record one alert to staff for this hour if the oldest unsent email is older than
    settings.RFS_OUTBOX_ALERT_AFTER. Returns True when this call recorded it."""
    now = now or timezone.now()
    oldest = delivery.oldest_unsent()
    if oldest is None or now - oldest < settings.RFS_OUTBOX_ALERT_AFTER:
        return False
    minutes = int((now - oldest).total_seconds() // 60)
    logger.error("the oldest unsent email has waited %d minute(s)", minutes)
    return alert_staff(
        topic="outbox-stale",
        template=TEMPLATE,
        context={"minutes": minutes, "waiting": delivery.unsent_count()},
        ref="outbox",
        now=now,
    )


def alert_staff(*, topic: str, template: str, context: dict, ref: str, now: datetime) -> bool:
    """Record an alert to staff about `topic`, once in the hour of `now`: a sweep that finds
    the same trouble every minute alerts them once an hour. Returns True when this call
    recorded it."""
    message = {
        "key": f"{topic}:{now:%Y-%m-%dT%H}",
        "to": settings.RFS_STAFF_EMAIL,
        "template": template,
        "context": context,
        "ref": ref,
    }
    with transaction.atomic():
        return services.record_many([message]) == 1


@shared_task
def alert_stale_outbox() -> bool:
    """Beat: alert staff when the oldest unsent email has waited too long. (A task of this
    module, not of tasks: it records through services, which imports tasks; the worker
    imports it through CELERY_IMPORTS.)"""
    return alert_if_stale()
