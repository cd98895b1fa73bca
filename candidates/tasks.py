"""Celery tasks of the candidates app: thin, take ids, safe to run twice."""

import logging

from celery import shared_task
from django.db import transaction

from candidates.services import help_requests, imports

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


# --- Help requests: reminders and escalations -------------------------------


@shared_task
def sweep_requests() -> dict[str, int]:
    """Beat: remind owners before due times, escalate overdue requests to staff (each once)."""
    return help_requests.sweep_requests()
