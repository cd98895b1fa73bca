"""Volunteers: applying at /volunteer/, staff's decision, the roster, deactivation and the
nudge after a long silence."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.models import Stage
from rfs.accounts.applications import ApplicationRefused
from rfs.accounts.models import Invitation, Role, User
from rfs.notify.models import Notification
from screening.models import Claim, ScheduledCall, Volunteer, VolunteerApplication
from screening.services import claims, volunteers
from screening.services.guards import ScreeningError
from tests.factories.accounts import UserFactory
from tests.factories.screening import (
    ScreeningCallFactory,
    VolunteerApplicationFactory,
    waiting_candidate,
)

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Priya Raman",
    "email": "Priya@Example.com",
    "phone": "(404) 555-0101",
    "state": "GA",
    "time_zone": "America/New_York",
    "hours_per_week": "4",
    "languages": "English, Tamil",
    "experience": "Phone banking.",
}


def test_someone_applies_at_the_public_page(client):
    response = client.post("/volunteer/", FORM)
    assert response["Location"] == reverse("volunteer:thanks")
    application = VolunteerApplication.objects.get()
    assert (application.email, application.phone) == ("priya@example.com", "+14045550101")
    assert application.languages == ["English", "Tamil"]
    assert application.status == VolunteerApplication.Status.PENDING


def test_bad_input_is_shown_beside_the_field_and_kept(client):
    response = client.post("/volunteer/", {**FORM, "hours_per_week": "0", "phone": "12"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1" in body
    assert 'value="Priya Raman"' in body
    assert not VolunteerApplication.objects.exists()


def test_the_honeypot_keeps_nothing_and_says_nothing(client):
    response = client.post("/volunteer/", {**FORM, "website": "http://spam.example"})
    assert response["Location"] == reverse("volunteer:thanks")
    assert not VolunteerApplication.objects.exists()


def test_the_signup_rate_limit_holds_here_too(client, settings):
    settings.RFS_SIGNUP_RATE_LIMIT = 2
    for n in range(2):
        assert client.post("/volunteer/", {**FORM, "email": f"p{n}@example.com"}).status_code == 302
    assert client.post("/volunteer/", {**FORM, "email": "p9@example.com"}).status_code == 429
    assert VolunteerApplication.objects.count() == 2


def test_approval_makes_a_screener_with_a_profile_and_an_invitation(client_for, staff):
    application = VolunteerApplicationFactory(languages=["English", "Spanish"])
    client_for(staff).post(reverse("screening:application_approve", args=[application.uuid]))
    application.refresh_from_db()
    user = User.objects.get(email=application.email)
    assert application.status == "approved" and application.user == user
    assert user.has_role(Role.SCREENER) and not user.has_usable_password()
    volunteer = Volunteer.objects.get(user=user)
    assert volunteer.languages == ["English", "Spanish"] and volunteer.hours_per_week == 4
    assert Invitation.objects.filter(user=user, used_at__isnull=True).count() == 1
    email = Notification.objects.get(key=f"application:approved:{application.uuid}")
    assert email.to_email == application.email and email.secret


def test_a_decision_is_made_once(staff):
    application = VolunteerApplicationFactory()
    volunteers.decline_application(application=application, by=staff)
    with pytest.raises(ApplicationRefused):
        volunteers.approve_application(application=application, by=staff)
    assert not User.objects.filter(email=application.email).exists()
    assert Notification.objects.filter(template="application_declined").count() == 1


def test_staff_ask_a_question_and_can_still_decide(client_for, staff):
    application = VolunteerApplicationFactory()
    client = client_for(staff)
    url = reverse("screening:application_ask", args=[application.uuid])
    client.post(url, {"question": "Which evenings suit you?"})
    application.refresh_from_db()
    assert application.status == "asked" and application.question == "Which evenings suit you?"
    email = Notification.objects.get(template="application_question")
    assert email.context["question"] == "Which evenings suit you?"
    volunteers.approve_application(application=application, by=staff)


def test_the_review_queue_lists_open_applications(client_for, staff, django_assert_num_queries):
    VolunteerApplicationFactory.create_batch(3)
    VolunteerApplicationFactory(name="Decided Person", status="declined")
    client = client_for(staff)
    client.get(reverse("screening:applications"))
    with django_assert_num_queries(3):  # user, count, page
        body = client.get(reverse("screening:applications")).content.decode()
    assert "Decided Person" not in body
    assert len(re.findall(r"/screening/volunteers/applications/[0-9a-f-]{36}/", body)) == 3


def test_a_volunteer_who_has_not_onboarded_cannot_claim():
    volunteer = UserFactory(role=Role.SCREENER, onboarded=False)
    waiting_candidate()
    with pytest.raises(ScreeningError, match="getting started"):
        claims.claim_next(screener=volunteer)


def test_a_paused_volunteer_cannot_claim(screener):
    volunteer = Volunteer.objects.create(user=screener)
    volunteers.pause_volunteer(volunteer=volunteer, paused=True)
    waiting_candidate()
    with pytest.raises(ScreeningError, match="paused"):
        claims.claim_next(screener=screener)
    volunteers.pause_volunteer(volunteer=volunteer, paused=False)
    assert claims.claim_next(screener=screener) is not None


def test_deactivation_releases_every_claim_without_telling_the_candidate(
    client_for, staff, screener
):
    held = [waiting_candidate(first_name=f"Held{n}") for n in range(2)]
    for candidate in held:
        claims.claim_candidate(candidate=candidate, screener=screener)
    ScheduledCall.objects.create(
        candidate=held[0],
        screener=screener,
        claim=Claim.objects.get(candidate=held[0]),
        starts_at=timezone.now() + timedelta(days=2),
        time_zone="America/New_York",
    )
    volunteer = Volunteer.objects.create(user=screener)
    emails_before = Notification.objects.count()

    client_for(staff).post(reverse("screening:volunteer_deactivate", args=[volunteer.uuid]))

    assert not Claim.objects.open().filter(screener=screener).exists()
    for candidate in held:
        candidate.refresh_from_db()
        assert candidate.stage == Stage.SIGNED_UP and candidate.owner is None
    assert ScheduledCall.objects.get().status == ScheduledCall.Status.CANCELLED
    assert Notification.objects.count() == emails_before
    screener.refresh_from_db()
    assert not screener.is_active
    # Back in the queue at once: another volunteer claims them.
    other = UserFactory(role=Role.SCREENER)
    assert claims.claim_next(screener=other).candidate in held


def test_the_roster_shows_hours_calls_and_onboarding(client_for, staff, django_assert_num_queries):
    for n in range(3):
        user = UserFactory(role=Role.SCREENER, name=f"Volunteer {n}")
        Volunteer.objects.create(user=user, hours_per_week=5, languages=["English"])
        ScreeningCallFactory(screener=user, duration_minutes=120)
        ScreeningCallFactory(screener=user, duration_minutes=60)
    Volunteer.objects.create(user=UserFactory(role=Role.SCREENER, onboarded=False, name="New"))
    client = client_for(staff)
    client.get(reverse("screening:roster"))
    with django_assert_num_queries(3):  # user, count, page
        body = client.get(reverse("screening:roster")).content.decode()
    assert body.count("Onboarded") == 3 and "Guide not read" in body
    assert body.count("<td>3</td>") == 3  # three hours logged each


def test_the_nudge_goes_once_after_sixty_days(screener):
    volunteer = Volunteer.objects.create(user=screener)
    later = timezone.now() + timedelta(days=61)
    assert volunteers.nudge_inactive(now=timezone.now()) == 0
    assert volunteers.nudge_inactive(now=later) == 1
    assert volunteers.nudge_inactive(now=later + timedelta(days=90)) == 0
    email = Notification.objects.get(template="volunteer_nudge")
    assert email.to_email == screener.email
    assert email.key == f"screening:volunteer-nudge:{volunteer.uuid}"


def test_no_nudge_for_the_active_the_paused_or_the_deactivated(screener, staff):
    active = Volunteer.objects.create(user=screener)
    ScreeningCallFactory(screener=screener, happened_at=timezone.now() + timedelta(days=30))
    paused = Volunteer.objects.create(user=UserFactory(role=Role.SCREENER))
    volunteers.pause_volunteer(volunteer=paused, paused=True)
    gone = Volunteer.objects.create(user=UserFactory(role=Role.SCREENER))
    volunteers.deactivate_volunteer(volunteer=gone, by=staff)
    assert volunteers.nudge_inactive(now=timezone.now() + timedelta(days=61)) == 0
    assert active.pk


def test_a_deactivated_volunteer_who_runs_for_office_keeps_the_candidate_login(staff):
    person = UserFactory(roles=[Role.SCREENER, Role.CANDIDATE])
    claims.claim_candidate(candidate=waiting_candidate(), screener=person)
    volunteer = Volunteer.objects.create(user=person)
    assert volunteers.deactivate_volunteer(volunteer=volunteer, by=staff) == 1
    person.refresh_from_db()
    assert person.is_active and person.roles == [Role.CANDIDATE]
