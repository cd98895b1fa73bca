"""Invitations are single use and expire; onboarding holds volunteers and mentors at the
door until the guide is read and the current agreement accepted, and a new version of the
agreement holds them again."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from time_machine import travel

from rfs.accounts import invitations, onboarding
from rfs.accounts.models import Agreement, Invitation, Role
from rfs.notify.models import Notification
from tests.factories.accounts import UserFactory
from tests.support.outbox import delivered

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and fresh passphrase 42"


def _invite(user):
    invitations.invite(user=user, by=None, role_label="volunteer screener", key=f"t:{user.pk}")
    message = delivered(Notification.objects.get(key=f"t:{user.pk}"))
    return re.search(r"/accounts/invitation/[^/\s]+/", message.body).group(0)


def _set_password(client, link):
    return client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})


def test_the_link_sets_the_password_once(client):
    user = UserFactory(role=Role.SCREENER, onboarded=False)
    link = _invite(user)
    assert client.get(link).status_code == 200
    response = _set_password(client, link)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # Spent: a second use is refused, and the password stays as set.
    assert client.get(link).status_code == 404
    client.post(link, {"new_password1": "another long passphrase 7", "new_password2": "x"})
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_only_a_hash_of_the_token_is_stored_and_the_email_forgets_it():
    user = UserFactory(role=Role.SCREENER, onboarded=False)
    link = _invite(user)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert not Invitation.objects.filter(token_hash=token).exists()
    row = Notification.objects.get(key=f"t:{user.pk}")
    assert token not in str(row.context) and token not in row.body_text


def test_the_link_expires_after_seven_days(client):
    user = UserFactory(role=Role.SCREENER, onboarded=False)
    link = _invite(user)
    with travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert client.get(link).status_code == 404
        assert _set_password(client, link).status_code == 404
    user.refresh_from_db()
    assert not user.check_password(NEW_PASSWORD)


def test_a_new_invitation_ends_the_earlier_one(client):
    user = UserFactory(role=Role.SCREENER, onboarded=False)
    first = _invite(user)
    invitations.invite(user=user, by=None, role_label="volunteer screener", key="t:again")
    assert client.get(first).status_code == 404


def test_a_weak_password_is_refused_beside_the_field(client):
    user = UserFactory(role=Role.SCREENER, onboarded=False)
    link = _invite(user)
    response = client.post(link, {"new_password1": "short", "new_password2": "short"})
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert client.get(link).status_code == 200  # not spent


def _publish_guide_and_agreement():
    onboarding.save_guide(role=Role.SCREENER, title="Screening guide", body="Listen.", by=None)
    return onboarding.publish_agreement(text="Keep it private.", by=None)


def test_the_queue_stays_closed_until_onboarding_is_complete(client_for):
    _publish_guide_and_agreement()
    volunteer = UserFactory(role=Role.SCREENER, onboarded=False)
    other = UserFactory(role=Role.SCREENER, onboarded=False)
    client = client_for(volunteer)
    queue = reverse("screening:queue")
    assert client.get(queue)["Location"] == reverse("accounts:onboarding")
    page = client.get(reverse("accounts:onboarding")).content.decode()
    assert "Read the guide" in page and "Read and accept the agreement" in page

    client.post(reverse("accounts:guide"))
    assert client.get(queue)["Location"] == reverse("accounts:onboarding")
    version = Agreement.objects.get().version
    client.post(reverse("accounts:agreement"), {"version": version})
    assert client.get(queue).status_code == 200
    # It opened for this volunteer, and for nobody else.
    assert client_for(other).get(queue).status_code == 302


def test_a_new_agreement_version_closes_the_queue_again(client_for):
    first = _publish_guide_and_agreement()
    volunteer = UserFactory(role=Role.SCREENER, onboarded=False)
    onboarding.read_guide(user=volunteer, guide=onboarding.progress(volunteer).guides[0])
    onboarding.accept_agreement(user=volunteer, agreement=first)
    client = client_for(volunteer)
    assert client.get(reverse("screening:queue")).status_code == 200

    onboarding.publish_agreement(text="Keep it private, and lock your screen.", by=None)
    assert client.get(reverse("screening:queue")).status_code == 302
    # Accepting the old version again does not count; the new one does, with its time.
    client.post(reverse("accounts:agreement"), {"version": first.version})
    assert client.get(reverse("screening:queue")).status_code == 302
    client.post(reverse("accounts:agreement"), {"version": first.version + 1})
    assert client.get(reverse("screening:queue")).status_code == 200
    accepted = volunteer.agreement_acceptances.order_by("agreement__version")
    assert [a.agreement.version for a in accepted] == [1, 2]


def test_mentor_pages_wait_for_onboarding_too(client_for):
    onboarding.publish_agreement(text="Keep it private.", by=None)
    mentor = UserFactory(role=Role.MENTOR, onboarded=False)
    response = client_for(mentor).get(reverse("mentors:home"))
    assert response["Location"] == reverse("accounts:onboarding")


def test_staff_are_not_held(client_for, staff):
    assert client_for(staff).get(reverse("screening:queue")).status_code == 200


def test_the_second_factor_is_a_step_where_it_is_required(settings):
    _publish_guide_and_agreement()
    volunteer = UserFactory(role=Role.SCREENER)
    assert onboarding.is_complete(volunteer)
    settings.RFS_MFA_REQUIRED = True
    assert not onboarding.is_complete(volunteer)
    assert not onboarding.progress(volunteer).second_factor_done


def test_staff_write_the_guide_and_publish_versions(client_for, staff):
    client = client_for(staff)
    client.post(
        reverse("accounts:guide_edit", args=["screener"]), {"title": "Guide", "body": "Be kind."}
    )
    client.post(reverse("accounts:agreement_publish"), {"text": "Version one."})
    client.post(reverse("accounts:agreement_publish"), {"text": "Version two."})
    assert onboarding.current_agreement().text == "Version two."
    page = client.get(reverse("accounts:onboarding_admin")).content.decode()
    assert "Guide" in page and "Version two." in page
    assert client.get(reverse("accounts:guide_edit", args=["partner"])).status_code == 404
