"""Demo candidates for a development machine: a few hundred people across states, stages and
office levels, with histories that walk the pipeline the way real ones do.

Idempotent: the demo people all have @demo.example.org addresses; if any exist, nothing
is added. A fixed random seed makes every machine's demo the same.
"""

import itertools
import random
import unicodedata
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from candidates import request_kinds
from candidates.models import (
    PIPELINE,
    Candidate,
    HelpRequest,
    Lgbtq,
    Need,
    Note,
    OfficeLevel,
    Party,
    Source,
    Stage,
    StageChange,
    Submission,
)
from candidates.services.help_requests import response_target
from candidates.services.pipeline import can_move
from rfs.accounts.models import Role, User

DOMAIN = "demo.example.org"
COUNT = 300
SEED = 2026
DAYS_BACK = 180

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
REASONS = {
    Stage.SCREENING: "Claimed for a screening call",
    Stage.SCREENED: "Screening call: ready to advance",
    Stage.ACTIVE: "Matched with a mentor; campaign plan under way",
    Stage.ON_BALLOT: "Qualified for the ballot",
    Stage.ENDORSED: "Endorsed after review",
    Stage.WON: "Won the election",
    Stage.LOST: "Lost the election; wants to stay involved",
    Stage.NOT_A_FIT: "Screening call: not the right race this cycle",
    Stage.UNRESPONSIVE: "No answer after three calls and two emails",
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


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum()) or "person"


def _path(rng: random.Random, target: str) -> list[str]:
    """The stages a person walked through to reach `target`, starting at signed_up."""
    main = list(PIPELINE[:-1])  # signed_up .. endorsed; won is reached from the ballot
    if target in main:
        return main[: main.index(target) + 1]
    if target in (Stage.WON, Stage.LOST):
        ballot = main[: main.index(Stage.ON_BALLOT) + 1]
        return ballot + ([Stage.ENDORSED] if rng.random() < 0.5 else []) + [target]
    # An exit, taken from an open stage where that exit is common.
    exits_from = {
        Stage.NOT_A_FIT: [Stage.SCREENING, Stage.SCREENED],
        Stage.UNRESPONSIVE: [Stage.SIGNED_UP, Stage.SCREENING],
        Stage.WITHDRAWN: [Stage.SCREENED, Stage.ACTIVE, Stage.ON_BALLOT],
    }[target]
    left_at = rng.choice(exits_from)
    return [*main[: main.index(left_at) + 1], target]


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


def seed(*, stdout) -> None:
    """Add the demo candidates once; a second run adds nothing."""
    if Candidate.objects.filter(email__endswith=f"@{DOMAIN}").exists():
        stdout.write("Demo candidates: already there.")
        return
    rng = random.Random(SEED)
    staff = User.objects.filter(role=Role.STAFF).order_by("pk").first()
    now = timezone.now()
    with transaction.atomic():
        people = _create_candidates(rng, now)
        _create_histories(rng, people, staff, now)
    stdout.write(f"Demo candidates: {len(people)} added, with their histories.")


def _create_candidates(
    rng: random.Random, now: datetime
) -> list[tuple[Candidate, list[str], datetime]]:
    """The people, each with the stages they walked through and when they signed up."""
    people = []
    for i in range(COUNT):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        state, city, zip_code, area = rng.choice(PLACES)
        level = _weighted(rng, LEVELS)
        target = _weighted(rng, TARGETS)
        path = _path(rng, target)
        # People still waiting for a first call signed up lately: the queue is worked.
        days_back = rng.uniform(0.2, 10) if path == [Stage.SIGNED_UP] else rng.uniform(1, DAYS_BACK)
        created = now - timedelta(days=days_back, minutes=rng.randint(0, 1439))
        candidate = Candidate(
            first_name=first,
            last_name=last,
            preferred_name=NICKNAMES.get(first, "") if rng.random() < 0.5 else "",
            pronouns=rng.choice(["", "she/her", "he/him", "they/them"]),
            email=f"{_ascii(first)}.{_ascii(last)}.{i}@{DOMAIN}",
            # 555-0100 to 555-0199 are reserved for fiction; one block per area code.
            phone=f"+1{area}5550{100 + i % 100:03d}" if i < 100 else f"+1{area}555{1000 + i}",
            zip_code=zip_code,
            state=state,
            city=city,
            birth_year=rng.randint(1984, now.year - 19),
            office_level=level,
            office=OFFICES[level].format(city=city),
            district=rng.choice(
                ["", f"District {rng.randint(1, 12)}", f"Ward {rng.randint(1, 9)}"]
            ),
            election_year=rng.choice([now.year, now.year + 1, now.year + 1, now.year + 2]),
            has_filed=path[-1] not in (Stage.SIGNED_UP, Stage.SCREENING) and rng.random() < 0.6,
            party=_weighted(rng, [(Party.DEMOCRAT, 70), (Party.INDEPENDENT, 20), ("", 10)]),
            source=_weighted(
                rng,
                [
                    (Source.PRESS, 30),
                    (Source.SOCIAL, 30),
                    (Source.FRIEND, 20),
                    (Source.PARTNER, 12),
                    (Source.SEARCH, 8),
                ],
            ),
            why_run=rng.choice(WHY),
            needs=sorted(rng.sample(list(Need.values), rng.randint(1, 3))),
            gender=rng.choice(["", "", "Woman", "Man", "Non-binary"]),
            race_ethnicity=rng.choice(["", "", "Latina", "Black", "Asian American", "White"]),
            lgbtq=rng.choice(["", "", Lgbtq.NO, Lgbtq.YES, Lgbtq.DECLINE]),
            consent_at=created,
            stage=path[-1],
        )
        people.append((candidate, path, created))
    Candidate.objects.bulk_create([candidate for candidate, _, _ in people])
    return people


def _create_histories(
    rng: random.Random, people: list[tuple[Candidate, list[str], datetime]], staff, now: datetime
) -> None:
    changes, submissions, requests, notes = [], [], [], []
    response_hours, _ = response_target(request_kinds.FIRST_CONTACT)
    for candidate, path, created in people:
        # Inserting set the signup time to now; the demo's people signed up in the past.
        candidate.created_at = created
        times = _times(rng, created, now, len(path) - 1)
        changes.append(
            StageChange(
                candidate=candidate, from_stage="", to_stage=path[0], at=created, reason="Signed up"
            )
        )
        for (before, after), at in zip(itertools.pairwise(path), times, strict=True):
            # The demo follows the same rules as the pipeline's domain function.
            if not can_move(before, after):
                raise ValueError(f"the pipeline does not allow {before} → {after}")
            changes.append(
                StageChange(
                    candidate=candidate,
                    from_stage=before,
                    to_stage=after,
                    by=staff,
                    at=at,
                    reason=REASONS[after],
                )
            )
        candidate.stage_changed_at = times[-1] if times else created
        submissions.append(
            Submission(
                candidate=candidate,
                channel=Submission.Channel.FORM,
                outcome=Submission.Outcome.CREATED,
                payload={
                    "first_name": candidate.first_name,
                    "last_name": candidate.last_name,
                    "email": candidate.email,
                    "city": candidate.city,
                    "state": candidate.state,
                    "office_level": candidate.office_level,
                    "why_run": candidate.why_run,
                    "needs": candidate.needs,
                },
                user_agent="demo",
            )
        )
        requests.append(_first_contact(rng, candidate, times, now, response_hours))
        if rng.random() < 0.15 and staff is not None:
            note = Note(candidate=candidate, author=staff, body=rng.choice(NOTES))
            notes.append((note, created + (now - created) * rng.uniform(0.2, 0.95)))
    StageChange.objects.bulk_create(changes)
    HelpRequest.objects.bulk_create(requests)
    # created_at and received_at are set on insert; give them the demo's past times.
    Submission.objects.bulk_create(submissions)
    for submission, (_, _, created) in zip(submissions, people, strict=True):
        submission.received_at = created
    Submission.objects.bulk_update(submissions, ["received_at"])
    Note.objects.bulk_create([note for note, _ in notes])
    for note, at in notes:
        note.created_at = at
    Note.objects.bulk_update([note for note, _ in notes], ["created_at"])
    Candidate.objects.bulk_update(
        [candidate for candidate, _, _ in people], ["created_at", "stage_changed_at"]
    )


def _first_contact(
    rng: random.Random, candidate: Candidate, times: list[datetime], now: datetime, hours: int
) -> HelpRequest:
    """The signup's first-contact request: answered when screening began, or still open
    (a few answered by a first call already)."""
    opened = candidate.created_at
    request = HelpRequest(
        candidate=candidate,
        kind=request_kinds.FIRST_CONTACT,
        answered_by_first_response=True,
        opened_at=opened,
        due_at=opened + timedelta(hours=hours),
    )
    if times:
        answered = min(times[0], opened + timedelta(hours=rng.uniform(2, 120)))
        request.first_response_at = answered
        request.resolved_at = max(answered, times[0])
        request.status = HelpRequest.Status.RESOLVED
    elif rng.random() < 0.3:
        answered = opened + timedelta(hours=rng.uniform(2, 60))
        if answered < now:
            request.first_response_at = answered
    if request.first_response_at is None:
        # What the request sweep would already have done, so a new demo does not
        # start by sending staff a pile of escalations.
        remind_at = opened + (request.due_at - opened) * settings.RFS_REQUEST_REMINDER_SHARE
        request.reminded_at = remind_at if remind_at < now else None
        request.escalated_at = request.due_at if request.due_at < now else None
    return request
