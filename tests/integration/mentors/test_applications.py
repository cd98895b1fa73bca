"""Mentors apply at /mentors/apply/; staff approve them into a mentor profile and a login
with the same invitation and onboarding as volunteers."""

import pytest
from django.urls import reverse

from mentors.models import Mentor, MentorApplication
from rfs.accounts import onboarding
from rfs.accounts.models import Invitation, Role, User
from rfs.notify.models import Notification
from tests.factories.mentors import MentorApplicationFactory

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Harriet Cole",
    "email": "harriet@example.com",
    "expertise": ["fundraising", "field"],
    "experience_level": "state",
    "states": ["PA", "OH"],
    "capacity": "3",
    "languages": "English, Spanish",
    "bio": "Finance director on three state campaigns.",
}


def test_someone_applies_to_mentor(client):
    response = client.post(reverse("mentor_application:apply"), FORM)
    assert response["Location"] == reverse("mentor_application:thanks")
    application = MentorApplication.objects.get()
    assert application.states == ["PA", "OH"] and application.languages == ["English", "Spanish"]


def test_bad_input_is_shown_beside_the_field(client):
    response = client.post(
        reverse("mentor_application:apply"), {**FORM, "capacity": "0", "states": []}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not MentorApplication.objects.exists()


def test_the_honeypot_keeps_nothing(client):
    client.post(reverse("mentor_application:apply"), {**FORM, "website": "x"})
    assert not MentorApplication.objects.exists()


def test_approval_makes_a_mentor_profile_login_and_invitation(client_for, staff):
    application = MentorApplicationFactory(capacity=2, languages=["English", "Spanish"])
    response = client_for(staff).post(
        reverse("mentors:application_approve", args=[application.uuid])
    )
    mentor = Mentor.objects.get(email=application.email)
    assert response["Location"] == mentor.get_absolute_url()
    assert (mentor.capacity, mentor.languages, mentor.states) == (2, ["English", "Spanish"], ["PA"])
    user = User.objects.get(email=application.email)
    assert mentor.user == user and user.has_role(Role.MENTOR)
    assert Invitation.objects.filter(user=user).exists()
    assert Notification.objects.filter(key=f"application:approved:{application.uuid}").exists()
    # The same onboarding as a volunteer's: not done until the guide and agreement are, and
    # staff see where they are.
    assert onboarding.required(user) and not onboarding.is_complete(user)
    page = client_for(staff).get(application.get_absolute_url()).content.decode()
    assert "Agreement not accepted" in page


def test_decline_sends_a_kind_email_once(client_for, staff):
    application = MentorApplicationFactory()
    client = client_for(staff)
    url = reverse("mentors:application_decline", args=[application.uuid])
    client.post(url)
    response = client.post(url, follow=True)
    assert "already been decided" in response.content.decode()
    assert Notification.objects.filter(template="application_declined").count() == 1
    assert not Mentor.objects.filter(email=application.email).exists()


def test_the_review_list_pins_its_queries(client_for, staff, django_assert_num_queries):
    MentorApplicationFactory.create_batch(3)
    client = client_for(staff)
    client.get(reverse("mentors:applications"))
    with django_assert_num_queries(3):  # user, count, page
        client.get(reverse("mentors:applications"))
