import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from candidates.geography import COVERAGE_CODES
from mentors.models import StateLead
from mentors.services import coverage, end_state_lead, make_state_lead
from tests.factories.candidates import CandidateFactory
from tests.factories.mentors import MentorFactory, MentorshipFactory, StateLeadFactory

pytestmark = pytest.mark.django_db


def test_coverage_counts_states_with_an_active_lead():
    StateLeadFactory(state="OH")
    StateLeadFactory(state="DC")
    ended = StateLeadFactory(state="TX")
    end_state_lead(lead=ended)
    StateLeadFactory(state="PR")  # a territory: not among the 50 states and DC

    figures = coverage()

    assert figures["total"] == len(COVERAGE_CODES) == 51
    assert figures["covered"] == 2
    assert len(figures["uncovered"]) == 49
    assert "TX" in {s["code"] for s in figures["uncovered"]}


def test_uncovered_states_list_waiting_candidates_most_first():
    CandidateFactory(state="TX")
    CandidateFactory(state="TX")
    CandidateFactory(state="TX", stage="withdrawn")  # closed: not waiting
    MentorshipFactory(candidate=CandidateFactory(state="TX"))  # has a mentor: not waiting
    CandidateFactory(state="GA")

    uncovered = coverage()["uncovered"]

    assert [(s["code"], s["waiting"]) for s in uncovered[:2]] == [("TX", 2), ("GA", 1)]


def test_naming_a_new_lead_ends_the_previous_term():
    first, second = MentorFactory(), MentorFactory()
    old = make_state_lead(mentor=first, state="OH")
    again = make_state_lead(mentor=first, state="OH")
    assert again.pk == old.pk
    new = make_state_lead(mentor=second, state="OH")
    old.refresh_from_db()
    assert old.ended_at is not None and new.ended_at is None
    assert StateLead.objects.filter(state="OH").count() == 2


def test_database_allows_one_active_lead_per_state():
    StateLeadFactory(state="OH")
    with pytest.raises(IntegrityError), transaction.atomic():
        StateLead.objects.create(mentor=MentorFactory(), state="OH", started_at=timezone.now())


def test_coverage_page(client_for, staff, django_assert_num_queries):
    StateLeadFactory(state="OH", mentor=MentorFactory(name="Ohio Lead"))
    CandidateFactory(state="TX")
    client = client_for(staff)
    client.get(reverse("mentors:coverage"))  # the first request writes the session
    # user, the leads with their mentors, waiting candidates per state
    with django_assert_num_queries(3):
        response = client.get(reverse("mentors:coverage"))
    body = response.content.decode()
    assert "<strong>1</strong> of 51 states" in body
    assert "Ohio Lead" in body
    assert "Texas" in body


def test_staff_name_and_end_a_lead_on_the_mentor_page(client_for, staff):
    mentor = MentorFactory()
    client = client_for(staff)
    client.post(reverse("mentors:lead_add", args=[mentor.uuid]), {"state": "GA"})
    lead = StateLead.objects.get(mentor=mentor)
    assert lead.state == "GA" and lead.ended_at is None
    client.post(reverse("mentors:lead_end", args=[mentor.uuid, "GA"]))
    lead.refresh_from_db()
    assert lead.ended_at is not None
    response = client.post(reverse("mentors:lead_add", args=[mentor.uuid]), {"state": "XX"})
    assert response.status_code == 302
    assert StateLead.objects.count() == 1


def test_coverage_is_for_staff_only(client_for, mentor):
    assert client_for(mentor).get(reverse("mentors:coverage")).status_code == 403
