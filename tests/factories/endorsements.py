import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from candidates.models import OfficeLevel
from endorsements.models import (
    Application,
    Candidacy,
    ContributionLimit,
    Election,
    ElectionKind,
    EndorsementClass,
    Office,
    Question,
)
from tests.factories.candidates import CandidateFactory


class ElectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Election

    state = "VA"
    kind = ElectionKind.PRIMARY
    date = factory.Sequence(lambda n: dt.date(timezone.now().year + 1, 6, 1) + dt.timedelta(days=n))
    cycle = factory.LazyAttribute(lambda e: e.date.year)


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    division_id = factory.Sequence(lambda n: f"ocd-division/country:us/state:va/sldl:{n + 1}")
    name = "Virginia House of Delegates"
    district = factory.Sequence(lambda n: f"District {n + 1}")
    level = OfficeLevel.STATE_LEGISLATURE


class CandidacyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidacy

    candidate = factory.SubFactory(CandidateFactory, state="VA", stage="active")
    office = factory.SubFactory(OfficeFactory)
    election = factory.SubFactory(ElectionFactory)
    status = Candidacy.Status.QUALIFIED


class EndorsementClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EndorsementClass
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Class {n}")
    cycle = factory.LazyFunction(lambda: timezone.now().year + 1)
    deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))

    @factory.post_generation
    def elections(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.elections.set(extracted)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    endorsement_class = factory.SubFactory(EndorsementClassFactory)
    text = factory.Sequence(lambda n: f"Question {n}?")


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application made directly (no help request, no email): for review and money tests."""

    class Meta:
        model = Application

    candidacy = factory.SubFactory(CandidacyFactory)
    endorsement_class = factory.SubFactory(EndorsementClassFactory)
    submitted_at = factory.LazyFunction(timezone.now)
    story = "I grew up here and want to fix the schools."
    campaign_url = "https://example.org/campaign"
    publish_consent = True


class ContributionLimitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContributionLimit

    state = "VA"
    office_level = OfficeLevel.STATE_LEGISLATURE
    election_kind = ElectionKind.PRIMARY
    amount = Decimal("1000.00")
    source = "Test limit"
