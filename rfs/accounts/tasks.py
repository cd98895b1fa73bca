from celery import shared_task

from rfs.accounts import events


@shared_task
def purge_security_events() -> int:
    """Beat: delete security events older than settings.RFS_SECURITY_EVENT_RETENTION_DAYS."""
    return events.purge_old_events()
