import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.models import Need, OfficeLevel
from mentors.models import ExperienceLevel, Expertise
from mentors.services import candidate_needs, rank_mentors
from tests.factories.candidates import CandidateFactory
from tests.factories.mentors import MentorFactory, MentorshipFactory, StateLeadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate():
    return CandidateFactory(
        state="OH",
        office_level=OfficeLevel.STATE_LEGISLATURE,
        needs=[Need.FUNDRAISING, Need.FIELD],
    )


def names(matches):
    return [m.mentor.name for m in matches]


def test_mentors_ranked_by_state_expertise_load_and_experience(candidate):
    lead = MentorFactory(
        name="Lee Lead", states=[], expertise=[Expertise.FUNDRAISING], experience_level="state"
    )
    StateLeadFactory(mentor=lead, state="OH")
    knows_ohio = MentorFactory(
        name="Kim Knows", states=["OH"], expertise=[Expertise.FIELD], experience_level="local"
    )
    covers_all = MentorFactory(
        name="Cam Covers",
        states=["CA"],
        expertise=[Expertise.FUNDRAISING, Expertise.DATA],
        experience_level=ExperienceLevel.NATIONAL,
    )
    MentorFactory(name="Nia Nothing", states=["CA"], expertise=[Expertise.PRESS])

    matches = rank_mentors(candidate=candidate)

    assert names(matches) == ["Lee Lead", "Cam Covers", "Kim Knows", "Nia Nothing"]
    by_name = {m.mentor.name: m for m in matches}
    assert by_name["Lee Lead"].reasons == [
        "Lead operative for Ohio",
        "Covers fundraising",
        "0 of 3 mentees",
        "Experience fits a state legislature race",
    ]
    assert "Knows Ohio" in by_name["Kim Knows"].reasons
    # Field and volunteers is covered by data expertise too.
    assert "Covers fundraising, field and volunteers" in by_name["Cam Covers"].reasons
    assert not any("Experience" in r for r in by_name["Kim Knows"].reasons)
    assert knows_ohio and covers_all


def test_lighter_load_breaks_a_tie(candidate):
    busy = MentorFactory(name="Bo Busy", capacity=4)
    free = MentorFactory(name="Fay Free", capacity=4)
    MentorshipFactory(mentor=busy)
    MentorshipFactory(mentor=busy)
    assert names(rank_mentors(candidate=candidate)) == [free.name, busy.name]
    by_name = {m.mentor.name: m for m in rank_mentors(candidate=candidate)}
    assert "2 of 4 mentees" in by_name["Bo Busy"].reasons


def test_paused_and_full_mentors_never_appear(candidate):
    MentorFactory(name="Pat Paused", is_available=False, states=["OH"])
    full = MentorFactory(name="Fran Full", capacity=1, states=["OH"])
    MentorshipFactory(mentor=full)
    ended = MentorshipFactory(mentor=MentorFactory(name="Ona Open", capacity=1))
    ended.ended_at = timezone.now()
    ended.save()
    assert names(rank_mentors(candidate=candidate)) == ["Ona Open"]


def test_current_mentor_is_not_offered_again(candidate):
    current = MentorFactory(name="Cur Rent", states=["OH"])
    MentorshipFactory(mentor=current, candidate=candidate)
    other = MentorFactory(name="Oth Er")
    assert names(rank_mentors(candidate=candidate)) == [other.name]


def test_needs_found_in_screening_count(candidate, screener):
    candidate.screening_calls.create(
        screener=screener,
        happened_at=timezone.now(),
        duration_minutes=30,
        outcome="advance",
        needs=[Need.POLICY],
    )
    assert candidate_needs(candidate) == [Need.FUNDRAISING, Need.FIELD, Need.POLICY]
    policy = MentorFactory(name="Pol Icy", expertise=[Expertise.POLICY])
    MentorFactory(name="Dee Digital", expertise=[Expertise.DIGITAL])
    matches = rank_mentors(candidate=candidate)
    assert matches[0].mentor == policy
    assert "Covers policy" in matches[0].reasons


def test_panel_lists_ranked_mentors_for_staff(
    client_for, staff, candidate, django_assert_num_queries
):
    for n in range(5):
        MentorFactory(name=f"Mentor {n}", states=["OH"])
    StateLeadFactory(mentor=MentorFactory(name="Lee Lead"), state="OH")
    client = client_for(staff)
    url = reverse("mentors:match_panel", args=[candidate.uuid])
    client.get(url)  # warm the session
    # user, candidate, current mentorship, needs from screening, mentors, history
    # (the session comes from the cache): the same however many mentors there are.
    with django_assert_num_queries(6):
        response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("Lee Lead") < body.index("Mentor 0")
    assert "Lead operative for Ohio" in body


@pytest.mark.parametrize("persona", ["screener", "mentor", "outsider"])
def test_panel_is_for_staff_only(request, client_for, candidate, persona):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(reverse("mentors:match_panel", args=[candidate.uuid]))
    assert response.status_code == 403


def test_panel_for_anonymous_redirects_to_login(client, candidate):
    response = client.get(reverse("mentors:match_panel", args=[candidate.uuid]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_spanish_speaking_candidate_gets_the_spanish_speaking_mentor_first(candidate):
    candidate.language = "es"
    candidate.save(update_fields=["language"])
    # Equal in every other way; alphabetically, the English-only mentor would come first.
    MentorFactory(name="Ann English", states=["OH"], languages=["English"])
    MentorFactory(name="Zoe Bilingual", states=["OH"], languages=["English", "español"])

    matches = rank_mentors(candidate=candidate)

    assert names(matches) == ["Zoe Bilingual", "Ann English"]
    assert "Speaks Spanish" in matches[0].reasons
    assert not any("Speaks" in reason for reason in matches[1].reasons)


def test_a_spanish_speaker_ranks_first_only_among_equals(candidate):
    candidate.language = "es"
    candidate.save(update_fields=["language"])
    MentorFactory(name="Ohio Expert", states=["OH"], languages=["English"])
    MentorFactory(name="Far Speaker", states=["CA"], languages=["Spanish"])

    assert names(rank_mentors(candidate=candidate)) == ["Ohio Expert", "Far Speaker"]


def test_an_english_candidates_suggestions_are_unchanged(candidate):
    MentorFactory(name="Ann English", states=["OH"], languages=["English"])
    MentorFactory(name="Bea Unstated", states=["OH"], languages=[])
    MentorFactory(name="Zoe Bilingual", states=["OH"], languages=["English", "Spanish"])

    matches = rank_mentors(candidate=candidate)

    assert names(matches) == ["Ann English", "Bea Unstated", "Zoe Bilingual"]
    assert not any("Speaks" in reason for match in matches for reason in match.reasons)


def test_the_match_panel_shows_the_shared_language(client_for, staff, candidate):
    candidate.language = "es"
    candidate.save(update_fields=["language"])
    MentorFactory(name="Zoe Bilingual", states=["OH"], languages=["Spanish"])

    page = client_for(staff).get(reverse("mentors:match_panel", args=[candidate.uuid]))

    assert "Speaks Spanish" in page.content.decode()
