"""The demo's trainings: three topics with sessions in the coming weeks, set up when the
organisation starts; screeners invite people to them, and some register."""

import random
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from trainings import services
from trainings.models import Invitation, Training

SEED = 11
TOPICS = [
    ("Campaign basics", "From filing to election day: what a first campaign takes."),
    ("Fundraising 101", "Your first budget, your first ask, and finding a treasurer."),
    ("Knocking on doors", "Field: lists, scripts and turning a conversation into a vote."),
]
FACILITATORS = ["Dana Whitfield", "Luis Ortega", "Priya Raman"]
ZONE = "America/New_York"


def roster(*, start: datetime, until: datetime) -> Iterator[datetime]:
    """The trainings, each with sessions one, two and three weeks after `until`, at 7pm."""
    yield start
    zone = ZoneInfo(ZONE)
    for n, (topic, description) in enumerate(TOPICS):
        training = services.create_training(topic=topic, description=description)
        for week in (1, 2, 3):
            day = (until.astimezone(zone) + timedelta(days=7 * week + n)).date()
            services.add_session(
                training=training,
                starts_at=datetime.combine(day, time(19, 0), tzinfo=zone),
                time_zone=ZONE,
                capacity=[3, 25, 40][week - 1],
                link=f"https://meet.example.org/{topic.lower().replace(' ', '-')}-{week}",
                facilitator=FACILITATORS[n],
            )


def pick(rng: random.Random):
    """A training's public id for a screener's "invite to a training"."""
    return rng.choice(list(Training.objects.order_by("pk").values_list("uuid", flat=True)))


def registrations(rng: random.Random, *, until: datetime) -> Iterator[datetime]:
    """Shortly before now, about half of the people invited register."""
    yield until - timedelta(hours=2)
    now = timezone.now()
    invited = Invitation.objects.filter(withdrawn_at__isnull=True, session__isnull=False)
    for invitation in invited.select_related("session", "candidate").order_by("pk"):
        if rng.random() < 0.5 and invitation.session.starts_at > now:
            services.register(session=invitation.session, candidate=invitation.candidate)
