from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from rfs.accounts.models import Role
from tests.factories.accounts import UserFactory


def log_in(client, email: str, password: str, ip: str = "203.0.113.5"):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip
    )


@pytest.fixture
def generous_allauth_limits(settings):
    # Isolate the brute-force lockout from allauth's own (also active) rate limits.
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "1000/m/ip", "login": "1000/m/ip"}


def test_repeated_failures_lock_out_even_the_right_password(
    client, db, password, settings, generous_allauth_limits
):
    user = UserFactory(role=Role.STAFF, is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, user.email, "guess")
    response = log_in(client, user.email, password)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_ends_after_the_cool_off(client, db, password, settings, generous_allauth_limits):
    user = UserFactory(role=Role.STAFF, is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, user.email, "guess")
    with time_machine.travel(timedelta(minutes=16) + _now(), tick=False):
        response = log_in(client, user.email, password)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_attacker_elsewhere_cannot_lock_the_owner_out(
    client, db, password, settings, generous_allauth_limits
):
    user = UserFactory(role=Role.STAFF, is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        log_in(client, user.email, "guess", ip="198.51.100.66")
    response = log_in(client, user.email, password, ip="203.0.113.5")
    assert response.status_code == 302


def test_allauth_rate_limits_are_on(client, db):
    UserFactory(email="target@example.org")
    statuses = [log_in(client, "target@example.org", f"guess{i}").status_code for i in range(12)]
    assert 429 in statuses


def _now():
    from django.utils import timezone

    return timezone.now()


def test_session_ends_after_inactivity(client, db, settings):
    user = UserFactory(role=Role.STAFF)
    client.force_login(user)
    assert client.get("/dashboard/").status_code == 200
    with time_machine.travel(_now() + timedelta(seconds=settings.SESSION_IDLE_SECONDS + 60)):
        response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_session_ends_after_absolute_lifetime_even_when_active(client, db, settings):
    settings.SESSION_IDLE_SECONDS = 60 * 60
    settings.SESSION_COOKIE_AGE = 3 * 60 * 60
    user = UserFactory(role=Role.STAFF)
    client.force_login(user)
    start = _now()
    with time_machine.travel(start):
        assert client.get("/dashboard/").status_code == 200
    # Active every 50 minutes: never idle, but past the absolute lifetime at the end.
    for minutes in (50, 100, 150):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert client.get("/dashboard/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=190)):
        response = client.get("/dashboard/")
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("candidate", "accepted"), [("Zq8!mK2#pL4", False), ("Zq8!mK2#pL4w", True)]
)
def test_passwords_need_at_least_12_characters(db, candidate, accepted):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = UserFactory()
    try:
        validate_password(candidate, user)
    except ValidationError as refusal:
        assert not accepted
        assert "at least 12 characters" in " ".join(refusal.messages)
    else:
        assert accepted


def test_pages_carry_a_strict_content_security_policy(client, db):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
