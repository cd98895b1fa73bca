"""Project-wide endpoints that belong to no domain app."""

import logging
import sys
import time

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults
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


# How long a client is asked to wait when the database is out of reach (a restart, a failover).
RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: an error of ours is a 500, but a database that cannot be reached (a
    restart, a failover, too many connections) is a 503 that asks the client to come back:
    nothing was stored, and trying again in a moment will work. Rendered without the
    database (no request context)."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        body = loader.get_template("503.html").render()
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return defaults.server_error(request)
