"""Every login of a role that sees personal data passes the second factor, the admin's too."""

import re
from urllib.parse import quote

import pytest
from django.core import mail
from django.urls import reverse

from rfs.accounts.models import Role
from rfs.notify.delivery import deliver
from rfs.notify.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.candidates import CandidateFactory
from tests.support import totp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _second_factor_required(settings):
    settings.RFS_MFA_REQUIRED = True


def log_in(client, user, password):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def password_only_session(client, user, password) -> str:
    """A session that passed the password and never the second factor (the user enrolled
    after logging in); returns the new authenticator's secret."""
    assert log_in(client, user, password).status_code == 302
    return totp.enrol(user)


def asked_for_code(response, path: str) -> bool:
    return response.status_code == 302 and response.url == (
        f"{reverse('mfa_reauthenticate')}?next={quote(path)}"
    )


@pytest.fixture
def admin_staff(db):
    return UserFactory(role=Role.STAFF, is_staff=True, is_superuser=True)


def test_password_only_staff_session_gets_no_staff_page_and_no_admin(client, admin_staff, password):
    password_only_session(client, admin_staff, password)
    for path in ("/dashboard/", "/candidates/", "/outbox/", "/admin/", "/admin/accounts/user/"):
        assert asked_for_code(client.get(path), path), path


def test_staff_who_gave_the_code_at_login_get_staff_pages_and_the_admin(
    client, admin_staff, password
):
    secret = totp.enrol(admin_staff)
    response = log_in(client, admin_staff, password)
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": totp.code(secret)})
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_a_password_only_session_gives_the_code_and_goes_back_where_it_was(
    client, admin_staff, password
):
    secret = password_only_session(client, admin_staff, password)
    asked = client.get("/dashboard/", {"period": "90"})
    assert asked_for_code(asked, "/dashboard/?period=90")
    back = client.post(asked.url, {"code": totp.code(secret)})
    assert back.status_code == 302
    assert back.url == "/dashboard/?period=90"
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_opens_nothing(client, admin_staff, password):
    password_only_session(client, admin_staff, password)
    url = f"{reverse('mfa_reauthenticate')}?next=/dashboard/"
    assert client.post(url, {"code": "000000"}).status_code == 200
    assert asked_for_code(client.get("/dashboard/"), "/dashboard/")


def test_a_password_only_session_cannot_touch_the_second_factor(client, admin_staff, password):
    password_only_session(client, admin_staff, password)
    for name in ("mfa_index", "mfa_deactivate_totp", "mfa_activate_totp", "account_email"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("mfa_reauthenticate")), name


def test_the_second_factor_cannot_be_switched_off_while_it_is_required(
    client, admin_staff, password
):
    secret = totp.enrol(admin_staff)
    log_in(client, admin_staff, password)
    client.post(reverse("mfa_authenticate"), {"code": totp.code(secret)})
    # allauth asks for the password again before a change to the second factor.
    client.post(reverse("account_reauthenticate"), {"password": password})
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 200
    assert totp.enrolled(admin_staff)


def test_a_logged_in_user_cannot_become_staff_through_the_admin_login_form(
    client, admin_staff, outsider, password
):
    client.force_login(outsider)
    response = client.post("/admin/login/", {"username": admin_staff.email, "password": password})
    assert response.status_code == 403
    assert client.session["_auth_user_id"] == str(outsider.pk)


def test_the_admin_login_sends_visitors_to_the_one_login(client, admin_staff, password):
    response = client.post("/admin/login/", {"username": admin_staff.email, "password": password})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("role", "page"),
    [
        (Role.STAFF, "/dashboard/"),
        (Role.SCREENER, "/screening/"),
        (Role.MENTOR, "/mentors/me/"),
        (Role.REVIEWER, "/endorsements/applications/"),
    ],
)
def test_roles_that_see_personal_data_need_the_second_factor(client, password, role, page):
    user = UserFactory(role=role)
    secret = password_only_session(client, user, password)
    asked = client.get(page)
    assert asked_for_code(asked, page)
    client.post(asked.url, {"code": totp.code(secret)})
    assert client.get(page).status_code == 200


@pytest.mark.parametrize(
    ("role", "page"),
    [
        (Role.STAFF, "/dashboard/"),
        (Role.SCREENER, "/screening/"),
        (Role.MENTOR, "/mentors/me/"),
        (Role.REVIEWER, "/endorsements/applications/"),
    ],
)
def test_roles_that_see_personal_data_must_enrol_first(client, role, page):
    client.force_login(UserFactory(role=role))
    response = client.get(page)
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    # Enrolment is reachable (after allauth asks for the password again), not a redirect loop.
    enrol = client.get(reverse("mfa_activate_totp"), follow=True)
    assert enrol.status_code == 200
    assert enrol.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))


def test_enrolling_then_giving_a_code_opens_the_pages(client, password):
    user = UserFactory(role=Role.SCREENER)
    log_in(client, user, password)
    assert client.get("/screening/").url == reverse("mfa_activate_totp")
    client.post(reverse("account_reauthenticate"), {"password": password})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    enrolled = client.post(reverse("mfa_activate_totp"), {"code": totp.code(secret)})
    # The recovery codes are shown once the session has given a code of its own.
    recovery = reverse("mfa_view_recovery_codes")
    assert enrolled.url == recovery
    asked = client.get(recovery)
    assert asked_for_code(asked, recovery)
    assert client.post(asked.url, {"code": totp.code(secret)}).url == recovery
    assert client.get(recovery).status_code == 200
    assert client.get("/screening/").status_code == 200


def test_candidates_log_in_by_emailed_code_and_are_not_asked_for_totp(client):
    CandidateFactory(email="ada@example.org", first_name="Ada")
    client.post(reverse("portal:login"), {"email": "ada@example.org"})
    for pk in Notification.objects.filter(status="pending").values_list("pk", flat=True):
        deliver(notification_id=pk)
    code = re.search(r"browser window\.\s+(\S+)", mail.outbox[-1].body).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:home")
    assert "Welcome, Ada" in response.content.decode()


def test_nothing_is_asked_when_the_setting_is_off(client, settings, admin_staff):
    settings.RFS_MFA_REQUIRED = False
    client.force_login(admin_staff)
    assert client.get("/dashboard/").status_code == 200
