from datetime import timedelta

import factory
from django.utils import timezone

from candidates import request_kinds
from candidates.models import Candidate
from candidates.services.help_requests import open_request
from rfs.accounts.models import Role
from screening.models import ScreeningCall, VolunteerApplication
from tests.factories.accounts import UserFactory
from tests.factories.candidates import CandidateFactory


def waiting_candidate(*, signed_up_ago: timedelta = timedelta(days=1), **fields) -> Candidate:
    """A candidate who signed up `signed_up_ago` and waits for first contact, with their
    open first-contact request, as intake leaves them."""
    candidate = CandidateFactory(**fields)
    signed_up = timezone.now() - signed_up_ago
    Candidate.objects.filter(pk=candidate.pk).update(created_at=signed_up)
    candidate.created_at = signed_up
    open_request(candidate=candidate, kind=request_kinds.FIRST_CONTACT, at=signed_up)
    return candidate


class ScreenerFactory(UserFactory):
    class Params:
        role = Role.SCREENER


class ScreeningCallFactory(factory.django.DjangoModelFactory):
    """A logged call, written directly (no stage move, no email): for reports and pages."""

    class Meta:
        model = ScreeningCall

    candidate = factory.SubFactory(CandidateFactory)
    screener = factory.SubFactory(ScreenerFactory)
    happened_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    duration_minutes = 30
    outcome = ScreeningCall.Outcome.ADVANCE
    score_motivation = 4
    score_community = 3
    score_readiness = 4
    score_viability = 3
    score_openness = 5
    next_step = ScreeningCall.NextStep.MENTOR


class VolunteerApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerApplication

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"volunteer{n}@example.com")
    phone = "+14045550123"
    state = "GA"
    time_zone = "America/New_York"
    hours_per_week = 4
    languages = factory.LazyFunction(lambda: ["English"])
    experience = "Phone banking."
