import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from rfs.accounts.models import Role, SecurityEvent, User
from rfs.accounts.services import grant_role
from rfs.notify.delivery import deliver
from rfs.notify.models import Notification
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.candidates import CandidateFactory

pytestmark = pytest.mark.django_db


def deliver_outbox() -> None:
    """What the worker does after commit (these tests run inside one transaction)."""
    pending = Notification.objects.filter(status="pending").order_by("pk")
    for pk in pending.values_list("pk", flat=True):
        deliver(notification_id=pk)


def code_from(message) -> str:
    return re.search(r"browser window\.\s+(\S+)", message.body).group(1)


@pytest.fixture
def candidate():
    return CandidateFactory(email="ada@example.org", first_name="Ada", last_name="Lovelace")


def ask_for_code(client, email: str, **extra):
    return client.post(reverse("portal:login"), {"email": email, **extra})


def test_a_signed_up_candidate_logs_in_with_an_emailed_code(client, candidate):
    response = ask_for_code(client, "Ada@Example.org ")
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:login_code")

    user = User.objects.get(email="ada@example.org")
    assert user.roles == [Role.CANDIDATE]
    assert not user.has_usable_password()
    # Until the code is entered, the address is not confirmed and the record is not linked.
    assert not EmailAddress.objects.get(user=user).verified
    candidate.refresh_from_db()
    assert candidate.user is None
    deliver_outbox()
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]

    response = client.post(
        reverse("account_confirm_login_code"), {"code": code_from(mail.outbox[0])}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("portal:home")
    assert "Welcome, Ada" in response.content.decode()
    assert EmailAddress.objects.get(user=user).verified
    candidate.refresh_from_db()
    assert candidate.user == user


def test_a_login_whose_address_was_never_confirmed_opens_no_record(client_for, candidate):
    user = UserFactory(email=candidate.email, role=Role.CANDIDATE)
    EmailAddress.objects.filter(user=user).update(verified=False)
    response = client_for(user).get(reverse("portal:home"))
    assert "We could not find your signup" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.user is None


def test_the_account_is_made_once(client, candidate):
    ask_for_code(client, candidate.email)
    first = User.objects.get(email=candidate.email)
    client.get(reverse("portal:login"))
    ask_for_code(client, candidate.email)
    assert User.objects.filter(email=candidate.email).count() == 1
    assert EmailAddress.objects.get(email=candidate.email).user == first


def test_wrong_code_does_not_log_in(client, candidate):
    ask_for_code(client, candidate.email)
    response = client.post(reverse("account_confirm_login_code"), {"code": "WRONG1"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_an_unknown_address_gets_the_same_answer_and_no_account(client, candidate):
    known = ask_for_code(client, candidate.email)
    client.cookies.clear()
    unknown = ask_for_code(client, "nobody@example.org")
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert not User.objects.filter(email="nobody@example.org").exists()
    deliver_outbox()
    # allauth tells the address's owner that there is no account; it carries no code.
    assert mail.outbox[-1].to == ["nobody@example.org"]
    assert "browser window" not in mail.outbox[-1].body


@pytest.mark.parametrize("page", ["portal:login", "account_reset_password"])
def test_the_no_account_email_names_the_address_and_links_to_the_signup_form(
    client, settings, page
):
    client.post(reverse(page), {"email": "nobody@example.org"})
    deliver_outbox()
    [message] = mail.outbox
    assert message.to == ["nobody@example.org"]
    assert message.subject == "[Run for Something] No account for this address"
    assert "as nobody@example.org, but no account uses that address" in message.body
    assert f"{settings.SITE_URL}{reverse('intake:signup')}\n" in message.body
    # allauth's own signup page is closed: no link to it.
    assert reverse("account_signup") not in message.body


def test_a_staff_member_who_signs_up_keeps_one_login_with_both_roles(client, staff):
    CandidateFactory(email=staff.email)
    ask_for_code(client, staff.email)
    staff.refresh_from_db()
    assert staff.roles == [Role.STAFF, Role.CANDIDATE]
    assert User.objects.filter(email=staff.email).count() == 1
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ROLE_CHANGED)
    assert (event.subject_label, event.detail) == (staff.email, "Roles: added Candidate")


def log_in_by_code(client, email: str):
    ask_for_code(client, email)
    deliver_outbox()
    return client.post(
        reverse("account_confirm_login_code"), {"code": code_from(mail.outbox[-1])}, follow=True
    )


def test_a_screener_who_signs_up_logs_in_by_code_as_a_candidate_only(client, screener):
    candidate = CandidateFactory(email=screener.email, first_name="Bob")
    response = log_in_by_code(client, screener.email)
    # One login, both roles; this session acts only as the candidate.
    screener.refresh_from_db()
    assert screener.roles == [Role.SCREENER, Role.CANDIDATE]
    assert response.redirect_chain[-1][0] == reverse("portal:home")
    assert "Welcome, Bob" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.user == screener
    page = response.content.decode()
    assert reverse("portal:ask") in page
    assert reverse("screening:queue") not in page
    assert client.get(reverse("screening:queue")).status_code == 403
    assert client.get(reverse("home"))["Location"] == reverse("portal:home")
    # Nor may it change how the person logs in, or open the admin: the password does that.
    for page in (reverse("mfa_index"), reverse("account_email"), reverse("admin:index")):
        assert client.get(page)["Location"].startswith(reverse("account_reauthenticate"))


def test_the_same_person_logging_in_with_the_password_acts_in_both_roles(client, screener):
    CandidateFactory(email=screener.email, first_name="Bob")
    grant_role(user=screener, role=Role.CANDIDATE)
    response = client.post(
        reverse("account_login"), {"login": screener.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("accounts:places")
    page = response.content.decode()
    assert reverse("screening:queue") in page and reverse("portal:home") in page
    assert client.get(reverse("screening:queue")).status_code == 200
    assert client.get(reverse("portal:home")).status_code == 200


def test_next_page_is_kept_through_the_code(client, candidate):
    target = reverse("portal:ask")
    response = client.get(target)
    assert response["Location"] == f"{reverse('portal:login')}?next=%2Fportal%2Fask%2F"
    response = ask_for_code(client, candidate.email, next=target)
    confirm_url = response["Location"]
    assert confirm_url.startswith(reverse("portal:login_code"))
    deliver_outbox()
    response = client.post(confirm_url, {"code": code_from(mail.outbox[0])})
    assert response["Location"] == target


def test_bad_input_is_shown_beside_the_field(client):
    response = ask_for_code(client, "not an email")
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert not Notification.objects.exists()


def test_logged_in_people_skip_the_login_page(client_for, staff):
    response = client_for(staff).get(reverse("portal:login"))
    assert response.status_code == 302


def test_allauths_own_code_page_works_for_a_candidate_without_a_login(client, candidate):
    response = client.post(reverse("account_request_login_code"), {"email": candidate.email})
    assert response.status_code == 302
    assert User.objects.filter(email=candidate.email).exists()
    deliver_outbox()
    response = client.post(
        reverse("account_confirm_login_code"), {"code": code_from(mail.outbox[0])}, follow=True
    )
    assert "Welcome, Ada" in response.content.decode()


def test_a_spanish_speaking_candidates_code_comes_in_spanish(client, candidate):
    candidate.language = "es"
    candidate.save(update_fields=["language"])
    ask_for_code(client, candidate.email)
    row = Notification.objects.get(to_email=candidate.email)
    assert row.language == "es"
    deliver_outbox()
    (message,) = mail.outbox
    assert "Código de inicio de sesión" in message.subject
    assert message.body.startswith("Hola, te escribimos de Run for Something.")
    assert "Escríbelo en la ventana del navegador" in message.body
    assert "browser window" not in message.body
    code = message.body.split("abierta.")[1].split()[0]
    response = client.post(reverse("account_confirm_login_code"), {"code": code}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:home")


@pytest.mark.parametrize("other_role", [Role.STAFF, Role.SCREENER])
def test_the_portal_shows_ones_own_record_whatever_else_one_sees(client, other_role):
    person = UserFactory(roles=[other_role, Role.CANDIDATE])
    # Their own record, and candidates they hold as a screener (staff see everyone anyway),
    # before and after it.
    CandidateFactory(first_name="Held", owner=person, stage="screening")
    CandidateFactory(email=person.email, user=person, first_name="Mine")
    CandidateFactory(first_name="Held", owner=person, stage="screening")
    client.force_login(person)
    page = client.get(reverse("portal:home")).content.decode()
    assert "Welcome, Mine" in page and "Held" not in page
