import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.models import HelpRequest
from candidates.services.help_requests import ask_question
from mentors.models import MENTOR_INTRO, Mentorship
from mentors.services import (
    MatchRefused,
    confirm_first_contact,
    confirm_match,
    end_mentorship,
    pending_introduction,
)
from rfs.notify.models import Notification
from tests.factories.candidates import CandidateFactory
from tests.factories.mentors import MentorFactory, MentorshipFactory
from tests.support.outbox import delivered

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate():
    return CandidateFactory(first_name="Ada", last_name="Lovelace", stage="screened")


def test_confirming_a_match_creates_the_mentorship_intro_request_and_two_emails(
    candidate, staff, django_capture_on_commit_callbacks
):
    mentor = MentorFactory(name="Mia Mentor")
    with django_capture_on_commit_callbacks() as callbacks:
        mentorship = confirm_match(candidate=candidate, mentor=mentor, by=staff)

    assert mentorship.is_active and mentorship.created_by == staff
    intro = HelpRequest.objects.get(candidate=candidate, kind=MENTOR_INTRO)
    assert intro.owner == mentor.user
    assert intro.first_response_at is None
    emails = {n.to_email: n for n in Notification.objects.filter(ref=candidate.ref)}
    assert set(emails) == {mentor.email, candidate.email}
    assert emails[candidate.email].template == "mentor_intro_candidate"
    assert "/portal/" in delivered(emails[candidate.email]).body
    # A link, not the other person's details.
    assert "Mia" not in delivered(emails[candidate.email]).body
    assert "Ada" not in delivered(emails[mentor.email]).body
    assert len(callbacks) == 2


def test_confirming_the_same_match_twice_changes_nothing(candidate, staff):
    mentor = MentorFactory()
    first = confirm_match(candidate=candidate, mentor=mentor, by=staff)
    second = confirm_match(candidate=candidate, mentor=mentor, by=staff)
    assert first.pk == second.pk
    assert Notification.objects.count() == 2


def test_first_contact_answers_and_resolves_the_introduction(candidate, staff):
    mentor = MentorFactory()
    mentorship = confirm_match(candidate=candidate, mentor=mentor, by=staff)
    confirm_first_contact(mentorship=mentorship, by=mentor.user)
    intro = HelpRequest.objects.get(kind=MENTOR_INTRO)
    assert intro.first_response_at is not None
    assert intro.status == HelpRequest.Status.RESOLVED and intro.resolved_at is not None
    assert pending_introduction(mentorship) is None


def test_changing_mentor_keeps_history_and_hands_open_questions_to_staff(candidate, staff):
    first, second = MentorFactory(name="First One"), MentorFactory(name="Second Two")
    old = confirm_match(candidate=candidate, mentor=first, by=staff)
    question = ask_question(
        candidate=candidate,
        topic="fundraising",
        subject="Money?",
        body="How?",
        by=None,
        owner=first.user,
    )
    assert question.owner == first.user

    new = confirm_match(candidate=candidate, mentor=second, by=staff)

    old.refresh_from_db()
    assert old.ended_at is not None and old.ended_reason == "Changed mentor to Second Two"
    assert new.pk != old.pk and new.is_active
    assert Mentorship.objects.filter(candidate=candidate).count() == 2
    question.refresh_from_db()
    assert question.owner is None  # the staff pool
    old_intro, new_intro = HelpRequest.objects.filter(kind="mentor_intro").order_by("pk")
    # The first introduction is closed unanswered; the new one waits for the new mentor.
    assert old_intro.status == "resolved" and old_intro.first_response_at is None
    assert new_intro.owner == second.user and new_intro.is_open


def test_ending_a_mentorship_keeps_the_row(candidate, staff):
    mentorship = confirm_match(candidate=candidate, mentor=MentorFactory(), by=staff)
    end_mentorship(mentorship=mentorship, by=staff, reason="Candidate withdrew")
    mentorship.refresh_from_db()
    assert mentorship.ended_reason == "Candidate withdrew" and mentorship.ended_at
    assert Mentorship.objects.filter(candidate=candidate).count() == 1
    with pytest.raises(MatchRefused):
        confirm_first_contact(mentorship=mentorship, by=staff)


def test_paused_or_full_mentor_is_refused(candidate, staff):
    with pytest.raises(MatchRefused, match="paused"):
        confirm_match(candidate=candidate, mentor=MentorFactory(is_available=False), by=staff)
    full = MentorFactory(capacity=1)
    MentorshipFactory(mentor=full)
    with pytest.raises(MatchRefused, match="1 of 1"):
        confirm_match(candidate=candidate, mentor=full, by=staff)
    assert not Mentorship.objects.filter(candidate=candidate).exists()


def test_staff_match_through_the_panel(client_for, staff, candidate):
    mentor = MentorFactory(name="Mia Mentor")
    client = client_for(staff)
    url = reverse("mentors:match_confirm", args=[candidate.uuid, mentor.uuid])
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Mia Mentor is now mentoring" in response.content.decode()
    assert Mentorship.objects.get(candidate=candidate).mentor == mentor

    mentorship = Mentorship.objects.get(candidate=candidate)
    end_url = reverse("mentors:mentorship_end", args=[mentorship.uuid])
    response = client.post(end_url, {"reason": ""}, HTTP_HX_REQUEST="true")
    assert "Say why" in response.content.decode()
    response = client.post(end_url, {"reason": "Moved away"}, HTTP_HX_REQUEST="true")
    mentorship.refresh_from_db()
    assert mentorship.ended_reason == "Moved away"
    assert "Earlier mentors" in response.content.decode()


def test_refused_match_shows_the_reason_in_the_panel(client_for, staff, candidate):
    mentor = MentorFactory(is_available=False, name="Pat Paused")
    response = client_for(staff).post(
        reverse("mentors:match_confirm", args=[candidate.uuid, mentor.uuid]),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Pat Paused is paused" in response.content.decode()


def test_mentor_confirms_first_contact_on_their_page(client_for, staff, candidate):
    mentor = MentorFactory()
    mentorship = confirm_match(candidate=candidate, mentor=mentor, by=staff)
    client = client_for(mentor.user)
    page = client.get(reverse("mentors:home")).content.decode()
    assert "I have reached Ada Lovelace" in page
    client.post(reverse("mentors:first_contact", args=[mentorship.uuid]))
    assert HelpRequest.objects.get(kind="mentor_intro").first_response_at is not None
    assert "I have reached" not in client.get(reverse("mentors:home")).content.decode()


def test_a_mentor_cannot_confirm_someone_elses_mentorship(client_for, staff, candidate):
    mentorship = confirm_match(candidate=candidate, mentor=MentorFactory(), by=staff)
    stranger = MentorFactory()
    response = client_for(stranger.user).post(
        reverse("mentors:first_contact", args=[mentorship.uuid])
    )
    assert response.status_code == 404
    assert HelpRequest.objects.get(kind="mentor_intro").first_response_at is None


def test_closed_candidate_cannot_be_matched(staff):
    candidate = CandidateFactory(stage="withdrawn")
    with pytest.raises(MatchRefused):
        confirm_match(candidate=candidate, mentor=MentorFactory(), by=staff, at=timezone.now())
