"""Settings for the benchmark: the project's own (on the bench database that bench.run puts in
DATABASE_URL), with nothing leaving the process: an in-memory broker, a local cache, no mail.
"""

from rfs.settings import *  # noqa: F403
from rfs.settings import ALLOWED_HOSTS

DEBUG = False
# django.test.Client calls itself "testserver".
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
# Signups enqueue their confirmation email; here the task goes nowhere (no worker of the
# development stack must deliver mail for benchmark candidates).
CELERY_BROKER_URL = "memory://localhost/"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
RFS_MFA_REQUIRED = False
