from datetime import timedelta

import factory
from django.utils import timezone

from trainings.models import Session, Training


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training

    topic = factory.Sequence(lambda n: f"Campaign basics {n}")
    description = "How a first campaign works, from filing to election day."


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    training = factory.SubFactory(TrainingFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    time_zone = "America/New_York"
    capacity = 20
    link = "https://meet.example.org/campaign-basics"
    facilitator = "Dana Facilitator"
