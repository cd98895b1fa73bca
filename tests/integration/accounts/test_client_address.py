"""Behind the TLS proxy, limits and lockouts count each client, not the proxy."""

import pytest
from django.urls import reverse

from candidates.models import Candidate
from candidates.services import intake
from rfs.accounts.models import Role
from tests.factories.accounts import UserFactory
from tests.factories.candidates import signup_form_data

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings):
    settings.RFS_PROXY_COUNT = 1


def through_proxy(client_address: str, spoofed: str = "") -> dict:
    forwarded = f"{spoofed}, {client_address}" if spoofed else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


def log_in(client, email: str, password: str, **meta):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **meta)


@pytest.fixture
def generous_allauth_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "1000/m/ip", "login": "1000/m/ip"}


def test_an_attacker_cannot_lock_staff_out_from_behind_the_same_proxy(
    client, password, settings, generous_allauth_limits
):
    user = UserFactory(role=Role.STAFF, is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        log_in(client, user.email, "guess", **through_proxy("198.51.100.66"))
    response = log_in(client, user.email, password, **through_proxy("203.0.113.5"))
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_a_spoofed_forwarded_header_does_not_escape_the_lockout(
    client, password, settings, generous_allauth_limits
):
    user = UserFactory(role=Role.STAFF, is_staff=True)
    for i in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, user.email, "guess", **through_proxy("198.51.100.66", f"6.6.6.{i}"))
    response = log_in(client, user.email, password, **through_proxy("198.51.100.66", "7.7.7.7"))
    assert response.status_code == 429


def test_an_ipv6_attacker_is_locked_out_across_their_64(
    client, password, settings, generous_allauth_limits
):
    user = UserFactory(role=Role.STAFF, is_staff=True)
    for i in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, user.email, "guess", **through_proxy(f"2001:db8:1:2::{i + 1}"))
    same_64 = log_in(client, user.email, password, **through_proxy("2001:db8:1:2::ff"))
    assert same_64.status_code == 429
    next_64 = log_in(client, user.email, password, **through_proxy("2001:db8:1:3::1"))
    assert next_64.status_code == 302


def test_allauth_limits_each_client_not_the_proxy(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    too_many = "Too many failed login attempts"
    pages = [
        log_in(client, f"guess{i}@example.org", "guess", **through_proxy("198.51.100.66"))
        for i in range(6)
    ]
    assert too_many in pages[-1].content.decode()
    other = log_in(client, "other@example.org", "guess", **through_proxy("203.0.113.5"))
    assert other.status_code == 200
    assert too_many not in other.content.decode()


def post_signup(client, n: int, **meta):
    data = signup_form_data(email=f"person{n}@example.org", phone=f"202-555-01{n:02d}")
    return client.post("/signup/", data, **meta)


def test_the_signup_limit_counts_each_client_behind_the_proxy(client, settings):
    settings.RFS_SIGNUP_RATE_LIMIT = 1
    assert post_signup(client, 1, **through_proxy("198.51.100.1")).status_code == 302
    assert post_signup(client, 2, **through_proxy("198.51.100.2")).status_code == 302
    # The same client, whatever it claims before the proxy's entry.
    assert post_signup(client, 3, **through_proxy("198.51.100.1", "6.6.6.6")).status_code == 429
    intake.resolve_waiting_signups()
    assert Candidate.objects.count() == 2


def test_the_signup_limit_counts_an_ipv6_64_as_one_client(client, settings):
    settings.RFS_SIGNUP_RATE_LIMIT = 1
    assert post_signup(client, 1, **through_proxy("2001:db8:1:2::1")).status_code == 302
    assert post_signup(client, 2, **through_proxy("2001:db8:1:2::2")).status_code == 429
    assert post_signup(client, 3, **through_proxy("2001:db8:1:3::1")).status_code == 302
