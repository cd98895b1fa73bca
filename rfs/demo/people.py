"""The demo's people: a few hundred would-be candidates across states, stages and office
levels over the last six months, each with a planned path through the pipeline.

Everyone signs up through the public signup form and intake; the screening services take
them through screening (rfs.demo.screening); staff move them on from there with the
pipeline's move_stage. A fixed random seed makes every machine's demo the same.
"""

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings

from candidates import request_kinds
from candidates.forms.intake import SignupForm
from candidates.models import (
    Candidate,
    HelpRequest,
    Lgbtq,
    Need,
    OfficeLevel,
    Party,
    Source,
    Stage,
    Submission,
)
from candidates.services.help_requests import post_reply
from candidates.services.intake import resolve_submission
from candidates.services.pipeline import move_stage
from candidates.services.records import add_note
from rfs.accounts.models import User
from rfs.demo.replay import Story

DOMAIN = "demo.example.org"
COUNT = 300
SEED = 2026
DAYS_BACK = 180
USER_AGENT = "demo"
WELCOME = (
    "Thanks for signing up! A volunteer will call you this week to hear about your race. "
    "Reply here if there is a time that suits you best."
)

FIRST_NAMES = [
    "Aaliyah", "Adrián", "Aisha", "Alejandro", "Amara", "Ana", "Andre", "Anh", "Ayesha",
    "Benjamin", "Camila", "Chloé", "Daniel", "Darnell", "Deja", "Diego", "Elif", "Emily",
    "Esperanza", "Fatima", "Gabriel", "Grace", "Hana", "Hiroshi", "Imani", "Isabella", "Jamal",
    "Jasmine", "Javier", "Jordan", "José", "Kai", "Keisha", "Kenji", "Layla", "Leilani", "Liam",
    "Lucía", "Malik", "María", "Maya", "Mei", "Mohammed", "Nadia", "Naomi", "Nia", "Noah",
    "Olivia", "Omar", "Priya", "Rafael", "Rosa", "Samir", "Sofia", "Tariq", "Thu", "Tyler",
    "Valentina", "Wei", "Xochitl", "Yara", "Zainab", "Zoë",
]  # fmt: skip
LAST_NAMES = [
    "Abdi", "Acosta", "Adeyemi", "Ahmed", "Alvarez", "Begay", "Brooks", "Castillo", "Chen",
    "Cruz", "Díaz", "Dubois", "Evans", "Flores", "García", "Goldberg", "Gonzalez", "Haddad",
    "Harris", "Hernández", "Ibrahim", "Jackson", "Johnson", "Kaur", "Kim", "Kowalski", "Lee",
    "López", "Martin", "Mendoza", "Morales", "Nakamura", "Nguyen", "O'Brien", "Okafor",
    "Ortiz", "Patel", "Peña", "Ramírez", "Reyes", "Rivera", "Robinson", "Rodríguez", "Shah",
    "Silva", "Smith", "Suleiman", "Tanaka", "Thompson", "Torres", "Tran", "Washington",
    "Williams", "Wright", "Yazzie", "Young", "Zhang",
]  # fmt: skip
NICKNAMES = {
    "Alejandro": "Alex",
    "Benjamin": "Ben",
    "Daniel": "Danny",
    "Gabriel": "Gabe",
    "Isabella": "Bella",
    "Jasmine": "Jaz",
    "Mohammed": "Mo",
    "Valentina": "Vale",
}
# (state, city, ZIP code, area code)
PLACES = [
    ("AZ", "Phoenix", "85004", "602"),
    ("AZ", "Tucson", "85701", "520"),
    ("CA", "Oakland", "94612", "510"),
    ("CA", "Fresno", "93721", "559"),
    ("CA", "Los Angeles", "90012", "213"),
    ("CO", "Aurora", "80012", "303"),
    ("FL", "Orlando", "32801", "407"),
    ("FL", "Tampa", "33602", "813"),
    ("GA", "Atlanta", "30303", "404"),
    ("GA", "Savannah", "31401", "912"),
    ("IL", "Chicago", "60601", "312"),
    ("MI", "Detroit", "48226", "313"),
    ("MI", "Grand Rapids", "49503", "616"),
    ("MN", "Minneapolis", "55401", "612"),
    ("NC", "Durham", "27701", "919"),
    ("NC", "Charlotte", "28202", "704"),
    ("NV", "Las Vegas", "89101", "702"),
    ("NY", "Buffalo", "14202", "716"),
    ("NY", "Brooklyn", "11201", "718"),
    ("OH", "Columbus", "43215", "614"),
    ("PA", "Pittsburgh", "15222", "412"),
    ("PA", "Philadelphia", "19107", "215"),
    ("TX", "Austin", "78701", "512"),
    ("TX", "El Paso", "79901", "915"),
    ("TX", "Houston", "77002", "713"),
    ("VA", "Richmond", "23219", "804"),
    ("WA", "Tacoma", "98402", "253"),
    ("WI", "Milwaukee", "53202", "414"),
    ("NM", "Albuquerque", "87102", "505"),
    ("NH", "Manchester", "03101", "603"),
]
LEVELS = [
    (OfficeLevel.SCHOOL_BOARD, 26),
    (OfficeLevel.CITY_COUNCIL, 30),
    (OfficeLevel.COUNTY, 12),
    (OfficeLevel.JUDICIAL, 3),
    (OfficeLevel.STATE_LEGISLATURE, 18),
    (OfficeLevel.STATEWIDE, 3),
    (OfficeLevel.FEDERAL, 3),
    (OfficeLevel.OTHER, 5),
]
OFFICES = {
    OfficeLevel.SCHOOL_BOARD: "{city} School Board",
    OfficeLevel.CITY_COUNCIL: "{city} City Council",
    OfficeLevel.COUNTY: "County Commission",
    OfficeLevel.JUDICIAL: "Municipal Court Judge",
    OfficeLevel.STATE_LEGISLATURE: "State House",
    OfficeLevel.STATEWIDE: "Secretary of State",
    OfficeLevel.FEDERAL: "U.S. House of Representatives",
    OfficeLevel.OTHER: "{city} Water Board",
}
# Where each demo person is now.
TARGETS = [
    (Stage.SIGNED_UP, 24),
    (Stage.SCREENING, 12),
    (Stage.SCREENED, 12),
    (Stage.ACTIVE, 15),
    (Stage.ON_BALLOT, 8),
    (Stage.ENDORSED, 4),
    (Stage.WON, 3),
    (Stage.LOST, 3),
    (Stage.NOT_A_FIT, 8),
    (Stage.UNRESPONSIVE, 8),
    (Stage.WITHDRAWN, 3),
]
# Why staff moved someone on after screening.
REASONS = {
    Stage.ACTIVE: "Onboarded; campaign plan under way",
    Stage.ON_BALLOT: "Qualified for the ballot",
    Stage.ENDORSED: "Endorsed after review",
    Stage.WON: "Won the election",
    Stage.LOST: "Lost the election; wants to stay involved",
    Stage.NOT_A_FIT: "Not the right race this cycle",
    Stage.WITHDRAWN: "Decided not to run this cycle",
}
WHY = [
    "The schools in my neighbourhood are underfunded and nobody on the board lives here.",
    "Rents have doubled in five years. I want a council that listens to tenants.",
    "I organised our mutual aid network in 2020 and people keep asking me to run.",
    "Our county has not had a contested race in twelve years.",
    "I am a nurse and I have seen what bad health policy does to families.",
    "Young people are a third of this district and none of us are in the room.",
    "I want transit that works for people who do not own a car.",
]
NOTES = [
    "Strong local network: ran the PTA fundraiser two years in a row.",
    "Prefers texts before calls; works nights.",
    "Asked about treasurer requirements in their state; sent the compliance guide.",
    "Filing deadline is in the spring; follow up in January.",
    "Great call. Clear about why they are running, needs help with a budget.",
    "Introduced to the state's partner organisation for field training.",
]


@dataclass
class Person:
    """One demo person: the signup form as they fill it in, and the stages they will walk
    through, each with its moment (the first is signing up)."""

    index: int
    posted: dict[str, Any]
    path: list[tuple[str, datetime]]
    # Staff answer some signups by email before any screener calls (a first response).
    welcome_at: datetime | None = None
    note: tuple[datetime, str] | None = None
    candidate: Candidate | None = field(default=None, repr=False)

    @property
    def signed_up(self) -> datetime:
        return self.path[0][1]

    @property
    def target(self) -> str:
        return self.path[-1][0]

    def moment(self, stage: str) -> datetime | None:
        """When the person reaches `stage`, or None if their path does not pass it."""
        return next((at for reached, at in self.path if reached == stage), None)

    def after(self, stage: str) -> list[tuple[str, datetime]]:
        """The rest of the path once `stage` is reached (empty if it never is)."""
        stages = [reached for reached, _ in self.path]
        return self.path[stages.index(stage) + 1 :] if stage in stages else []


def plan(rng: random.Random, *, now: datetime) -> list[Person]:
    """The demo people in signup order, each with their path up to `now`."""
    people = []
    for index in range(COUNT):
        target = _weighted(rng, TARGETS)
        # People waiting for a call, or being screened now, signed up lately (the queue is
        # worked); those further along at least two weeks ago, so screening fits before now.
        if target == Stage.SIGNED_UP:
            days_back = rng.uniform(0.2, 10)
        elif target == Stage.SCREENING:
            days_back = rng.uniform(1, 12)
        else:
            days_back = rng.uniform(15, DAYS_BACK)
        signed_up = now - timedelta(days=days_back, minutes=rng.randint(0, 1439))
        person = Person(
            index=index,
            posted=_posted(rng, index, target=target, year=now.year),
            path=_path(rng, target, signed_up=signed_up, now=now),
        )
        if target == Stage.SIGNED_UP and rng.random() < 0.3:
            person.welcome_at = signed_up + timedelta(hours=rng.uniform(2, 60))
        if rng.random() < 0.15:
            person.note = (
                signed_up + (now - signed_up) * rng.uniform(0.2, 0.95),
                rng.choice(NOTES),
            )
        people.append(person)
    return sorted(people, key=lambda person: person.signed_up)


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum()) or "person"


def _posted(rng: random.Random, i: int, *, target: str, year: int) -> dict[str, Any]:
    """The signup form as this person fills it in."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    state, city, zip_code, area = rng.choice(PLACES)
    level = _weighted(rng, LEVELS)
    posted = {
        "first_name": first,
        "last_name": last,
        "preferred_name": NICKNAMES.get(first, "") if rng.random() < 0.5 else "",
        "pronouns": rng.choice(["", "she/her", "he/him", "they/them"]),
        "email": f"{_ascii(first)}.{_ascii(last)}.{i}@{DOMAIN}",
        # 555-0100 to 555-0199 are reserved for fiction; one block per area code.
        "phone": f"+1{area}5550{100 + i % 100:03d}" if i < 100 else f"+1{area}555{1000 + i}",
        "zip_code": zip_code,
        "state": state,
        "city": city,
        "birth_year": str(rng.randint(1984, year - 19)),
        "office_level": level,
        "office": OFFICES[level].format(city=city),
        "district": rng.choice(["", f"District {rng.randint(1, 12)}", f"Ward {rng.randint(1, 9)}"]),
        "election_year": str(rng.choice([year, year + 1, year + 1, year + 2])),
        "party": _weighted(rng, [(Party.DEMOCRAT, 70), (Party.INDEPENDENT, 20), ("", 10)]),
        "source": _weighted(
            rng,
            [
                (Source.PRESS, 30),
                (Source.SOCIAL, 30),
                (Source.FRIEND, 20),
                (Source.PARTNER, 12),
                (Source.SEARCH, 8),
            ],
        ),
        "why_run": rng.choice(WHY),
        "needs": sorted(rng.sample(list(Need.values), rng.randint(1, 3))),
        "gender": rng.choice(["", "", "Woman", "Man", "Non-binary"]),
        "race_ethnicity": rng.choice(["", "", "Latina", "Black", "Asian American", "White"]),
        "lgbtq": rng.choice(["", "", Lgbtq.NO, Lgbtq.YES, Lgbtq.DECLINE]),
        "consent": "on",
    }
    if target not in (Stage.SIGNED_UP, Stage.SCREENING) and rng.random() < 0.6:
        posted["has_filed"] = "on"
    return posted


def _path(
    rng: random.Random, target: str, *, signed_up: datetime, now: datetime
) -> list[tuple[str, datetime]]:
    """The stages a person walks through to reach `target`, each with its moment. Screening
    begins with a claim; a call ends it (screened, or not a fit), or enough failed tries
    (unresponsive); staff move them on after that."""
    path = [(Stage.SIGNED_UP, signed_up)]
    if target == Stage.SIGNED_UP:
        return path
    if target == Stage.SCREENING:
        return [*path, (Stage.SCREENING, signed_up + (now - signed_up) * rng.uniform(0.2, 0.7))]
    claimed = signed_up + timedelta(hours=rng.uniform(2, 96))
    path.append((Stage.SCREENING, claimed))
    if target == Stage.UNRESPONSIVE:
        # Tried over more than the days the screening services ask for before giving up.
        days = settings.RFS_UNRESPONSIVE_DAYS + rng.uniform(1, 3)
        return [*path, (Stage.UNRESPONSIVE, claimed + timedelta(days=days))]
    called = claimed + timedelta(days=rng.uniform(1, 5))
    if target == Stage.NOT_A_FIT and rng.random() < 0.5:
        return [*path, (Stage.NOT_A_FIT, called)]
    path.append((Stage.SCREENED, called))
    later = _after_screening(rng, target)
    return path + list(zip(later, _times(rng, called, now, len(later)), strict=True))


def _after_screening(rng: random.Random, target: str) -> list[str]:
    """The stages after screened on the way to `target`."""
    campaign = [Stage.ACTIVE, Stage.ON_BALLOT, Stage.ENDORSED]
    if target in campaign:
        return campaign[: campaign.index(target) + 1]
    if target in (Stage.WON, Stage.LOST):
        endorsed = [Stage.ENDORSED] if rng.random() < 0.5 else []
        return [Stage.ACTIVE, Stage.ON_BALLOT, *endorsed, target]
    if target == Stage.WITHDRAWN:
        return [*campaign[: rng.randint(0, 2)], Stage.WITHDRAWN]
    return [target] if target == Stage.NOT_A_FIT else []


def _times(rng: random.Random, start: datetime, end: datetime, moves: int) -> list[datetime]:
    """`moves` increasing times between start and end, spaced like real follow-ups."""
    gaps = [rng.uniform(0.5, 14) for _ in range(moves)]
    span_days = (end - start).total_seconds() / 86400 * 0.9
    scale = min(1.0, span_days / sum(gaps)) if gaps else 1.0
    times, at = [], start
    for gap in gaps:
        at = at + timedelta(days=gap * scale)
        times.append(at)
    return times


# --- Their stories, through the services ---------------------------------------------


def sign_up(person: Person) -> Story:
    """Post the signup form and resolve it, as the public signup page does."""
    yield person.signed_up
    form = SignupForm(data=person.posted)
    if not form.is_valid():
        raise ValueError(f"demo signup {person.index} is refused: {form.errors.as_text()}")
    submission = resolve_submission(
        data=form.cleaned_data,
        channel=Submission.Channel.FORM,
        payload=person.posted,
        user_agent=USER_AGENT,
    )
    person.candidate = submission.candidate
    # One person in five prefers Spanish, as they would choosing it on the signup page.
    if person.index % 5 == 2:
        Candidate.objects.filter(pk=person.candidate.pk).update(language="es")
        person.candidate.language = "es"


def staff_moves(person: Person, *, by: User) -> Story:
    """After screening, staff move the person on: onboarding, the ballot, the result, or an
    exit."""
    for stage, at in person.after(Stage.SCREENED):
        yield at
        move_stage(candidate=person.candidate, to=stage, by=by, reason=REASONS[stage])


def welcome(person: Person, *, by: User) -> Story:
    """Staff answer the signup by email before a screener gets to it."""
    if person.welcome_at is None:
        return
    yield person.welcome_at
    signup = HelpRequest.objects.get(candidate=person.candidate, kind=request_kinds.FIRST_CONTACT)
    post_reply(help_request=signup, author=by, body=WELCOME)


def note(person: Person, *, by: User) -> Story:
    """A staff note on the person's timeline."""
    if person.note is None:
        return
    at, body = person.note
    yield at
    add_note(candidate=person.candidate, author=by, body=body)
