import pytest
from django.urls import reverse

from rfs.accounts.models import Role
from tests.factories.accounts import UserFactory


def log_in(client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_anonymous_home_offers_signup_and_login(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert reverse("account_login") in response.content.decode()


@pytest.mark.parametrize(
    ("role", "start"),
    [
        (Role.STAFF, "/dashboard/"),
        (Role.SCREENER, "/screening/"),
        (Role.MENTOR, "/mentors/me/"),
        (Role.REVIEWER, "/endorsements/applications/"),
        (Role.CANDIDATE, "/portal/"),
    ],
)
def test_login_sends_each_role_where_it_works(client, db, password, role, start):
    user = UserFactory(role=role)
    response = log_in(client, user.email, password)
    assert response.status_code == 302
    assert client.get("/").url == start


def test_login_ignores_letter_case_of_email(client, db, password):
    UserFactory(email="mixed@example.org", role=Role.SCREENER)
    response = log_in(client, "  MiXeD@Example.ORG ", password)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_wrong_password_is_refused_with_a_message(client, db):
    UserFactory(email="sam@example.org")
    response = log_in(client, "sam@example.org", "not the password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "not correct" in response.content.decode()


def test_public_account_signup_is_closed(client, db):
    response = client.get(reverse("account_signup"))
    assert "Sign Up Closed" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("/dashboard/", {Role.STAFF}),
        ("/outbox/", {Role.STAFF}),
        ("/screening/", {Role.STAFF, Role.SCREENER}),
        ("/mentors/me/", {Role.STAFF, Role.MENTOR}),
    ],
)
def test_pages_enforce_roles_on_the_server(client, db, url, allowed):
    for role in Role:
        client.force_login(UserFactory(role=role))
        status = client.get(url).status_code
        assert (status == 200) == (role in allowed), (url, role, status)
        client.logout()


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_inactive_user_cannot_use_role_pages(client, db):
    user = UserFactory(role=Role.STAFF, is_active=False)
    client.force_login(user)
    assert client.get("/dashboard/").status_code in {302, 403}


def test_navigation_shows_only_the_roles_items(client, db):
    client.force_login(UserFactory(role=Role.SCREENER))
    page = client.get("/screening/").content.decode()
    assert "Screening queue" in page
    assert "Outbox" not in page


def test_admin_login_goes_through_the_same_login(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_account_emails_go_through_the_outbox(client, staff, django_capture_on_commit_callbacks):
    from django.core import mail

    from rfs.notify.models import Notification

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(reverse("account_reset_password"), {"email": staff.email})
    row = Notification.objects.get(to_email=staff.email)
    assert "Password Reset" in row.subject
    assert "/accounts/password/reset/key/" in row.body_text
    # Queued for a worker after commit, not sent inside the request.
    assert len(callbacks) == 1
    assert mail.outbox == []
