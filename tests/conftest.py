"""Fixtures for every test: personas, a real Celery worker, a real browser.

Personas follow one pattern: `staff` runs the organisation, `screener` and
`other_screener` are two volunteers, `mentor` mentors, `outsider` is a
logged-in user with no role that fits (a candidate).
"""

import contextlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import translation

from candidates.services import leads
from candidates.views import intake as signup_views
from rfs import redis_guard
from rfs.accounts.models import Role
from tests.factories.accounts import PASSWORD, UserFactory

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def pytest_configure(config):
    """Compile the translations (as `make translations` does) when a .mo is missing or older
    than its .po, so the suite also runs straight from pytest after editing a catalogue."""
    for po in LOCALE.glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)


@pytest.fixture(autouse=True)
def _clean_cache():
    # Rate limits, lockouts and heartbeats live in Redis: each test starts clean, and with
    # Redis trusted again whatever an earlier test did to it (rfs.redis_guard).
    redis_guard._paused_until = 0.0
    cache.clear()
    # The blank signup form each process keeps: a test's partners or clock make their own.
    signup_views._BLANK_FIELDS.clear()
    # The lead sources each process keeps: a test's edits to its source are seen at once.
    leads._kept.clear()
    # The settings each process keeps (response targets, destinations): read anew.
    redis_guard.KeptSettings.forget_here()
    yield
    cache.clear()
    redis_guard._paused_until = 0.0


@pytest.fixture(autouse=True)
def _organisation_language():
    # A request to a Spanish page leaves Spanish active in the test's thread (as in a server's,
    # where the next request activates its own): each test starts and ends in the default.
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def staff(db):
    return UserFactory(
        email="alice@example.org", name="Alice Staff", role=Role.STAFF, is_staff=True
    )


@pytest.fixture
def screener(db):
    return UserFactory(email="bob@example.org", name="Bob Screener", role=Role.SCREENER)


@pytest.fixture
def other_screener(db):
    return UserFactory(email="carol@example.org", name="Carol Screener", role=Role.SCREENER)


@pytest.fixture
def mentor(db):
    return UserFactory(email="mia@example.org", name="Mia Mentor", role=Role.MENTOR)


@pytest.fixture
def outsider(db):
    return UserFactory(email="olly@example.org", name="Olly Outsider", role=Role.CANDIDATE)


@pytest.fixture
def client_for(client):
    """`client_for(user)`: the test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker, in a thread, consuming from the real Redis broker."""
    from celery.contrib.testing.worker import start_worker

    from rfs.celery import app

    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (Playwright's own browser download is not used)."""
    # Playwright's sync API runs an event loop in this thread; Django's ORM
    # calls made by the test itself between browser steps are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    # The same browser bin/ensure-chromium found (make test runs it first); never a skip.
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not chromium:
        pytest.fail("Chromium is missing: `make test` installs it, or says what to install")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@contextlib.contextmanager
def watched_page(browser, live_server, **options):
    """A fresh browser page in a context of its own (`options`: Playwright's new_context
    arguments); it fails the test on any CSP violation or page error."""
    context = browser.new_context(base_url=live_server.url, **options)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console: {msg.text}")
            if msg.type == "error" and "Content Security Policy" in msg.text
            else None
        ),
    )
    yield page
    context.close()
    assert not problems, problems


@pytest.fixture
def page(browser, live_server):
    """A fresh desktop-sized browser page; see watched_page."""
    with watched_page(browser, live_server, viewport={"width": 1280, "height": 900}) as page:
        yield page
