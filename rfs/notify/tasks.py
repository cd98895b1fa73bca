import time

from celery import shared_task
from django.core.cache import cache

from rfs.notify import delivery, retention

HEARTBEAT_KEY = "worker-heartbeat"


@shared_task
def deliver(notification_id: int) -> bool:
    return delivery.deliver(notification_id=notification_id)


@shared_task
def requeue_pending() -> int:
    """Beat: hand every row that is due (or was left behind) to a worker."""
    ids = delivery.due_for_delivery()
    for pk in ids:
        deliver.delay(pk)
    return len(ids)


@shared_task
def purge_bodies() -> int:
    """Beat: drop the bodies of emails older than settings.RFS_OUTBOX_PURGE_AFTER."""
    return retention.purge_bodies()


@shared_task
def heartbeat() -> None:
    """Beat: proves to /healthz that a worker is consuming tasks."""
    cache.set(HEARTBEAT_KEY, time.time(), timeout=None)
