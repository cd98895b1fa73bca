"""The Celery app. Its settings live in rfs/settings.py under the CELERY_ prefix."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rfs.settings")

app = Celery("rfs")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
