"""The demo's screening: each person's claim, the tries to reach them, and the call that ends
screening (or the giving up on them), through the screening services.

The demo screener (screener@example.org) holds a few of the open claims, with a call booked
for some of them; teammates hold the rest. Past screening, the stage moves are the
services' own: a claim puts the person in screening, a logged call moves them on.
"""

import itertools
import random
from datetime import datetime, time, timedelta

from django.conf import settings

from candidates.models import Stage
from rfs.accounts.models import User
from rfs.demo import trainings
from rfs.demo.people import Person
from rfs.demo.replay import Story
from screening.models import SCORE_FIELDS, ContactAttempt, ScreeningCall
from screening.services.booking import schedule_call
from screening.services.calls import log_call
from screening.services.claims import claim_candidate
from screening.services.contact import log_attempt, mark_unresponsive
from screening.services.zones import candidate_zone

SEED = 4
# The demo screener everyone logs in as holds this many open claims ...
MAIN_SCREENER_CLAIMS = 4
# ... and has reached this many of them, with a call booked in the next days.
BOOKED_CALLS = 2
# Booked calls are at this candidate-local time.
CALL_TIME = time(18, 0)
FAILED = [
    ContactAttempt.Kind.NO_ANSWER,
    ContactAttempt.Kind.VOICEMAIL,
    ContactAttempt.Kind.EMAILED,
]
NEXT_STEPS = {
    ScreeningCall.Outcome.ADVANCE: [
        ScreeningCall.NextStep.MENTOR,
        ScreeningCall.NextStep.TRAINING,
        ScreeningCall.NextStep.PARTNER,
    ],
    ScreeningCall.Outcome.NOT_A_FIT: [ScreeningCall.NextStep.NONE],
}
NOTES = {
    ScreeningCall.Outcome.ADVANCE: [
        "Clear reason to run and a real network; wants help with a budget.",
        "Knows the district well. Filing deadline is in the spring.",
        "Great energy. Needs a treasurer and a first fundraising plan.",
    ],
    ScreeningCall.Outcome.NOT_A_FIT: [
        "Running on a platform at odds with our values.",
        "Wants to run for an office they are not eligible for this cycle.",
    ],
}


def stories(
    rng: random.Random, people: list[Person], *, main: User, team: list[User], until: datetime
) -> list[Story]:
    """The screening of everyone whose path passes through it."""
    everyone = [main, *team]
    held_by_main = 0
    # The open claims go round the team: nobody holds more than the claim cap allows.
    holders = itertools.cycle(team)
    result = []
    for person in people:
        if person.moment(Stage.SCREENING) is None:
            continue
        screener, booked = rng.choice(everyone), False
        if person.target == Stage.SCREENING:
            # Open claims: the demo screener's few, and the rest their teammates'.
            if held_by_main < MAIN_SCREENER_CLAIMS:
                screener, held_by_main = main, held_by_main + 1
                booked = held_by_main <= BOOKED_CALLS
            else:
                screener = next(holders)
        result.append(_screening(rng, person, screener=screener, booked=booked, until=until))
    return result


def _screening(
    rng: random.Random, person: Person, *, screener: User, booked: bool, until: datetime
) -> Story:
    claimed = person.moment(Stage.SCREENING)
    yield claimed
    claim_candidate(candidate=person.candidate, screener=screener)
    left = person.after(Stage.SCREENING)
    if not left:
        yield from _held(rng, person, screener=screener, booked=booked, until=until)
    elif left[0][0] == Stage.UNRESPONSIVE:
        yield from _unreachable(person, screener=screener, since=claimed, until=left[0][1])
    else:
        stage, logged = left[0]
        yield from _call(rng, person, screener=screener, since=claimed, logged=logged, stage=stage)


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + (end - start) * rng.uniform(0.1, 0.9)


def _held(rng: random.Random, person: Person, *, screener: User, booked: bool, until) -> Story:
    """Held now: a try or two since the claim, and for some a call booked for the next days."""
    at = person.moment(Stage.SCREENING)
    for _ in range(rng.randint(1, 2)):
        at = _between(rng, at, until)
        yield at
        log_attempt(candidate=person.candidate, by=screener, kind=rng.choice(FAILED))
    if not booked:
        return
    # Reached a few hours ago: the call is booked for an evening in the next days.
    yield max(at, until - timedelta(hours=rng.uniform(1, 6)))
    log_attempt(candidate=person.candidate, by=screener, kind=ContactAttempt.Kind.ANSWERED)
    zone = candidate_zone(person.candidate)
    day = until.astimezone(zone).date() + timedelta(days=rng.randint(1, 3))
    starts_at = datetime.combine(day, CALL_TIME, tzinfo=zone)
    schedule_call(candidate=person.candidate, by=screener, starts_at=starts_at)


def _unreachable(person: Person, *, screener: User, since: datetime, until: datetime) -> Story:
    """Failed tries spread over the days before giving up, then marked unresponsive."""
    tries = settings.RFS_UNRESPONSIVE_ATTEMPTS
    first, last = since + timedelta(hours=1), until - timedelta(hours=1)
    for n in range(tries):
        yield first + (last - first) * n / max(tries - 1, 1)
        log_attempt(candidate=person.candidate, by=screener, kind=FAILED[n % len(FAILED)])
    yield until
    mark_unresponsive(candidate=person.candidate, by=screener)


def _call(
    rng: random.Random,
    person: Person,
    *,
    screener: User,
    since: datetime,
    logged: datetime,
    stage: str,
) -> Story:
    """Perhaps a missed call first; then the call that reached them, logged soon after."""
    happened = logged - timedelta(hours=rng.uniform(0.5, 3))
    if rng.random() < 0.5:
        yield _between(rng, since, happened)
        log_attempt(candidate=person.candidate, by=screener, kind=rng.choice(FAILED))
    outcome = ScreeningCall.Outcome.ADVANCE
    if stage == Stage.NOT_A_FIT:
        outcome = ScreeningCall.Outcome.NOT_A_FIT
    low, high = (3, 5) if outcome == ScreeningCall.Outcome.ADVANCE else (1, 3)
    needs = person.candidate.needs
    next_step = rng.choice(NEXT_STEPS[outcome])
    yield logged
    log_call(
        candidate=person.candidate,
        by=screener,
        happened_at=happened,
        duration_minutes=rng.choice([20, 25, 30, 30, 35, 40, 45, 60]),
        outcome=outcome,
        scores={field: rng.randint(low, high) for field in SCORE_FIELDS},
        next_step=next_step,
        training_uuid=trainings.pick(rng) if next_step == ScreeningCall.NextStep.TRAINING else None,
        needs=sorted(rng.sample(needs, min(len(needs), 2))),
        notes=rng.choice(NOTES[outcome]),
    )
