"""The Celery app. Its settings live in rfs/settings.py under the CELERY_ prefix."""

import os

from celery import Celery
from celery.signals import worker_init
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rfs.settings")

app = Celery("rfs")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _lower_priority(**kwargs) -> None:
    """A worker yields the CPU to the web processes on a machine they share (its pool's
    processes inherit this): a burst of background work then delays an email by a moment,
    not the page someone is waiting for. On a machine of its own it changes nothing."""
    if settings.RFS_WORKER_NICENESS:
        os.nice(settings.RFS_WORKER_NICENESS)
