"""Celery tasks of the candidates app: thin, take ids, safe to run twice."""

from celery import shared_task

# --- Intake: CSV import ---------------------------------------------------


@shared_task
def run_import(import_id: int, start: int = 0) -> bool:
    """One batch of an import's rows; the service queues the next batch itself."""
    from candidates.services.records import run_import_batch

    return run_import_batch(import_id=import_id, start=start)


@shared_task
def resume_imports() -> int:
    """Beat: imports whose next batch was never queued, or was lost, go on."""
    from candidates.services.records import resume_imports

    return resume_imports()


# --- Help requests: reminders and escalations -------------------------------


@shared_task
def sweep_requests() -> dict[str, int]:
    """Beat: remind owners before due times, escalate overdue requests to staff (each once)."""
    from candidates.services.help_requests import sweep_requests as sweep

    return sweep()
