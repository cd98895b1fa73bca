import contextlib
import time

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

from rfs.notify import delivery, retention

HEARTBEAT_KEY = "worker-heartbeat"
# The doorbell recording rings (services.ring); kept here, where both sides can read it.
DOORBELL = "outbox:doorbell"


@shared_task
def deliver_due() -> int:
    """Send what is due. Unset the doorbell first: a row committed from now on rings again
    and gets a task of its own, and every row committed before is found by this one. Then
    wait a moment: the messages of a busy minute go out a batch per connection, not one by
    one, for half a second of delay."""
    # Redis gone since the bell rang: nothing to unset, and the sweep rings again.
    with contextlib.suppress(Exception):
        cache.delete(DOORBELL)
    time.sleep(settings.RFS_OUTBOX_GATHER_SECONDS)
    return delivery.deliver_due()


@shared_task
def requeue_pending() -> int:
    """Beat: hand back rows left by a dead worker, and deliver whatever is due (rows whose
    doorbell was lost to a Redis outage, retries after their backoff). Returns how many
    rows were due."""
    delivery.hand_back_stale()
    due = delivery.due_count()
    if due:
        deliver_due.delay()
    return due


@shared_task
def purge_bodies() -> int:
    """Beat: drop the bodies of emails older than settings.RFS_OUTBOX_PURGE_AFTER."""
    return retention.purge_bodies()


@shared_task
def heartbeat() -> None:
    """Beat: proves to /healthz that a worker is consuming tasks."""
    cache.set(HEARTBEAT_KEY, time.time(), timeout=None)
