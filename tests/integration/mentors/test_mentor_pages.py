import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from mentors.models import Mentor
from tests.factories.mentors import MentorFactory, MentorshipFactory, StateLeadFactory

pytestmark = pytest.mark.django_db


def test_mentor_edits_their_own_profile(client_for):
    mentor = MentorFactory(name="Mia Mentor", capacity=2)
    client = client_for(mentor.user)
    response = client.get(reverse("mentors:profile_edit"))
    assert response.status_code == 200
    response = client.post(
        reverse("mentors:profile_edit"),
        {
            "name": "Mia M. Mentor",
            "bio": "Field director, two cycles.",
            "states": ["OH", "PA"],
            "expertise": ["field", "data"],
            "experience_level": "state",
            "languages": "English, Spanish",
            "capacity": "4",
            "is_available": "",
        },
    )
    assert response.status_code == 302
    mentor.refresh_from_db()
    assert mentor.states == ["OH", "PA"]
    assert mentor.expertise == ["field", "data"]
    assert mentor.languages == ["English", "Spanish"]
    assert mentor.capacity == 4 and mentor.is_available is False
    mentor.user.refresh_from_db()
    assert mentor.user.name == "Mia M. Mentor"


def test_bad_profile_input_is_shown_beside_the_field(client_for):
    mentor = MentorFactory()
    response = client_for(mentor.user).post(
        reverse("mentors:profile_edit"),
        {"name": "", "capacity": "-1", "states": ["ZZ"], "experience_level": "local"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "This field is required." in body
    assert "Select a valid choice. ZZ" in body


def test_mentor_pauses_and_resumes(client_for):
    mentor = MentorFactory()
    client = client_for(mentor.user)
    client.post(reverse("mentors:availability"), {"available": "0"})
    mentor.refresh_from_db()
    assert not mentor.is_available
    client.post(reverse("mentors:availability"), {"available": "1"})
    mentor.refresh_from_db()
    assert mentor.is_available


def test_mentor_home_lists_only_their_mentees(client_for):
    mentor, other = MentorFactory(), MentorFactory()
    mine = MentorshipFactory(mentor=mentor, candidate__first_name="Mine")
    MentorshipFactory(mentor=other, candidate__first_name="Theirs")
    body = client_for(mentor.user).get(reverse("mentors:home")).content.decode()
    assert mine.candidate.display_name in body
    assert "Theirs" not in body


@pytest.mark.parametrize("name", ["mentors:list", "mentors:create", "mentors:coverage"])
def test_mentors_cannot_use_staff_pages(client_for, mentor, name):
    assert client_for(mentor).get(reverse(name)).status_code == 403


def test_mentor_cannot_open_another_mentors_profile(client_for):
    mentor, other = MentorFactory(), MentorFactory()
    client = client_for(mentor.user)
    assert client.get(reverse("mentors:detail", args=[other.uuid])).status_code == 403
    assert client.get(reverse("mentors:edit", args=[other.uuid])).status_code == 403


def test_staff_directory_filters_and_counts_queries(client_for, staff, django_assert_num_queries):
    for n in range(6):
        MentorFactory(name=f"Ohio {n}", states=["OH"], expertise=["fundraising"])
    texan = MentorFactory(name="Tex Lead", states=[])
    StateLeadFactory(mentor=texan, state="TX")
    MentorFactory(name="Paused Pat", states=["TX"], is_available=False)
    client = client_for(staff)
    client.get(reverse("mentors:list"))
    # user, count, page of mentors, their current leads: however many mentors
    with django_assert_num_queries(4):
        response = client.get(reverse("mentors:list"))
    assert response.content.decode().count("Ohio ") == 6

    body = client.get(reverse("mentors:list"), {"state": "TX"}).content.decode()
    assert "Tex Lead" in body and "Paused Pat" in body and "Ohio 1" not in body
    body = client.get(
        reverse("mentors:list"), {"state": "TX", "availability": "open"}
    ).content.decode()
    assert "Tex Lead" in body and "Paused Pat" not in body
    body = client.get(reverse("mentors:list"), {"expertise": "fundraising"}).content.decode()
    assert "Ohio 3" in body and "Tex Lead" not in body
    assert client.get(reverse("mentors:list"), {"state": "nope"}).status_code == 200


def test_staff_add_a_mentor_who_logs_in_by_code(client_for, staff):
    response = client_for(staff).post(
        reverse("mentors:create"),
        {
            "name": "Nora New",
            "email": "Nora@Example.org",
            "bio": "",
            "states": ["NV"],
            "expertise": ["press"],
            "experience_level": "national",
            "languages": "English",
            "capacity": "3",
            "is_available": "on",
        },
    )
    mentor = Mentor.objects.get(email="nora@example.org")
    assert response.status_code == 302 and response["Location"] == mentor.get_absolute_url()
    assert mentor.user.roles == ["mentor"]
    assert not mentor.user.has_usable_password()
    assert EmailAddress.objects.get(user=mentor.user).verified


def test_staff_edit_refuses_a_duplicate_email(client_for, staff):
    MentorFactory(email="taken@example.org", user=None, name="Taken")
    mentor = MentorFactory()
    response = client_for(staff).post(
        reverse("mentors:edit", args=[mentor.uuid]),
        {
            "name": mentor.name,
            "email": "TAKEN@example.org",
            "experience_level": "local",
            "capacity": 2,
        },
    )
    assert response.status_code == 200
    assert "Another mentor has this email." in response.content.decode()


def test_staff_mentor_page(client_for, staff):
    mentor = MentorFactory(name="Dee Tail")
    StateLeadFactory(mentor=mentor, state="NM")
    MentorshipFactory(mentor=mentor, candidate__first_name="Menty")
    body = client_for(staff).get(mentor.get_absolute_url()).content.decode()
    assert "Dee Tail" in body and "New Mexico" in body and "Menty" in body


def test_mentor_home_query_count_does_not_grow_with_mentees(client_for, django_assert_num_queries):
    from candidates.services.help_requests import ask_question

    mentor = MentorFactory(capacity=10)
    for _ in range(4):
        mentorship = MentorshipFactory(mentor=mentor)
        ask_question(
            candidate=mentorship.candidate,
            topic="field",
            subject="Doors",
            body="?",
            by=None,
            owner=mentor.user,
        )
    client = client_for(mentor.user)
    client.get(reverse("mentors:home"))
    # user, onboarding done, profile, mentorships, open introductions, questions, earlier
    # mentees
    with django_assert_num_queries(7):
        response = client.get(reverse("mentors:home"))
    assert response.content.decode().count(">Doors</a>") == 4


def test_changing_a_mentors_email_moves_their_login(client_for, staff):
    mentor = MentorFactory(name="Moe Ving", email="old@example.org", user__email="old@example.org")
    client_for(staff).post(
        reverse("mentors:edit", args=[mentor.uuid]),
        {
            "name": "Moe Ving",
            "email": "new@example.org",
            "experience_level": "local",
            "capacity": 2,
        },
    )
    mentor.user.refresh_from_db()
    assert mentor.user.email == "new@example.org"
    assert EmailAddress.objects.get(user=mentor.user).email == "new@example.org"


def test_a_mentor_email_cannot_take_a_candidates_login(client_for, staff, outsider):
    response = client_for(staff).post(
        reverse("mentors:create"),
        {"name": "X", "email": outsider.email, "experience_level": "local", "capacity": 2},
    )
    assert "belongs to another person" in response.content.decode()
    assert not Mentor.objects.exists()
