"""Production settings refuse to start insecurely, and pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[3]
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "DATABASE_URL": "postgres://rfs@db.internal:5432/rfs",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "ALLOWED_HOSTS": "rfs.example.org",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Only what a deployment would have: the browser tests' async override stays out.
    dropped = {*PRODUCTION_ENV, "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    clean["DJANGO_SETTINGS_MODULE"] = "rfs.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "refuses to start without" in result.stderr
    assert missing in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = manage("check", **{**PRODUCTION_ENV, "SECRET_KEY": "django-insecure-short"})
    assert result.returncode != 0
    assert "SECRET_KEY must be a random value" in result.stderr


def test_production_refuses_debug():
    result = manage("check", **{**PRODUCTION_ENV, "DEBUG": "true"})
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_production_passes_the_deployment_checks_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_development_needs_no_environment_at_all():
    result = manage("check", DJANGO_ENV="development")
    assert result.returncode == 0, result.stderr


def test_seed_demo_is_refused_in_production():
    result = manage("seed_demo", **PRODUCTION_ENV)
    assert result.returncode != 0
    assert "never runs with DJANGO_ENV=production" in result.stderr


def setting(name: str, **env: str) -> str:
    script = f"from django.conf import settings; print(settings.{name})"
    result = manage("shell", "--no-imports", "-c", script, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_second_factor_is_required_by_default_in_production_only():
    assert setting("RFS_MFA_REQUIRED", **PRODUCTION_ENV) == "True"
    assert setting("RFS_MFA_REQUIRED", DJANGO_ENV="development") == "False"
    assert setting("RFS_MFA_REQUIRED", DJANGO_ENV="development", MFA_REQUIRED="true") == "True"


def test_the_old_staff_only_setting_is_refused_not_ignored():
    result = manage("check", **{**PRODUCTION_ENV, "STAFF_MFA_REQUIRED": "false"})
    assert result.returncode != 0
    assert "MFA_REQUIRED" in result.stderr


@pytest.mark.parametrize("backend", ["console", "locmem", "filebased", "dummy"])
def test_production_refuses_an_email_backend_that_sends_nothing(backend):
    env = {**PRODUCTION_ENV, "EMAIL_BACKEND": f"django.core.mail.backends.{backend}.EmailBackend"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "EMAIL_BACKEND" in result.stderr


def test_production_sends_by_smtp_when_the_backend_is_left_empty():
    backend = setting("EMAIL_BACKEND", **{**PRODUCTION_ENV, "EMAIL_BACKEND": ""})
    assert backend == "django.core.mail.backends.smtp.EmailBackend"
