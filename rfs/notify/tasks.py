import contextlib
import time

from celery import shared_task
from celery.signals import worker_ready, worker_shutting_down
from django.conf import settings
from django.core.cache import cache

from rfs.notify import delivery, retention
from rfs.redis_guard import guarded

HEARTBEAT_KEY = "worker-heartbeat"
# The doorbell recording rings (services.ring); kept here, where both sides can read it.
DOORBELL = "outbox:doorbell"
# Set by a worker's main process when it starts shutting down (a deploy's SIGTERM), read by
# its pool's processes between batches: they stop taking new batches and hand over to the
# next worker instead of holding a claim until they are killed.
STOPPING = "outbox:stopping:{hostname}"


@worker_shutting_down.connect
def _worker_stopping(sender: str, **kwargs) -> None:
    guarded(
        "the worker's stop flag",
        lambda: cache.set(STOPPING.format(hostname=sender), 1, 3600),
        fallback=None,
    )


@worker_ready.connect
def _worker_started(sender, **kwargs) -> None:
    # The same worker name, restarted: its old stop flag is no longer true.
    guarded(
        "the worker's stop flag",
        lambda: cache.delete(STOPPING.format(hostname=sender.hostname)),
        fallback=None,
    )


@shared_task(bind=True)
def deliver_due(self) -> int:
    """Send what is due. Unset the doorbell first: a row committed from now on rings again
    and gets a task of its own, and every row committed before is found by this one. Then
    wait a moment: the messages of a busy minute go out a batch per connection, not one by
    one, for half a second of delay."""
    # Redis gone since the bell rang: nothing to unset, and the sweep rings again.
    with contextlib.suppress(Exception):
        cache.delete(DOORBELL)
    time.sleep(settings.RFS_OUTBOX_GATHER_SECONDS)
    flag = STOPPING.format(hostname=self.request.hostname)
    stopped = []

    def stopping() -> bool:
        if guarded("the worker's stop flag", lambda: bool(cache.get(flag)), fallback=False):
            stopped.append(True)
        return bool(stopped)

    sent = delivery.deliver_due(stopping=stopping)
    if stopped and delivery.due_count():
        deliver_due.delay()  # the rest, for a worker that is not stopping
    return sent


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
