import factory
from django.utils import timezone

from mentors.models import (
    ExperienceLevel,
    Expertise,
    Mentor,
    MentorApplication,
    Mentorship,
    StateLead,
)
from rfs.accounts.models import Role
from tests.factories.accounts import UserFactory
from tests.factories.candidates import CandidateFactory


class MentorFactory(factory.django.DjangoModelFactory):
    """An available mentor with a login (pass user=None for one without)."""

    class Meta:
        model = Mentor

    name = factory.Faker("name")
    user = factory.SubFactory(UserFactory, role=Role.MENTOR, name=factory.SelfAttribute("..name"))
    email = factory.LazyAttributeSequence(
        lambda m, n: m.user.email if m.user else f"mentor{n}@example.org"
    )
    bio = "Organised field programmes for ten years."
    states = factory.LazyFunction(lambda: ["DC"])
    expertise = factory.LazyFunction(lambda: [Expertise.FIELD])
    experience_level = ExperienceLevel.LOCAL
    languages = factory.LazyFunction(lambda: ["English"])
    capacity = 3
    is_available = True


class StateLeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StateLead

    mentor = factory.SubFactory(MentorFactory)
    state = "DC"
    started_at = factory.LazyFunction(timezone.now)


class MentorshipFactory(factory.django.DjangoModelFactory):
    """A current mentorship (no introduction request: use mentors.services.confirm_match
    for the whole use-case)."""

    class Meta:
        model = Mentorship

    candidate = factory.SubFactory(CandidateFactory)
    mentor = factory.SubFactory(MentorFactory)
    started_at = factory.LazyFunction(timezone.now)


class MentorApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorApplication

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"mentor-applicant{n}@example.com")
    expertise = factory.LazyFunction(lambda: [Expertise.FUNDRAISING])
    experience_level = ExperienceLevel.STATE
    states = factory.LazyFunction(lambda: ["PA"])
    capacity = 3
    languages = factory.LazyFunction(lambda: ["English"])
    bio = "Finance director on state campaigns."
