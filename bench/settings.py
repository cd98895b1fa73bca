"""Settings for the benchmark: the project's own (on the bench database that bench.run puts in
DATABASE_URL and its Redis cache under a prefix of its own), with no task leaving the
process: an in-memory broker and no mail.
"""

from rfs.settings import *  # noqa: F403
from rfs.settings import ALLOWED_HOSTS

DEBUG = False
# django.test.Client calls itself "testserver".
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
# Signups enqueue their confirmation email; here the task goes nowhere (no worker of the
# development stack must deliver mail for benchmark candidates).
CELERY_BROKER_URL = "memory://localhost/"
# The real cache (the rate limit and the kept settings talk to Redis as in production), with
# keys of its own; every bench signup comes from one address, so its limit is lifted.
CACHES["default"]["KEY_PREFIX"] = "rfs-bench"  # noqa: F405
RFS_SIGNUP_RATE_LIMIT = 1_000_000
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
RFS_MFA_REQUIRED = False
