"""Settings for every environment, read from environment variables.

Development needs none: the defaults point at the embedded PostgreSQL and
Redis that `make run` starts under var/. With DJANGO_ENV=production the
process refuses to start unless every setting that must not have a default
is given. Each variable is documented in .env.example and the README.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("RFS_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if not value:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = env(name)
    try:
        return int(value) if value else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def redis_db_url(url: str, db: int) -> str:
    """The same Redis server as `url`, on logical database `db`."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, ""))


DJANGO_ENV = env("DJANGO_ENV", "development")
if DJANGO_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured("DJANGO_ENV must be development, production or test")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    missing = [
        name
        for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS")
        if not env(name)
    ]
    if missing:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production refuses to start without: " + ", ".join(missing)
        )
    if len(env("SECRET_KEY")) < 50 or env("SECRET_KEY").startswith("django-insecure"):
        raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters")
    if env_bool("DEBUG", False):
        raise ImproperlyConfigured("DEBUG must be off when DJANGO_ENV=production")

SECRET_KEY = env("SECRET_KEY", "django-insecure-development-only-key-never-used-in-production")
DEBUG = env_bool("DEBUG", not PRODUCTION and DJANGO_ENV != "test")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "phonenumber_field",
    "rfs.accounts",
    "rfs.notify",
    "rfs.dashboard",
    "candidates",
    "screening",
    "mentors",
    "partners",
    "endorsements",
    "trainings",
    "rfs.portal",
    "rfs.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions and before CommonMiddleware, as Django's documentation asks; then the
    # redirect of a first visit to the person's language (rfs/locale.py).
    "django.middleware.locale.LocaleMiddleware",
    "rfs.locale.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "rfs.accounts.middleware.SessionLifetimeMiddleware",
    "rfs.accounts.middleware.SessionRolesMiddleware",
    "rfs.accounts.middleware.SecondFactorMiddleware",
    "rfs.accounts.middleware.TimeZoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Axes last, as its documentation asks: it turns lockouts into a response.
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # gunicorn serves the collected static files itself; runserver does in development.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "rfs.urls"
WSGI_APPLICATION = "rfs.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rfs.accounts.context_processors.navigation",
                "rfs.locale.language_links",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# Without DATABASE_URL: the embedded PostgreSQL that `make run` starts under
# var/pg, reached through its Unix socket in that folder.
DATABASE_URL = env("DATABASE_URL") or (
    "postgres://postgres@" + str(VAR_DIR / "pg").replace("/", "%2F") + "/rfs"
)
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
# No JIT compilation: it pays off on long analytic scans, and this application runs short
# queries whose estimated cost can still cross the JIT thresholds (a count over a long
# queue spent 0.7 s compiling what runs in 0.13 s without). Options in DATABASE_URL win.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Transactions belong to services, not to requests.
ATOMIC_REQUESTS = False

# --- Redis: broker on one database, cache on another ----------------------
REDIS_URL = env("REDIS_URL", f"redis://127.0.0.1:{env_int('EMBEDDED_REDIS_PORT', 6390)}/0")
CACHES = {
    "default": {
        "BACKEND": "rfs.redis_cache.RedisCache",
        "LOCATION": redis_db_url(REDIS_URL, env_int("REDIS_CACHE_DB", 1)),
        "KEY_PREFIX": "rfs",
        # A Redis that is down or hung answers within a second, and rfs.redis_guard then
        # leaves it alone a few seconds: rate limits fail open and the outbox's doorbell
        # waits for the sweep, so no request hangs on it.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}

# --- Accounts and sessions --------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first so a locked-out login never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# A session ends after this much inactivity ...
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 2 * 60 * 60)
# ... and, however active, after this long since login.
SESSION_COOKIE_AGE = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)

ACCOUNT_ADAPTER = "rfs.portal.adapter.SiteAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Run for Something] "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Run for Something"
MFA_ADAPTER = "rfs.accounts.adapter.MFAAdapter"
# Everyone who sees personal data (the roles in rfs.accounts.second_factor) enrols TOTP and
# gives a code in every session, the admin's included; development and the demo leave it off.
if env("STAFF_MFA_REQUIRED"):
    raise ImproperlyConfigured("STAFF_MFA_REQUIRED is now MFA_REQUIRED (and covers every role)")
RFS_MFA_REQUIRED = env_bool("MFA_REQUIRED", PRODUCTION)
# An approved volunteer's or mentor's link to set their password works once, for this long.
RFS_INVITATION_DAYS = 7

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
# A cool-off, not a permanent lock: an attacker must never lock staff out for good.
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
# Lock the pair (account, address): an attacker elsewhere cannot lock the owner out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "rfs.accounts.security.login_identifier"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# The client's address behind this many reverse proxies (0: the socket's address). One
# function reads it for axes, allauth (through the account adapter) and the signup limit,
# and counts an IPv6 client by its /64: rfs.accounts.security.
RFS_PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "rfs.accounts.security.client_limit_key"
# Not read while the adapter answers get_client_ip, but kept equal in case allauth reads it.
ALLAUTH_TRUSTED_PROXY_COUNT = RFS_PROXY_COUNT

# --- Security headers -------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_TLS_PROXY", False):
        # The proxy terminates TLS and says so in this header; trust it only then.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "en"
# The languages candidates can use the site and receive email in.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# The person's choice of language (the link on every candidate-facing page), for a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = PRODUCTION
USE_TZ = True
TIME_ZONE = "UTC"
# Stored in UTC, shown in the organisation's zone.
RFS_TIME_ZONE = env("ORG_TIME_ZONE", "America/New_York")

# --- Static files: our own, plus front-end packages installed by npm ---------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
PHONENUMBER_DEFAULT_REGION = "US"

# --- Email ------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Run for Something <hello@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Empty counts as unset (the compose file passes EMAIL_BACKEND through even when empty).
EMAIL_BACKEND = env("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# Seconds an SMTP server may take to answer before a delivery attempt counts as failed.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
# Address that hears about escalations and failed deliveries.
RFS_STAFF_EMAIL = env("STAFF_EMAIL", "staff@example.org")

# --- Celery -----------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
CELERY_TASK_IGNORE_RESULT = True
# How much a worker lowers its CPU priority (nice), so that on a machine shared with the web
# processes the pages people wait for come first (0: not at all).
RFS_WORKER_NICENESS = env_int("WORKER_NICENESS", 10)
# Publishing gives up quickly when Redis is down: the outbox sweep re-queues later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Tasks are idempotent, so a task whose worker died is run again, not lost.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_TIMEZONE = "UTC"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Task modules autodiscovery (each app's tasks.py) does not find.
CELERY_IMPORTS = ["rfs.notify.alerts"]
# How often beat sweeps the outbox (re-queues what is due, hands back dead workers' rows,
# checks the oldest unsent email's age).
RFS_OUTBOX_SWEEP = timedelta(seconds=env_int("OUTBOX_SWEEP_SECONDS", 60))
CELERY_BEAT_SCHEDULE = {
    "requeue-pending-notifications": {
        "task": "rfs.notify.tasks.requeue_pending",
        "schedule": RFS_OUTBOX_SWEEP,
    },
    "alert-stale-outbox": {
        "task": "rfs.notify.alerts.alert_stale_outbox",
        "schedule": RFS_OUTBOX_SWEEP,
    },
    "worker-heartbeat": {
        "task": "rfs.notify.tasks.heartbeat",
        "schedule": timedelta(seconds=30),
    },
}

# The outbox: how many delivery attempts are made before an email is marked failed.
RFS_OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
# A delivery task waits this long before it sends, so that a burst goes out in batches.
RFS_OUTBOX_GATHER_SECONDS = 0.5
# Deliverability. VERP: with a bounce domain set, each email's envelope sender (Return-Path)
# is <localpart>+<signed id>@<domain>, so a bounce names the email it is about; a mail server
# pipes what arrives there to `manage.py process_bounce`. Empty: off, the From address is used.
RFS_OUTBOX_BOUNCE_DOMAIN = env("OUTBOX_BOUNCE_DOMAIN")
RFS_OUTBOX_BOUNCE_LOCALPART = env("OUTBOX_BOUNCE_LOCALPART", "bounces")
# The mail provider signs the bounce and complaint events it posts to /outbox/events/ with
# this (HMAC-SHA256, rfs/signatures.py). Empty: the endpoint refuses every post.
RFS_OUTBOX_EVENTS_SECRET = env("OUTBOX_EVENTS_SECRET")
# A failed attempt waits this long, doubled per attempt (at most six hours), with jitter.
RFS_OUTBOX_BACKOFF = timedelta(seconds=env_int("OUTBOX_BACKOFF_SECONDS", 60))
# A row left "sending" this long is handed back: its worker died mid-delivery. Longer than
# a delivery task may run (CELERY_TASK_TIME_LIMIT), so a live worker's row is never taken.
RFS_OUTBOX_STALE_CLAIM = timedelta(seconds=env_int("OUTBOX_STALE_CLAIM_SECONDS", 10 * 60))
# Staff are alerted (one email per hour at most) when the oldest unsent email is this old.
RFS_OUTBOX_ALERT_AFTER = timedelta(seconds=env_int("OUTBOX_ALERT_SECONDS", 30 * 60))
# A worker counts as alive if it answered within this many seconds.
RFS_WORKER_HEARTBEAT_SECONDS = 90

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every line, tracebacks included, without email addresses or phone numbers (rfs/logs.py).
    "formatters": {
        "plain": {
            "()": "rfs.logs.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Staff candidate pages ---------------------------------------------------
# Largest CSV file staff may import, in megabytes.
RFS_IMPORT_MAX_BYTES = env_int("IMPORT_MAX_MB", 10) * 1024 * 1024
# Rows an import resolves per task run (one transaction each; the progress bar moves per batch).
RFS_IMPORT_BATCH_ROWS = env_int("IMPORT_BATCH_ROWS", 200)
# Candidates per page of the staff list.
RFS_CANDIDATES_PER_PAGE = 50
# Imports whose next batch was lost (broker outage, killed worker) go on within a minute.
CELERY_BEAT_SCHEDULE["resume-imports"] = {
    "task": "candidates.tasks.resume_imports",
    "schedule": timedelta(minutes=1),
}
# The rows an import rejected are kept this many days after it finishes, for staff to fix
# and import again; then they are deleted (the import keeps its counts).
RFS_IMPORT_KEEP_REJECTED_DAYS = env_int("IMPORT_KEEP_REJECTED_DAYS", 30)
CELERY_BEAT_SCHEDULE["purge-import-rejections"] = {
    "task": "candidates.tasks.purge_import_rejections",
    "schedule": timedelta(hours=6),
}
# Signups and partner leads whose worker was never woken (Redis or the broker down) are
# resolved within this time.
RFS_INTAKE_SWEEP = timedelta(seconds=env_int("INTAKE_SWEEP_SECONDS", 60))
# A worker woken for stored signups or leads waits this long first, so that a burst is
# resolved in batches (one by one, each costs several times as much).
RFS_INTAKE_GATHER_SECONDS = 0.5
CELERY_BEAT_SCHEDULE["sweep-signups"] = {
    "task": "candidates.tasks.sweep_signups",
    "schedule": RFS_INTAKE_SWEEP,
}
# Staff are alerted (once an hour at most) when a signup has waited this long to be saved.
RFS_INTAKE_ALERT_AFTER = timedelta(seconds=env_int("INTAKE_ALERT_SECONDS", 10 * 60))
# A signup the database refused stays, with why, for staff to fix in the admin and retry;
# this many days after it came in, it is deleted.
RFS_INTAKE_KEEP_REFUSED_DAYS = env_int("INTAKE_KEEP_REFUSED_DAYS", 30)
CELERY_BEAT_SCHEDULE["purge-refused-signups"] = {
    "task": "candidates.tasks.purge_refused_signups",
    "schedule": timedelta(hours=6),
}
CELERY_BEAT_SCHEDULE["sweep-leads"] = {
    "task": "candidates.tasks.sweep_leads",
    "schedule": RFS_INTAKE_SWEEP,
}
# Events for the organisation's other tools: retries after their backoff, lost doorbells.
CELERY_BEAT_SCHEDULE["sweep-destination-events"] = {
    "task": "candidates.tasks.sweep_events",
    "schedule": timedelta(minutes=1),
}
# Form posts are small; a larger body is refused before it is read (uploaded files are
# capped by IMPORT_MAX_MB; the proxy in front should cap request bodies at that size too).
DATA_UPLOAD_MAX_MEMORY_SIZE = 512 * 1024

# --- Screening ----------------------------------------------------------------
# A claim with no logged contact (attempt or call) this many hours after it was taken
# goes back to the queue; the screener and staff are told.
RFS_CLAIM_EXPIRY_HOURS = env_int("CLAIM_EXPIRY_HOURS", 48)
# A volunteer holds at most this many candidates at once, and claims at most this many in a
# day: enough to work, too few to harvest the queue's contact details.
RFS_OPEN_CLAIMS_MAX = env_int("OPEN_CLAIMS_MAX", 10)
RFS_CLAIMS_PER_DAY = env_int("CLAIMS_PER_DAY", 30)
# A screener may edit their own call log this many hours after logging it; staff always.
RFS_CALL_EDIT_HOURS = 24
# A candidate may be moved to unresponsive after this many failed attempts, spread over at
# least this many days.
RFS_UNRESPONSIVE_ATTEMPTS = 3
RFS_UNRESPONSIVE_DAYS = 5
# A call's "try again" next step keeps the candidate out of the queue this long.
RFS_TRY_AGAIN_PAUSE_HOURS = env_int("TRY_AGAIN_PAUSE_HOURS", 72)
# An invitation to a training counts as acted on if it goes out within this many days
# (at once when a session is scheduled; otherwise when staff add one).
RFS_TRAINING_INVITE_DAYS = env_int("TRAINING_INVITE_DAYS", 14)
# A screened, active or on-the-ballot candidate with no contact of any kind for this many
# weeks is stalled: they get one check-in email per stall, and staff see them listed.
RFS_STALLED_WEEKS = env_int("STALLED_WEEKS", 6)
# How far ahead a screening call may be booked.
RFS_SCHEDULE_MAX_DAYS = 90
CELERY_BEAT_SCHEDULE["screening-expire-claims"] = {
    "task": "screening.tasks.expire_claims",
    "schedule": timedelta(minutes=10),
}
# Reminders fall due at 11:00 and 08:00 candidate-local time; the sweep finds them within minutes.
CELERY_BEAT_SCHEDULE["screening-check-backs"] = {
    "task": "screening.tasks.send_check_backs",
    "schedule": timedelta(minutes=15),
}
CELERY_BEAT_SCHEDULE["screening-stall-check-ins"] = {
    "task": "screening.tasks.send_check_ins",
    "schedule": timedelta(hours=1),
}
CELERY_BEAT_SCHEDULE["training-reminders"] = {
    "task": "trainings.tasks.send_reminders",
    "schedule": timedelta(minutes=5),
}
CELERY_BEAT_SCHEDULE["screening-call-reminders"] = {
    "task": "screening.tasks.send_call_reminders",
    "schedule": timedelta(minutes=5),
}

# A volunteer who has done nothing for this many days gets one kind email asking after them.
RFS_VOLUNTEER_NUDGE_DAYS = 60
CELERY_BEAT_SCHEDULE["screening-nudge-volunteers"] = {
    "task": "screening.tasks.nudge_inactive_volunteers",
    "schedule": timedelta(hours=6),
}

# --- Intake: the public signup form ------------------------------------------
# Signups accepted from one internet address per hour; past it the form answers 429.
RFS_SIGNUP_RATE_LIMIT = env_int("SIGNUP_RATE_LIMIT", 10)
# A known person confirms the changes a public submission proposed through a link emailed
# to the address on file; the link works for this many days.
RFS_UPDATE_CONFIRM_DAYS = env_int("UPDATE_CONFIRM_DAYS", 7)

# --- Mentors and help requests ------------------------------------------------
# The time to answer each kind of request is registered with the kind (its owning app's
# AppConfig.ready); staff change it on /requests/settings/ (ResponseTarget rows).
# allauth's sign-in-code page also serves candidates who signed up but have no login yet.
ACCOUNT_FORMS = {"request_login_code": "rfs.portal.forms.CandidateLoginCodeForm"}
# The owner of a request is reminded once this share of its due window has passed.
RFS_REQUEST_REMINDER_SHARE = 0.75
# The sweep that reminds owners and escalates overdue requests to staff.
CELERY_BEAT_SCHEDULE["sweep-help-requests"] = {
    "task": "candidates.tasks.sweep_requests",
    "schedule": timedelta(minutes=env_int("REQUEST_SWEEP_MINUTES", 5)),
}

# --- Kept data and production email (security review) ------------------------
# The outbox keeps message bodies this long, then drops them (key, template, subject,
# recipient, times and status stay); account emails lose theirs as soon as they are sent.
# A person's request for their data or its erasure is due within this many days (the law's).
RFS_DATA_REQUEST_DAYS = env_int("DATA_REQUEST_DAYS", 30)

# The security event log (rfs.accounts.events): how long events are kept, and a page's size.
RFS_SECURITY_EVENT_RETENTION_DAYS = env_int("SECURITY_EVENT_RETENTION_DAYS", 400)
RFS_SECURITY_EVENTS_PER_PAGE = 100
CELERY_BEAT_SCHEDULE["purge-security-events"] = {
    "task": "rfs.accounts.tasks.purge_security_events",
    "schedule": timedelta(hours=6),
}

RFS_OUTBOX_PURGE_AFTER = timedelta(days=env_int("OUTBOX_PURGE_DAYS", 90))
CELERY_BEAT_SCHEDULE["purge-notification-bodies"] = {
    "task": "rfs.notify.tasks.purge_bodies",
    "schedule": timedelta(hours=1),
}
# Signup posts turned away (honeypot, rate limit) are all counted per day; only this many
# a day for each reason keep a short extract, so a flood cannot fill the database.
RFS_REJECTED_EXTRACTS_PER_DAY = env_int("REJECTED_EXTRACTS_PER_DAY", 1000)
# Production never prints, stores or drops its email instead of sending it.
NOT_SENDING_BACKENDS = {"console", "filebased", "locmem", "dummy"}
if PRODUCTION and EMAIL_BACKEND.removeprefix("django.core.mail.backends.").split(".")[0] in (
    NOT_SENDING_BACKENDS
):
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND {EMAIL_BACKEND} sends nothing; refused in production"
    )
