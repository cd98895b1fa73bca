"""Test overrides: the same real PostgreSQL and Redis, on databases of their own."""

import os

os.environ.setdefault("DJANGO_ENV", "test")

from rfs.settings import *  # noqa: F403
from rfs.settings import REDIS_URL, redis_db_url

# Separate Redis databases (TEST_REDIS_DB and the next one), so a running
# development worker, or a second test run, never takes these tests' tasks.
_TEST_REDIS_DB = int(os.environ.get("TEST_REDIS_DB", "14"))
CELERY_BROKER_URL = redis_db_url(REDIS_URL, _TEST_REDIS_DB)
CACHES["default"]["LOCATION"] = redis_db_url(REDIS_URL, _TEST_REDIS_DB + 1)  # noqa: F405
CACHES["default"]["KEY_PREFIX"] = "rfs-test"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
RFS_MFA_REQUIRED = False
DEBUG = False
# Tests wait on deliveries: no gathering pause.
RFS_OUTBOX_GATHER_SECONDS = 0
RFS_INTAKE_GATHER_SECONDS = 0
# The suite's workers run in the test process: it keeps its priority.
RFS_WORKER_NICENESS = 0
