import pytest
from django.urls import reverse

from candidates.models import HelpRequest, Note
from tests.factories.accounts import UserFactory
from tests.factories.candidates import CandidateFactory
from tests.factories.mentors import MentorFactory, MentorshipFactory
from tests.factories.trainings import SessionFactory
from trainings import services as trainings

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate_user(db):
    return UserFactory(email="ada@example.org", name="Ada Lovelace", role="candidate")


@pytest.fixture
def candidate(candidate_user):
    return CandidateFactory(
        email="ada@example.org",
        first_name="Ada",
        last_name="Lovelace",
        user=candidate_user,
        stage="screened",
        phone="+12025550101",
        city="Washington",
    )


@pytest.fixture
def portal(client_for, candidate_user):
    return client_for(candidate_user)


def test_portal_shows_stage_helpers_and_next_step(portal, candidate, screener):
    candidate.owner = screener
    candidate.save()
    MentorshipFactory(candidate=candidate, mentor=MentorFactory(name="Mo Mentor"))
    body = portal.get(reverse("portal:home")).content.decode()
    assert "You have talked with one of our volunteers." in body
    assert "We are finding the right mentor" in body
    assert "Bob Screener" in body and "Mo Mentor" in body


def test_portal_lists_only_their_own_requests(portal, candidate):
    HelpRequest.objects.create(
        candidate=candidate,
        kind="question",
        subject="Mine",
        opened_at="2026-01-01T10:00Z",
        due_at="2026-01-03T10:00Z",
    )
    HelpRequest.objects.create(
        candidate=CandidateFactory(),
        kind="question",
        subject="Not mine",
        opened_at="2026-01-01T10:00Z",
        due_at="2026-01-03T10:00Z",
    )
    body = portal.get(reverse("portal:home")).content.decode()
    assert "Mine" in body and "Not mine" not in body


def test_candidate_corrects_details_and_the_change_is_on_their_timeline(portal, candidate):
    response = portal.post(
        reverse("portal:details"),
        {
            "preferred_name": "Ada L",
            "pronouns": "she/her",
            "phone": "(202) 555-0199",
            "zip_code": "20002",
            "state": "DC",
            "city": "Washington",
            "office_level": "county",
            "office": "County board",
            "district": "",
            "election_year": "",
            "needs": ["field"],
        },
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.phone.as_e164 == "+12025550199"
    assert candidate.office_level == "county" and candidate.district == ""
    assert candidate.needs == ["field"] and candidate.has_filed is False
    note = Note.objects.get(candidate=candidate)
    assert note.body.startswith("Corrected by the candidate in the portal:")
    assert "Office: City council → County board" in note.body
    assert note.author == candidate.user


def test_bad_details_keep_what_was_typed(portal, candidate):
    other = CandidateFactory(phone="+12025550123")
    response = portal.post(
        reverse("portal:details"),
        {
            "zip_code": "abc",
            "phone": other.phone.as_e164,
            "city": "Typed City",
            "state": "DC",
            "office_level": "county",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter a 5-digit ZIP code" in body
    # The same words as for any number we cannot save: nothing says it is on file.
    assert "We could not save this number" in body
    assert "another record" not in body
    assert "Typed City" in body
    assert not Note.objects.exists()


def test_asking_a_question_opens_a_request(portal, candidate):
    response = portal.post(
        reverse("portal:ask"),
        {"topic": "treasurer", "subject": "Treasurer?", "body": "Who can be my treasurer?"},
    )
    request = HelpRequest.objects.get(candidate=candidate)
    assert response["Location"] == request.get_absolute_url()
    assert request.kind == "question" and request.topic == "treasurer"
    response = portal.post(reverse("portal:ask"), {"topic": "nope", "body": ""})
    assert response.status_code == 200
    assert "Write your question." in response.content.decode()


def test_a_candidate_login_without_a_record(client_for, outsider):
    client = client_for(outsider)
    assert "We could not find your signup" in client.get(reverse("portal:home")).content.decode()
    assert client.get(reverse("portal:ask")).status_code == 404


@pytest.mark.parametrize("persona", ["staff", "screener", "mentor"])
def test_the_portal_is_for_candidates(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("portal:home")).status_code == 403


def test_anonymous_visitors_go_to_the_portal_login(client):
    client.logout()
    response = client.get(reverse("portal:home"))
    assert response["Location"].startswith(reverse("portal:login"))


def test_portal_home_query_count(portal, candidate, django_assert_num_queries):
    MentorshipFactory(candidate=candidate)
    for n in range(3):
        HelpRequest.objects.create(
            candidate=candidate,
            kind="question",
            subject=f"Q{n}",
            opened_at="2026-01-01T10:00Z",
            due_at="2026-01-03T10:00Z",
        )
    portal.get(reverse("portal:home"))
    # user, candidate with owner, current mentorship, requests, partner referrals, and for
    # the partners' resources: partners referred to, suggested partners (none: no resources),
    # training invitations and registrations (each with its session and training)
    with django_assert_num_queries(9):
        response = portal.get(reverse("portal:home"))
    assert response.content.decode().count("portal-request") == 3


def test_a_question_goes_to_the_current_mentor(portal, candidate, mentor):
    MentorshipFactory(candidate=candidate, mentor=MentorFactory(user=mentor, name="Mia Mentor"))
    portal.post(reverse("portal:ask"), {"topic": "field", "subject": "Canvass", "body": "How?"})
    assert HelpRequest.objects.get(candidate=candidate).owner == mentor


def test_a_mentor_without_a_login_leaves_the_question_with_staff(portal, candidate):
    MentorshipFactory(candidate=candidate, mentor=MentorFactory(user=None, name="No Login"))
    portal.post(reverse("portal:ask"), {"topic": "field", "subject": "Canvass", "body": "How?"})
    assert HelpRequest.objects.get(candidate=candidate).owner is None


def test_the_details_form_cannot_be_used_to_probe_numbers_quickly(portal, candidate):
    url = reverse("portal:details")
    data = {"state": "DC", "zip_code": "20001", "city": "Washington", "office_level": "county"}
    statuses = [
        portal.post(url, {**data, "phone": f"202-555-01{n:02d}"}).status_code for n in range(12)
    ]
    assert statuses[:10] == [302] * 10
    assert statuses[10:] == [429, 429]


def test_the_portal_shows_an_invitation_and_the_link_only_once_registered(portal, candidate):
    session = SessionFactory(link="https://meet.example.org/only-for-registered")
    trainings.invite(candidate=candidate, training=session.training, key="portal-test")
    page = portal.get(reverse("portal:home")).content.decode()
    assert session.training.topic in page
    assert "only-for-registered" not in page
    portal.post(reverse("portal:training_register", args=[session.uuid]))
    page = portal.get(reverse("portal:home")).content.decode()
    assert "you are registered" in page
    assert "only-for-registered" in page


def test_a_candidate_cannot_register_for_a_session_they_were_not_invited_to(portal):
    session = SessionFactory()
    response = portal.post(reverse("portal:training_register", args=[session.uuid]))
    assert response.status_code == 404


def test_two_invitations_to_one_session_register_once(portal, candidate):
    session = SessionFactory()
    trainings.invite(candidate=candidate, training=session.training, key="first-call")
    trainings.invite(candidate=candidate, training=session.training, key="second-call")
    response = portal.post(reverse("portal:training_register", args=[session.uuid]))
    assert response.status_code == 302
    assert session.registrations.count() == 1
