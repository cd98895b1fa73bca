"""Project-wide endpoints that belong to no domain app."""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from rfs.celery import app as celery_app
from rfs.notify.tasks import HEARTBEAT_KEY

logger = logging.getLogger(__name__)


def _database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _redis() -> bool:
    return bool(cache._cache.get_client().ping())


def _worker() -> bool:
    """A worker that answered recently: its beat heartbeat, or a ping answered now."""
    seen = cache.get(HEARTBEAT_KEY)
    if seen and time.time() - float(seen) < settings.RFS_WORKER_HEARTBEAT_SECONDS:
        return True
    if celery_app.control.ping(timeout=1.0):
        cache.set(HEARTBEAT_KEY, time.time(), timeout=None)
        return True
    return False


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {}
    for name, check in (("database", _database), ("redis", _redis), ("worker", _worker)):
        try:
            checks[name] = "ok" if check() else "down"
        except Exception:  # a health check reports failures, it never raises them
            # The page is public: why it failed goes to the log, not to the caller.
            logger.warning("health check %s failed", name, exc_info=True)
            checks[name] = "down"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "down", **checks}, status=200 if healthy else 503
    )
