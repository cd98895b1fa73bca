import pytest
from django.urls import reverse

from candidates.models import HelpRequest
from candidates.services.help_requests import ask_question, open_request
from tests.factories.accounts import UserFactory
from tests.factories.candidates import CandidateFactory
from tests.factories.mentors import MentorFactory, MentorshipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(candidate, candidate_user, mentorship, mentor):
    return ask_question(
        candidate=candidate,
        topic="field",
        subject="Doors",
        body="How many?",
        by=candidate_user,
        owner=mentor,
    )


@pytest.fixture
def someone_elses_question():
    other_user = UserFactory(role="candidate")
    other = CandidateFactory(user=other_user)
    return ask_question(
        candidate=other, topic="policy", subject="Other", body="Not yours", by=other_user
    )


def urls(request):
    return {
        name: reverse(f"candidates:{name}", args=[request.uuid])
        for name in ("request", "request_reply", "request_resolve", "request_reopen")
    }


def test_candidate_sees_their_own_request(client_for, candidate_user, question):
    response = client_for(candidate_user).get(question.get_absolute_url())
    assert response.status_code == 200
    assert "How many?" in response.content.decode()


def test_another_candidates_request_is_404(client_for, candidate_user, someone_elses_question):
    client = client_for(candidate_user)
    for name, url in urls(someone_elses_question).items():
        response = client.get(url) if name == "request" else client.post(url, {"body": "hi"})
        assert response.status_code == 404, name
    assert someone_elses_question.messages.count() == 1


def test_mentor_sees_only_the_requests_they_own(
    client_for, mentor, candidate, question, someone_elses_question
):
    staffs_question = ask_question(
        candidate=candidate, topic="policy", subject="Pool", body="For staff", by=None
    )
    client = client_for(mentor)
    assert client.get(question.get_absolute_url()).status_code == 200
    assert client.get(someone_elses_question.get_absolute_url()).status_code == 404
    # Their own mentee's request for the staff pool is not theirs to see.
    assert client.get(staffs_question.get_absolute_url()).status_code == 404


def test_a_former_mentor_loses_access(client_for, question, mentorship, mentor):
    from mentors.services import end_mentorship

    end_mentorship(mentorship=mentorship, by=None, reason="Changed")
    assert client_for(mentor).get(question.get_absolute_url()).status_code == 404


def test_another_mentor_gets_404(client_for, question):
    stranger = MentorFactory()
    MentorshipFactory(mentor=stranger)
    assert client_for(stranger.user).get(question.get_absolute_url()).status_code == 404


def test_staff_see_every_request(client_for, staff, question, someone_elses_question):
    client = client_for(staff)
    assert client.get(question.get_absolute_url()).status_code == 200
    assert client.get(someone_elses_question.get_absolute_url()).status_code == 200


def test_a_screener_sees_the_requests_they_own_not_others_of_the_candidates_they_hold(
    client_for, screener, other_screener, candidate, question
):
    candidate.owner = screener
    candidate.save()
    theirs = open_request(candidate=candidate, kind="question", owner=screener)
    assert client_for(screener).get(question.get_absolute_url()).status_code == 404
    assert client_for(screener).get(theirs.get_absolute_url()).status_code == 200
    assert client_for(other_screener).get(theirs.get_absolute_url()).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, question):
    response = client.get(question.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_candidate_cannot_use_helper_actions(client_for, candidate_user, question):
    client = client_for(candidate_user)
    client.post(
        reverse("candidates:request_reply", args=[question.uuid]),
        {"body": "Me again", "action": "wait"},
    )
    question.refresh_from_db()
    assert question.status == HelpRequest.Status.OPEN
    take = reverse("candidates:request_take", args=[question.uuid])
    assert client.post(take).status_code == 403


@pytest.mark.parametrize("persona", ["candidate_user", "mentor", "screener"])
def test_staff_pages_are_staff_only(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("candidates:request_settings")).status_code == 403


@pytest.mark.parametrize("persona", ["candidate_user", "screener"])
def test_the_request_list_is_for_staff_and_mentors(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("candidates:requests")).status_code == 403


def test_mentor_cannot_reopen(client_for, mentor, question):
    response = client_for(mentor).post(reverse("candidates:request_reopen", args=[question.uuid]))
    assert response.status_code == 403


def test_staff_take_a_request(client_for, staff, question, mentor):
    assert question.owner == mentor
    client_for(staff).post(reverse("candidates:request_take", args=[question.uuid]))
    question.refresh_from_db()
    assert question.owner == staff
