import pytest

from tests.factories.accounts import UserFactory
from tests.factories.candidates import CandidateFactory
from tests.factories.mentors import MentorFactory, MentorshipFactory


@pytest.fixture
def candidate_user(db):
    return UserFactory(email="ada@example.org", name="Ada Lovelace", role="candidate")


@pytest.fixture
def candidate(candidate_user):
    return CandidateFactory(
        email="ada@example.org", first_name="Ada", last_name="Lovelace", user=candidate_user
    )


@pytest.fixture
def mentor_profile(mentor):
    return MentorFactory(user=mentor, name=mentor.name, email=mentor.email)


@pytest.fixture
def mentorship(candidate, mentor_profile):
    return MentorshipFactory(candidate=candidate, mentor=mentor_profile)
