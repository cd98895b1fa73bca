"""Celery tasks of the candidates app: thin, take ids, safe to run twice."""

import contextlib
import logging
import time

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from candidates.services import destinations, help_requests, imports, intake, leads
from rfs.redis_guard import ring

logger = logging.getLogger(__name__)

# --- Intake: CSV import ---------------------------------------------------


def queue_import(*, import_id: int, start: int) -> None:
    """Hand a batch to a worker once the caller's transaction commits. If the broker is
    unreachable, the import waits for the sweep (resume_imports) rather than failing the
    page or batch that queued it."""

    def send() -> None:
        try:
            run_import.delay(import_id, start)
        except Exception as exc:  # the broker's outage must not break the caller
            logger.warning("could not queue import %s, the sweep will: %s", import_id, exc)

    transaction.on_commit(send)


@shared_task
def run_import(import_id: int, start: int = 0) -> bool:
    """One batch of an import's rows, then the next batch is queued."""
    next_start = imports.run_import_batch(import_id=import_id, start=start)
    if next_start is not None:
        queue_import(import_id=import_id, start=next_start)
    return next_start is not None


@shared_task
def resume_imports() -> int:
    """Beat: imports whose next batch was never queued, or was lost, go on."""
    unfinished = imports.unfinished_imports()
    for import_id, done in unfinished:
        queue_import(import_id=import_id, start=done)
    return len(unfinished)


@shared_task
def purge_import_rejections() -> int:
    """Beat: rejected import rows past their keeping time are deleted."""
    return imports.purge_rejections()


# --- Intake: signups and partner leads, stored first and resolved here ------------------

SIGNUPS_DOORBELL = "signups:doorbell"
LEADS_DOORBELL = "leads:doorbell"
# A task resolves batches for this long, then hands on to a fresh task: well inside the
# tasks' time limit, and a second worker can take part.
RESOLVE_SECONDS = 30


def ring_for_signups() -> None:
    """Wake a worker to resolve stored signups; Redis or the broker down, the sweep will."""
    ring(SIGNUPS_DOORBELL, "candidates.tasks.resolve_signups")


def ring_for_leads() -> None:
    """Wake a worker to resolve stored leads; Redis or the broker down, the sweep will."""
    ring(LEADS_DOORBELL, "candidates.tasks.resolve_leads")


def _resolve_stored(doorbell: str, resolve_batch, again) -> int:
    """Wait a moment, so that a burst's posts gather into batches; then unset the doorbell
    and resolve full batches until one is not. A post stored after the doorbell was unset
    rings again; every one stored before is found here."""
    time.sleep(settings.RFS_INTAKE_GATHER_SECONDS)
    with contextlib.suppress(Exception):
        cache.delete(doorbell)
    total, deadline = 0, time.monotonic() + RESOLVE_SECONDS
    while True:
        taken = resolve_batch()
        total += taken
        if taken < intake.BATCH:
            return total
        if time.monotonic() > deadline:
            again.delay()
            return total


@shared_task
def resolve_signups() -> int:
    """Resolve stored signups in batches (see _resolve_stored)."""
    return _resolve_stored(SIGNUPS_DOORBELL, intake.resolve_waiting_signups, resolve_signups)


@shared_task
def sweep_signups() -> int:
    """Beat: signups whose doorbell was lost (Redis or the broker down) are resolved; staff
    are alerted when some have waited too long (saving them keeps failing)."""
    waiting = intake.waiting_signups()
    if waiting:
        resolve_signups.delay()
        intake.alert_if_signups_wait()
    return waiting


@shared_task
def purge_refused_signups() -> int:
    """Beat: signups the database refused, past their keeping time, are deleted."""
    return intake.purge_refused_signups()


@shared_task
def resolve_leads() -> int:
    """Resolve stored leads in batches (see _resolve_stored)."""
    return _resolve_stored(LEADS_DOORBELL, leads.resolve_pending, resolve_leads)


@shared_task
def sweep_leads() -> int:
    """Beat: leads whose doorbell was lost (Redis or the broker down) are resolved."""
    waiting = leads.pending_count()
    if waiting:
        resolve_leads.delay()
    return waiting


# --- Destinations: events for the organisation's other tools ---------------------


@shared_task
def deliver_events() -> int:
    """Post due events until none are due now. Unset the doorbell first (see resolve_leads)."""
    with contextlib.suppress(Exception):
        cache.delete(destinations.DOORBELL)
    total = 0
    while tried := destinations.deliver_due():
        total += tried
    return total


@shared_task
def sweep_events() -> int:
    """Beat: events due for another attempt, or whose doorbell was lost, are delivered."""
    due = destinations.due_count()
    if due:
        deliver_events.delay()
    return due


# --- Help requests: reminders and escalations -------------------------------


@shared_task
def sweep_requests() -> dict[str, int]:
    """Beat: remind owners before due times, escalate overdue requests to staff (each once)."""
    return help_requests.sweep_requests()
