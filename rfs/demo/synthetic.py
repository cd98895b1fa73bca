"""A synthetic organisation of any size, for demos at scale and for the benchmark.

`generate(n=100_000)` makes an organisation that has run for the past twelve months:
candidates across states (weighted by population), office levels and sources, signing up
at a growing rate with a press spike at the launch and a surge after the general election;
their stage histories (every move allowed by candidates.models.ALLOWED_MOVES); screening
claims, contact attempts and calls by volunteer screeners; mentors, state lead operatives
and mentorships; help requests with their answers; the raw submissions.

It tops up rather than duplicates: synthetic records are recognised by their address at
SYNTHETIC_DOMAIN, and a run creates only the candidates (and volunteers, mentors, state
leads) missing to reach `n`; a second run with the same `n` adds nothing.

Rows are written with PostgreSQL COPY in batches, ids reserved from each table's sequence,
so 100,000 candidates take well under three minutes on a small machine. Columns this module
does not set get the model field's default, so new fields with defaults need no change here.
"""

import io
import json
import math
import random
import re
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from candidates import request_kinds
from candidates.geography import STATES
from candidates.models import (
    ALLOWED_MOVES,
    CLOSED_STAGES,
    Candidate,
    HelpRequest,
    Need,
    OfficeLevel,
    Party,
    RequestMessage,
    Source,
    Stage,
    StageChange,
    Submission,
)
from candidates.services.help_requests import response_target
from candidates.services.pipeline import restate_history
from endorsements.apps import FUNDING
from mentors.models import MENTOR_INTRO, ExperienceLevel, Expertise, Mentor, Mentorship, StateLead
from partners.apps import PARTNER_INTRO
from rfs.accounts.models import Role, User
from screening.models import Claim, ContactAttempt, ScreeningCall

SYNTHETIC_DOMAIN = "synthetic.example.org"
DAY = 86400.0
HOUR = 3600.0
# The one state where the organisation pilots endorsements and funding.
PILOT_STATE = "VA"
# How many states have a lead operative (the organisation covers about half the country).
LEAD_STATES = 26

# Population in hundreds of thousands (2020s, rounded): how signups spread over states.
POPULATION = {
    "CA": 390, "TX": 300, "FL": 220, "NY": 196, "PA": 130, "IL": 125, "OH": 118, "GA": 110,
    "NC": 108, "MI": 100, "NJ": 93, "VA": 87, "WA": 78, "AZ": 74, "TN": 71, "MA": 70,
    "IN": 69, "MO": 62, "MD": 62, "WI": 59, "CO": 59, "MN": 57, "SC": 53, "AL": 51, "LA": 46,
    "KY": 45, "OR": 42, "OK": 40, "CT": 36, "UT": 34, "IA": 32, "NV": 32, "AR": 30, "MS": 29,
    "KS": 29, "NM": 21, "NE": 20, "ID": 19, "WV": 18, "HI": 14, "NH": 14, "ME": 14, "MT": 11,
    "RI": 11, "DE": 10, "SD": 9, "ND": 8, "AK": 7, "DC": 7, "VT": 6, "WY": 6, "PR": 32,
    "GU": 2, "VI": 1, "AS": 1, "MP": 1,
}  # fmt: skip
# A real first three ZIP digits in each state, and a few of its cities.
PLACES = {
    "AL": ("352", ["Birmingham", "Montgomery", "Huntsville"]),
    "AK": ("995", ["Anchorage", "Juneau"]),
    "AZ": ("850", ["Phoenix", "Tucson", "Mesa"]),
    "AR": ("722", ["Little Rock", "Fayetteville"]),
    "CA": ("900", ["Los Angeles", "Oakland", "San Diego", "Fresno", "Sacramento"]),
    "CO": ("802", ["Denver", "Aurora", "Pueblo"]),
    "CT": ("061", ["Hartford", "New Haven"]),
    "DE": ("198", ["Wilmington", "Dover"]),
    "DC": ("200", ["Washington"]),
    "FL": ("331", ["Miami", "Orlando", "Tampa", "Jacksonville"]),
    "GA": ("303", ["Atlanta", "Savannah", "Athens"]),
    "HI": ("968", ["Honolulu", "Hilo"]),
    "ID": ("837", ["Boise", "Pocatello"]),
    "IL": ("606", ["Chicago", "Springfield", "Peoria"]),
    "IN": ("462", ["Indianapolis", "Fort Wayne", "Gary"]),
    "IA": ("503", ["Des Moines", "Cedar Rapids"]),
    "KS": ("662", ["Wichita", "Topeka", "Lawrence"]),
    "KY": ("402", ["Louisville", "Lexington"]),
    "LA": ("701", ["New Orleans", "Baton Rouge"]),
    "ME": ("041", ["Portland", "Bangor"]),
    "MD": ("212", ["Baltimore", "Silver Spring"]),
    "MA": ("021", ["Boston", "Worcester", "Springfield"]),
    "MI": ("482", ["Detroit", "Grand Rapids", "Lansing"]),
    "MN": ("554", ["Minneapolis", "Saint Paul", "Duluth"]),
    "MS": ("392", ["Jackson", "Gulfport"]),
    "MO": ("631", ["St. Louis", "Kansas City"]),
    "MT": ("597", ["Billings", "Missoula"]),
    "NE": ("681", ["Omaha", "Lincoln"]),
    "NV": ("891", ["Las Vegas", "Reno"]),
    "NH": ("031", ["Manchester", "Concord"]),
    "NJ": ("071", ["Newark", "Jersey City", "Trenton"]),
    "NM": ("871", ["Albuquerque", "Santa Fe"]),
    "NY": ("112", ["Brooklyn", "Buffalo", "Rochester", "Albany"]),
    "NC": ("277", ["Durham", "Charlotte", "Raleigh"]),
    "ND": ("581", ["Fargo", "Bismarck"]),
    "OH": ("432", ["Columbus", "Cleveland", "Cincinnati"]),
    "OK": ("731", ["Oklahoma City", "Tulsa"]),
    "OR": ("972", ["Portland", "Eugene", "Salem"]),
    "PA": ("191", ["Philadelphia", "Pittsburgh", "Allentown"]),
    "RI": ("029", ["Providence", "Pawtucket"]),
    "SC": ("292", ["Columbia", "Charleston"]),
    "SD": ("571", ["Sioux Falls", "Rapid City"]),
    "TN": ("372", ["Nashville", "Memphis", "Knoxville"]),
    "TX": ("787", ["Austin", "Houston", "San Antonio", "Dallas", "El Paso"]),
    "UT": ("841", ["Salt Lake City", "Provo"]),
    "VT": ("054", ["Burlington", "Montpelier"]),
    "VA": ("232", ["Richmond", "Norfolk", "Arlington"]),
    "WA": ("981", ["Seattle", "Spokane", "Tacoma"]),
    "WV": ("253", ["Charleston", "Morgantown"]),
    "WI": ("532", ["Milwaukee", "Madison"]),
    "WY": ("820", ["Cheyenne", "Casper"]),
    "PR": ("009", ["San Juan", "Ponce"]),
    "GU": ("969", ["Hagåtña"]),
    "VI": ("008", ["Charlotte Amalie"]),
    "AS": ("967", ["Pago Pago"]),
    "MP": ("969", ["Saipan"]),
}
FIRST_NAMES = [
    "Aaliyah", "Abdul", "Ada", "Adrian", "Aisha", "Alejandro", "Alex", "Alicia", "Amara",
    "Amir", "Ana", "Andre", "Angela", "Anh", "Ashley", "Ayesha", "Bao", "Ben", "Bianca",
    "Brandon", "Briana", "Camila", "Carlos", "Carmen", "Chloe", "Chris", "Dakota", "Daniel",
    "Darius", "Deja", "Destiny", "Diego", "Dominique", "Elena", "Eli", "Emily", "Emma",
    "Esperanza", "Ethan", "Fatima", "Gabriel", "Grace", "Hannah", "Hector", "Imani", "Isabel",
    "Jamal", "Jasmine", "Javier", "Jordan", "Jose", "Joy", "Julia", "Kai", "Kayla", "Keisha",
    "Kenji", "Kevin", "Laila", "Lauren", "Leah", "Leo", "Lucia", "Luis", "Malik", "Maria",
    "Marcus", "Maya", "Mei", "Micah", "Miguel", "Mohammed", "Morgan", "Nadia", "Naomi", "Nia",
    "Noah", "Olivia", "Omar", "Priya", "Quinn", "Rafael", "Rashida", "Riley", "Rosa", "Ruth",
    "Samir", "Sara", "Sean", "Sofia", "Tamika", "Taylor", "Thanh", "Tiana", "Tyler", "Valeria",
    "Victor", "Wei", "Xavier", "Yara", "Yusuf", "Zainab", "Zoe",
]  # fmt: skip
LAST_NAMES = [
    "Abbott", "Acosta", "Adams", "Ahmed", "Alvarez", "Anderson", "Baker", "Banks", "Bell",
    "Brooks", "Brown", "Bui", "Campbell", "Carter", "Castillo", "Chen", "Clark", "Cohen",
    "Collins", "Cruz", "Davis", "Diaz", "Dubois", "Edwards", "Evans", "Flores", "Foster",
    "Garcia", "Garza", "Gomez", "Gonzalez", "Green", "Gupta", "Hall", "Harris", "Hernandez",
    "Hill", "Howard", "Hughes", "Jackson", "James", "Jenkins", "Johnson", "Jones", "Kaur",
    "Kim", "King", "Kowalski", "Le", "Lee", "Lewis", "Lopez", "Martin", "Martinez", "Mendoza",
    "Miller", "Mitchell", "Moore", "Morales", "Murphy", "Nguyen", "Okafor", "Ortiz", "Osei",
    "Park", "Patel", "Perez", "Phillips", "Price", "Ramirez", "Reed", "Reyes", "Rivera",
    "Roberts", "Robinson", "Rodriguez", "Rogers", "Ross", "Sanchez", "Santos", "Scott", "Shah",
    "Singh", "Smith", "Stewart", "Sullivan", "Taylor", "Thomas", "Thompson", "Torres", "Tran",
    "Turner", "Walker", "Ward", "Washington", "Watson", "White", "Williams", "Wilson", "Wong",
    "Wright", "Young", "Zhang",
]  # fmt: skip
OFFICES = {
    OfficeLevel.SCHOOL_BOARD: ["School board", "Board of education"],
    OfficeLevel.CITY_COUNCIL: ["City council", "Town council", "Mayor", "Village board"],
    OfficeLevel.COUNTY: ["County commission", "County clerk", "County board"],
    OfficeLevel.JUDICIAL: ["District court judge", "Magistrate", "Justice of the peace"],
    OfficeLevel.STATE_LEGISLATURE: ["State house", "State senate", "State assembly"],
    OfficeLevel.STATEWIDE: ["Attorney general", "Secretary of state", "State treasurer"],
    OfficeLevel.FEDERAL: ["U.S. House"],
    OfficeLevel.OTHER: ["Library board", "Parks board", "Soil and water district"],
}
LEVEL_WEIGHTS = {
    OfficeLevel.SCHOOL_BOARD: 24,
    OfficeLevel.CITY_COUNCIL: 30,
    OfficeLevel.COUNTY: 11,
    OfficeLevel.JUDICIAL: 3,
    OfficeLevel.STATE_LEGISLATURE: 20,
    OfficeLevel.STATEWIDE: 3,
    OfficeLevel.FEDERAL: 3,
    OfficeLevel.OTHER: 6,
}
SOURCE_WEIGHTS = {
    Source.SOCIAL: 30,
    Source.FRIEND: 20,
    Source.PRESS: 14,
    Source.PARTNER: 16,
    Source.SEARCH: 12,
    Source.IMPORT: 3,
    Source.OTHER: 5,
}
PARTY_WEIGHTS = {
    Party.DEMOCRAT: 74,
    Party.INDEPENDENT: 13,
    Party.WORKING_FAMILIES: 4,
    Party.GREEN: 2,
    Party.OTHER: 2,
    Party.NONE: 5,
}
WHY_RUN = [
    "My neighbourhood has had no one speaking for it at these meetings.",
    "Our schools deserve a board that listens to parents and teachers.",
    "Housing costs are pushing my friends out of the town we grew up in.",
    "I organised my building's tenants and want to keep going from inside.",
    "Nobody ran against our incumbent last time. Voters deserve a choice.",
    "I am a nurse and I have seen what our county's health budget cuts do.",
    "Climate change is already flooding our streets; the council must act.",
    "I want young people to see someone like them on the ballot.",
]
QUESTIONS = {
    Need.CAMPAIGN_PLAN: "How do I plan the months before filing?",
    Need.FUNDRAISING: "How much should I raise, and how do I start asking?",
    Need.TREASURER: "Do I need a treasurer before I can take donations?",
    Need.FIELD: "How many doors should we knock on each weekend?",
    Need.DIGITAL: "Which social platforms matter for a local race?",
    Need.POLICY: "Where can I find good briefings on school funding?",
}
ANSWER = "Good question. Here is what has worked for other first-time candidates; let us talk."
GENDERS = ["Woman", "Man", "Non-binary", "", ""]
RACES = ["Black", "Latino/a", "White", "Asian American", "Native American", "Multiracial", ""]


def election_day(year: int) -> datetime:
    """US general election: the Tuesday after the first Monday in November (7 pm Eastern)."""
    first = date(year, 11, 1)
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    tuesday = monday + timedelta(days=1)
    return datetime(
        tuesday.year, tuesday.month, tuesday.day, 19, tzinfo=ZoneInfo("America/New_York")
    )


# --- Writing rows with COPY ---------------------------------------------------------


def _text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        text = value
    elif isinstance(value, float):
        text = datetime.fromtimestamp(value, UTC).isoformat()
    elif isinstance(value, datetime | date):
        text = value.isoformat()
    elif isinstance(value, list):
        text = "{" + ",".join('"' + str(item).replace('"', '\\"') + '"' for item in value) + "}"
    elif isinstance(value, dict):
        text = json.dumps(value)
    else:
        return str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


class Table:
    """Rows for one model, written with COPY. Floats are timestamps (seconds since the epoch);
    columns not given take the field's default (auto_now fields: the time of the run)."""

    def __init__(self, model: type[models.Model], columns: Iterable[str], now: datetime) -> None:
        self.model = model
        self.columns = list(columns)
        fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
        by_name = {f.attname: f for f in fields}
        unknown = set(self.columns) - set(by_name)
        if unknown:
            raise ValueError(f"{model.__name__} has no column {sorted(unknown)}")
        self.static: list[str] = []
        self.dynamic: list[models.Field] = []
        for f in fields:
            if f.attname in self.columns or f.primary_key:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.static.append(_text(now))
            elif f.has_default() and callable(f.default):
                self.dynamic.append(f)
            else:
                self.static.append(_text(f.get_prep_value(f.get_default())))
        rest = [
            f.column
            for f in fields
            if f.attname not in self.columns and not f.primary_key and f not in self.dynamic
        ]
        self.sql_columns = (
            [by_name[name].column for name in self.columns]
            + rest
            + [f.column for f in self.dynamic]
        )
        self.buffer = io.StringIO()
        self.pending = 0
        self.written = 0

    def add(self, *values) -> None:
        parts = [_text(v) for v in values]
        parts.extend(self.static)
        parts.extend(_text(f.get_prep_value(f.get_default())) for f in self.dynamic)
        self.buffer.write("\t".join(parts))
        self.buffer.write("\n")
        self.pending += 1

    def flush(self) -> None:
        if not self.pending:
            return
        self.buffer.seek(0)
        columns = ", ".join(f'"{c}"' for c in self.sql_columns)
        with connection.cursor() as cursor:
            cursor.copy_expert(
                f"COPY {self.model._meta.db_table} ({columns}) FROM STDIN", self.buffer
            )
        self.written += self.pending
        self.buffer = io.StringIO()
        self.pending = 0


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh primary keys from the table's own sequence (safe beside other writers)."""
    if count <= 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


# --- The organisation ----------------------------------------------------------------


@dataclass
class Summary:
    existing: int = 0
    candidates: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def __str__(self) -> str:
        if not self.candidates:
            return f"Synthetic organisation: {self.existing:,} candidates already; nothing added."
        detail = ", ".join(f"{n:,} {name}" for name, n in self.rows.items() if n)
        return (
            f"Synthetic organisation: added {self.candidates:,} candidates "
            f"({self.existing + self.candidates:,} in all) in {self.seconds:.0f} s: {detail}."
        )


def existing_candidates() -> tuple[int, int]:
    """How many synthetic candidates there are, and the highest number in their addresses."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), coalesce(max((regexp_match(email, '(\\d+)@'))[1]::int), 0) "  # noqa: S608 - a constant table name
            f"FROM {Candidate._meta.db_table} WHERE email LIKE %s",
            [f"%@{SYNTHETIC_DOMAIN}"],
        )
        return cursor.fetchone()


@transaction.atomic
def generate(*, n: int, stdout=None, seed: int = 2026, now: datetime | None = None) -> Summary:
    """Top the synthetic organisation up to `n` candidates, with their volunteers, mentors,
    histories, calls and requests over the twelve months before `now`. Adds nothing when
    there are already `n`."""
    started = time.monotonic()
    count, highest = existing_candidates()
    summary = Summary(existing=count)
    if n > count:
        with connection.cursor() as cursor:
            # Foreign keys checked as each round is written, not all at the commit: the queue
            # of deferred checks for millions of rows would grow with `n`.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        world = World(rng=random.Random(f"{seed}:{count}"), now=now or timezone.now(), n=n)
        world.add_people()
        if stdout:
            stdout.write(f"Simulating {n - count:,} candidates over the past year ...\n")
        world.add_candidates(first_number=highest + 1, count=n - count)
        summary.candidates = n - count
        summary.rows = world.written()
        with connection.cursor() as cursor:
            # Fresh statistics, so the planner knows the tables just grew.
            for table in world.tables:
                cursor.execute(f"ANALYZE {table}")
    summary.seconds = time.monotonic() - started
    if stdout:
        stdout.write(f"{summary}\n")
    return summary


# Parents before children: each round of rows is written in this order.
WRITE_ORDER = [
    User,
    Mentor,
    StateLead,
    Candidate,
    Submission,
    StageChange,
    Claim,
    ScreeningCall,
    ContactAttempt,
    HelpRequest,
    RequestMessage,
    Mentorship,
]
# Candidates simulated between two writes (bounds the memory used).
ROUND = 10_000


class World:
    """The simulation: volunteers and mentors first, then each candidate's year."""

    def __init__(self, *, rng: random.Random, now: datetime, n: int) -> None:
        self.rng = rng
        self.now_dt = now
        self.now = now.timestamp()
        self.start = self.now - 365 * DAY
        self.n = n
        self.tables: dict[str, Table] = {}
        self.targets = {}
        for kind in request_kinds.registered():
            amount, clock = response_target(kind.name)
            unit = HOUR if clock == request_kinds.Clock.BUSINESS_HOURS else DAY
            self.targets[kind.name] = amount * unit
        self.unusable_password = make_password(None)
        self.elections = {
            year: election_day(year).timestamp()
            for year in range(now.year - 2, now.year + 4)
            if self.start < election_day(year).timestamp() <= self.now
        }

    def table(self, model: type[models.Model], *columns: str) -> Table:
        """The rows being written to `model`, with these columns (fixed at the first call)."""
        key = model._meta.db_table
        if key not in self.tables:
            self.tables[key] = Table(model, columns, self.now_dt)
        return self.tables[key]

    def write(self) -> None:
        for model in WRITE_ORDER:
            if table := self.tables.get(model._meta.db_table):
                table.flush()

    def written(self) -> dict[str, int]:
        return {
            str(model._meta.verbose_name_plural): self.tables[model._meta.db_table].written
            for model in WRITE_ORDER
            if model._meta.db_table in self.tables
        }

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    # --- Volunteers, staff, mentors, state leads ---

    def _users(self, role: str, prefix: str, target: int) -> list[tuple[int, str]]:
        """The synthetic users of a role, topped up to `target`: [(id, name)]."""
        have = list(
            User.objects.with_role(role)
            .filter(email__startswith=prefix, email__endswith=f"@{SYNTHETIC_DOMAIN}")
            .order_by("pk")
            .values_list("pk", "name")
        )
        users = self.table(
            User, "id", "email", "name", "roles", "password", "is_staff", "date_joined"
        )
        for user_id in reserve_ids(User, target - len(have)):
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
            users.add(
                user_id,
                f"{prefix}{len(have) + 1}@{SYNTHETIC_DOMAIN}",
                name,
                [role],
                self.unusable_password,
                role == Role.STAFF,
                self.start - self.rng.uniform(0, 60 * DAY),
            )
            have.append((user_id, name))
        return have

    def add_people(self) -> None:
        """Staff, volunteer screeners (one per 40 candidates), mentors (one per 50), each with
        a login, and lead operatives for about half the states."""
        rng = self.rng
        self.staff = [pk for pk, _ in self._users(Role.STAFF, "staff", max(2, self.n // 5000))]
        self.screeners = [
            pk for pk, _ in self._users(Role.SCREENER, "screener", max(5, self.n // 40))
        ]
        target = max(5, self.n // 50)
        mentor_users = self._users(Role.MENTOR, "mentor", target)
        mentors = list(
            Mentor.objects.filter(email__endswith=f"@{SYNTHETIC_DOMAIN}").values_list(
                "pk", "user_id", "states"
            )
        )
        taken = {user_id for _, user_id, _ in mentors}
        free = [(pk, name) for pk, name in mentor_users if pk not in taken]
        table = self.table(
            Mentor,
            "id",
            "user_id",
            "name",
            "email",
            "bio",
            "states",
            "expertise",
            "experience_level",
            "languages",
            "capacity",
            "is_available",
        )
        codes, weights = list(POPULATION), list(POPULATION.values())
        levels = list(ExperienceLevel)
        for mentor_id, (user_id, name) in zip(
            reserve_ids(Mentor, min(len(free), target - len(mentors))), free, strict=False
        ):
            states = sorted(set(rng.choices(codes, weights, k=rng.choice([1, 1, 2, 3]))))
            level = rng.choices(levels, [55, 35, 10])[0]
            table.add(
                mentor_id,
                user_id,
                name,
                f"mentor{len(mentors) + 1}@{SYNTHETIC_DOMAIN}",
                f"{level.label}; has worked races in {', '.join(states)}.",
                states,
                rng.sample(Expertise.values, rng.choice([1, 2, 3])),
                level,
                ["English", "Spanish"] if rng.random() < 0.15 else ["English"],
                rng.choice([2, 3, 3, 4, 5, 6]),
                rng.random() < 0.85,
            )
            mentors.append((mentor_id, user_id, states))
        self.mentor_user = {pk: user_id for pk, user_id, _ in mentors}
        self.mentors_by_state: dict[str, list[int]] = {}
        for pk, _, states in mentors:
            for state in states:
                self.mentors_by_state.setdefault(state, []).append(pk)
        self.all_mentors = list(self.mentor_user)
        self._add_state_leads()
        self.write()

    def _add_state_leads(self) -> None:
        """Lead operatives until about half the states have one, the populous ones likelier; a
        state that already has an active lead keeps it."""
        rng = self.rng
        led = set(StateLead.objects.filter(ended_at__isnull=True).values_list("state", flat=True))
        codes = [s.code for s in STATES if not s.territory]
        ranked = sorted(codes, key=lambda code: -POPULATION[code] * rng.random())
        wanted = [code for code in ranked if code not in led][: max(0, LEAD_STATES - len(led))]
        table = self.table(StateLead, "state", "mentor_id", "started_at")
        for code in wanted:
            if self.all_mentors:
                pool = self.mentors_by_state.get(code) or self.all_mentors
                table.add(code, rng.choice(pool), self.start + rng.uniform(0, 200 * DAY))

    # --- Candidates ---

    def _signup_times(self, count: int) -> list[float]:
        """Signup instants: growing over the year, a spike at the launch (after the press
        coverage), a surge after the general election, more in the evening."""
        rng = self.rng
        weights = []
        for day in range(365):
            at = self.start + day * DAY
            weekend = datetime.fromtimestamp(at, UTC).weekday() >= 5
            weight = (0.6 + 1.4 * day / 365) * (0.75 if weekend else 1.0)
            if 10 <= day <= 12:
                weight *= 14
            for election in self.elections.values():
                after = (at - election) / DAY
                if 0 <= after < 10:
                    weight *= 1 + 4 * math.exp(-after / 3)
            weights.append(weight)
        # How far behind the screeners are each day: a spike's backlog takes days to clear.
        mean, carry, self.load = sum(weights) / 365, 1.0, []
        for weight in weights:
            carry = max(weight / mean, carry * 0.8, 1.0)
            self.load.append(carry)
        times = []
        for day in rng.choices(range(365), weights, k=count):
            # An evening peak across the country's zones: about 13:00 to 04:00 UTC.
            at = self.start + day * DAY + (rng.gauss(24.5, 4.0) % 24) * HOUR
            times.append(at if at < self.now - 60 else self.now - rng.uniform(60, 6 * HOUR))
        times.sort()
        return times

    def _election_year(self, signed_up: float) -> int | None:
        if self.rng.random() < 0.05:
            return None
        year = datetime.fromtimestamp(signed_up, UTC).year
        if signed_up > election_day(year).timestamp():
            year += 1
        return year + self.rng.choices([0, 1, 2], [50, 25, 25])[0]

    def add_candidates(self, *, first_number: int, count: int) -> None:
        rng = self.rng
        times = self._signup_times(count)
        codes, state_weights = list(POPULATION), list(POPULATION.values())
        levels, level_weights = list(LEVEL_WEIGHTS), list(LEVEL_WEIGHTS.values())
        sources, source_weights = list(SOURCE_WEIGHTS), list(SOURCE_WEIGHTS.values())
        parties, party_weights = list(PARTY_WEIGHTS), list(PARTY_WEIGHTS.values())
        for offset in range(0, count, ROUND):
            batch = times[offset : offset + ROUND]
            self.request_ids = iter(reserve_ids(HelpRequest, len(batch) * 4))
            self.claim_ids = iter(reserve_ids(Claim, len(batch) * 2))
            self.call_ids = iter(reserve_ids(ScreeningCall, len(batch)))
            candidate_ids = reserve_ids(Candidate, len(batch))
            for candidate_id, signed_up in zip(candidate_ids, batch, strict=True):
                number = first_number + offset
                first_number += 1
                state = rng.choices(codes, state_weights)[0]
                person = Person(
                    world=self,
                    id=candidate_id,
                    state=state,
                    election_year=self._election_year(signed_up),
                    needs=sorted(rng.sample(Need.values, rng.choice([1, 1, 2, 2, 3]))),
                    signed_up=signed_up,
                )
                person.live()
                person.write()
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                level = rng.choices(levels, level_weights)[0]
                source = rng.choices(sources, source_weights)[0]
                zip3, cities = PLACES[state]
                self._write_candidate(
                    person,
                    number=number,
                    first=first,
                    last=last,
                    level=level,
                    source=source,
                    party=rng.choices(parties, party_weights)[0],
                    zip_code=f"{zip3}{rng.randrange(100):02d}",
                    city=rng.choice(cities),
                )
            self.write()
            # The histories' stays and daily counts, as the pipeline keeps them for every move.
            restate_history(candidate_ids=candidate_ids, all_uncounted=True)

    def _write_candidate(self, p: "Person", *, number: int, first: str, last: str, **values):
        rng = self.rng
        level = values["level"]
        email = re.sub(r"[^a-z.]", "", f"{first}.{last}".lower()) + f"{number}@{SYNTHETIC_DOMAIN}"
        self.table(
            Candidate,
            "id",
            "first_name",
            "last_name",
            "pronouns",
            "email",
            "phone",
            "zip_code",
            "state",
            "city",
            "birth_year",
            "office_level",
            "office",
            "district",
            "election_year",
            "has_filed",
            "party",
            "source",
            "why_run",
            "needs",
            "gender",
            "race_ethnicity",
            "lgbtq",
            "consent_at",
            "stage",
            "stage_changed_at",
            "owner_id",
            "created_at",
            "updated_at",
        ).add(
            p.id,
            first,
            last,
            rng.choice(["", "", "she/her", "he/him", "they/them"]),
            email,
            # Valid New York numbers, distinct for the first 8,000,000 synthetic candidates.
            None
            if rng.random() < 0.03
            else f"+1646{200 + (number // 10000) % 800}{number % 10000:04d}",
            values["zip_code"],
            p.state,
            values["city"],
            rng.randrange(1975, 2006),
            level,
            rng.choice(OFFICES[level]),
            rng.choice(["", "At large", f"District {rng.randint(1, 12)}"]),
            p.election_year,
            p.stage in (Stage.ON_BALLOT, Stage.ENDORSED, Stage.WON, Stage.LOST),
            values["party"],
            values["source"],
            rng.choice(WHY_RUN),
            p.needs,
            rng.choice(GENDERS),
            rng.choice(RACES),
            rng.choice(["", "", "no", "no", "yes", "decline"]),
            p.signed_up,
            p.stage,
            p.stage_at,
            p.owner,
            p.signed_up,
            p.stage_at,
        )
        self.table(
            Submission, "uuid", "channel", "received_at", "payload", "outcome", "candidate_id"
        ).add(
            self.uuid(),
            rng.choices(Submission.Channel.values, [85, 3, 12])[0],
            p.signed_up,
            {"email": email, "first_name": first, "last_name": last, "state": p.state},
            Submission.Outcome.CREATED,
            p.id,
        )


@dataclass
class DraftClaim:
    id: int
    screener: int
    claimed_at: float
    released_at: float | None = None
    reason: str = ""
    last_contact_at: float | None = None


@dataclass
class DraftRequest:
    id: int
    kind: str
    opened_at: float
    owner: int | None = None
    topic: str = ""
    subject: str = ""
    answered_at: float | None = None
    resolved_at: float | None = None


@dataclass
class Person:
    """One candidate while their year is simulated: every event stops at `now`, so a
    candidate whose next step lies in the future simply waits where they are."""

    world: World
    id: int
    state: str
    election_year: int | None
    needs: list[str]
    signed_up: float
    stage: str = ""
    stage_at: float = 0.0
    owner: int | None = None
    claims: list[DraftClaim] = field(default_factory=list)
    requests: list[DraftRequest] = field(default_factory=list)
    mentorship: list | None = None

    # --- Events ---

    def move(self, to: str, at: float, by: int | None, reason: str) -> bool:
        """Record a move if it has happened by now; the pipeline must allow it."""
        world = self.world
        if at > world.now or at < self.stage_at:
            return False
        if self.stage and to not in ALLOWED_MOVES[self.stage]:
            raise ValueError(f"synthetic history breaks the pipeline: {self.stage} -> {to}")
        world.table(
            StageChange, "candidate_id", "from_stage", "to_stage", "by_id", "at", "reason"
        ).add(self.id, self.stage, to, by, at, reason)
        self.stage, self.stage_at = to, at
        return True

    def ask(self, kind: str, at: float, owner: int | None = None, topic: str = ""):
        """Open a request, if that has happened by now."""
        if at > self.world.now:
            return None
        request = DraftRequest(next(self.world.request_ids), kind, at, owner, topic)
        if kind == request_kinds.QUESTION:
            request.subject = QUESTIONS[topic]
        self.requests.append(request)
        return request

    def answer(self, request: DraftRequest | None, at: float, resolve: float | None = None):
        if request is None or at > self.world.now:
            return
        if request.answered_at is None:
            request.answered_at = max(at, request.opened_at)
        if resolve is not None and resolve <= self.world.now and request.resolved_at is None:
            request.resolved_at = max(resolve, request.answered_at)

    def release(self, claim: DraftClaim, at: float, reason: str) -> None:
        claim.released_at, claim.reason = at, reason
        self.owner = None

    def attempt(self, claim: DraftClaim, at: float, kind: str, call: int | None = None) -> None:
        self.world.table(
            ContactAttempt,
            "candidate_id",
            "screener_id",
            "claim_id",
            "call_id",
            "at",
            "kind",
            "created_at",
        ).add(self.id, claim.screener, claim.id, call, at, kind, at)
        claim.last_contact_at = at

    def log_call(self, claim: DraftClaim, at: float, outcome: str, minutes: int) -> None:
        world, rng = self.world, self.world.rng
        call_id = next(world.call_ids)
        reached = outcome != ScreeningCall.Outcome.NO_CONTACT
        base = {"advance": 4, "not_yet": 3, "not_a_fit": 2}.get(outcome, 3)
        scores = [max(1, min(5, base + rng.choice([-1, 0, 0, 1]))) for _ in range(5)]
        next_step = {
            "advance": ScreeningCall.NextStep.MENTOR,
            "not_yet": ScreeningCall.NextStep.CHECK_BACK,
            "not_a_fit": ScreeningCall.NextStep.NONE,
        }.get(outcome, ScreeningCall.NextStep.TRY_AGAIN)
        world.table(
            ScreeningCall,
            "id",
            "uuid",
            "candidate_id",
            "screener_id",
            "claim_id",
            "happened_at",
            "duration_minutes",
            "outcome",
            "score_motivation",
            "score_community",
            "score_readiness",
            "score_viability",
            "score_openness",
            "needs",
            "notes",
            "next_step",
            "created_at",
            "updated_at",
        ).add(
            call_id,
            world.uuid(),
            self.id,
            claim.screener,
            claim.id,
            at,
            minutes,
            outcome,
            *(scores if reached else [None] * 5),
            self.needs if reached else [],
            "Talked through the race, the timeline and what help would matter." if reached else "",
            next_step,
            at,
            at,
        )
        self.attempt(claim, at, "answered" if reached else "no_answer", call=call_id)

    # --- The year ---

    def live(self) -> None:
        """Sign up, wait for a screener, get screened; those who advance go on."""
        world, rng = self.world, self.world.rng
        self.move(Stage.SIGNED_UP, self.signed_up, None, "Signed up")
        self.first_contact = self.ask(request_kinds.FIRST_CONTACT, self.signed_up)
        load = world.load[min(364, int((self.signed_up - world.start) // DAY))]
        for round_ in range(2):
            wait = rng.lognormvariate(math.log(16 * HOUR * load**0.8), 0.9)
            screener = rng.choice(world.screeners)
            if not self.move(Stage.SCREENING, self.stage_at + wait, screener, "Claimed"):
                return
            claim = DraftClaim(next(world.claim_ids), screener, self.stage_at)
            self.claims.append(claim)
            self.owner = screener
            # A released candidate is claimed again by someone else, who sees it through.
            outcome = self._screen(claim, may_release=round_ == 0)
            if outcome != "released":
                break
        if outcome == ScreeningCall.Outcome.ADVANCE:
            self._campaign()
        if self.stage in CLOSED_STAGES and self.mentorship and self.mentorship[3] is None:
            ended = self.stage_at + 7 * DAY
            if ended <= world.now:
                self.mentorship[3:5] = [ended, f"Candidate {Stage(self.stage).label.lower()}"]

    def _screen(self, claim: DraftClaim, *, may_release: bool) -> str | None:
        """Tries to reach the candidate, then the call. Returns the outcome, or None while it
        is still under way."""
        world, rng = self.world, self.world.rng
        at = claim.claimed_at + rng.expovariate(1 / (3 * HOUR))
        roll = rng.random()
        if roll < 0.05 and may_release:
            released = at + rng.uniform(1, 2) * DAY
            if released > world.now:
                return None
            self.release(claim, released, Claim.ReleaseReason.RELEASED)
            self.move(Stage.SIGNED_UP, released, claim.screener, "Claim released")
            return "released"
        reachable = roll >= 0.19
        for _ in range(rng.choice([0, 0, 1, 1, 2]) if reachable else 3):
            if at > world.now:
                return None
            self.attempt(claim, at, rng.choice(["no_answer", "voicemail", "emailed"]))
            self.answer(self.first_contact, at)
            at += rng.uniform(1, 2.5) * DAY
        if not reachable:
            if rng.random() < 0.3:
                self.log_call(claim, at - DAY, ScreeningCall.Outcome.NO_CONTACT, 5)
            if at > world.now:
                return None
            self.release(claim, at, Claim.ReleaseReason.UNRESPONSIVE)
            self.answer(self.first_contact, at, resolve=at)
            self.move(Stage.UNRESPONSIVE, at, claim.screener, "No answer after three tries")
            return Stage.UNRESPONSIVE
        if at > world.now:
            return None
        # Reached: a call is booked a day or two later.
        self.attempt(claim, at, "answered")
        self.answer(self.first_contact, at)
        at += rng.lognormvariate(math.log(2 * DAY), 0.7)
        if at > world.now:
            return None
        if rng.random() < 0.05:
            self.release(claim, at, Claim.ReleaseReason.CLOSED)
            self.answer(self.first_contact, at, resolve=at)
            self.move(Stage.WITHDRAWN, at, claim.screener, "Decided not to run this time")
            return Stage.WITHDRAWN
        outcome = rng.choices(list(ScreeningCall.Outcome)[:3], [72, 15, 13])[0]
        minutes = max(10, min(90, int(rng.gauss(33 if outcome == "advance" else 24, 9))))
        self.log_call(claim, at, outcome, minutes)
        self.answer(self.first_contact, at, resolve=at)
        self.release(claim, at, Claim.ReleaseReason.COMPLETED)
        to = {
            ScreeningCall.Outcome.ADVANCE: Stage.SCREENED,
            ScreeningCall.Outcome.NOT_YET: Stage.SIGNED_UP,
            ScreeningCall.Outcome.NOT_A_FIT: Stage.NOT_A_FIT,
        }[outcome]
        self.move(to, at, claim.screener, f"Screening call: {outcome.label.lower()}")
        return outcome

    def _campaign(self) -> None:
        """Onboarding, a mentor, questions, and for this year's races the ballot and the
        result (endorsements only in the pilot state)."""
        world, rng = self.world, self.world.rng
        staff = rng.choice(world.staff)
        at = self.stage_at + rng.lognormvariate(math.log(9 * DAY), 0.6)
        roll = rng.random()
        if roll < 0.1:
            self.move(Stage.WITHDRAWN, at + 20 * DAY, staff, "Withdrew after screening")
            return
        if roll < 0.2 or not self.move(Stage.ACTIVE, at, staff, "Onboarded"):
            return
        self._mentor_and_questions(at)
        election = world.elections.get(self.election_year)
        if election is None:
            if rng.random() < 0.06:
                self.move(Stage.WITHDRAWN, at + rng.uniform(20, 200) * DAY, staff, "Withdrew")
            return
        filing = at + rng.lognormvariate(math.log(25 * DAY), 0.5)
        if filing > election - 60 * DAY or rng.random() < 0.4:
            if rng.random() < 0.2:
                self.move(Stage.WITHDRAWN, filing, staff, "Will run next cycle")
            return
        if not self.move(Stage.ON_BALLOT, filing, staff, "Qualified for the ballot"):
            return
        endorsed = self.state == PILOT_STATE and rng.random() < 0.35
        if endorsed:
            at = min(filing + rng.uniform(10, 40) * DAY, election - DAY)
            if not self.move(Stage.ENDORSED, at, staff, "Endorsed"):
                return
            funding = self.ask(FUNDING, at + 2 * DAY, topic=Need.FUNDRAISING)
            answered = at + 2 * DAY + rng.lognormvariate(math.log(50 * HOUR), 0.6)
            self.answer(funding, answered, resolve=answered + 5 * DAY)
        if rng.random() < 0.04:
            self.move(Stage.WITHDRAWN, election - 10 * DAY, staff, "Withdrew from the race")
            return
        result = election + rng.uniform(0.3, 3) * DAY
        won = rng.random() < (0.55 if endorsed else 0.42)
        moved = self.move(Stage.WON if won else Stage.LOST, result, staff, "Election result")
        if moved and not won and rng.random() < 0.1:
            self.move(Stage.ACTIVE, result + 20 * DAY, staff, "Running again")

    def _mentor_and_questions(self, active_at: float) -> None:
        world, rng = self.world, self.world.rng
        mentor_user = None
        if rng.random() < 0.75 and world.all_mentors:
            intro = self.ask(MENTOR_INTRO, active_at)
            started = active_at + rng.lognormvariate(math.log(1.5 * DAY), 0.7)
            if started <= world.now:
                mentor = rng.choice(world.mentors_by_state.get(self.state) or world.all_mentors)
                self.answer(intro, started, resolve=started + DAY)
                self.mentorship = [self.id, mentor, started, None, "", rng.choice(world.staff)]
                mentor_user = world.mentor_user[mentor]
        for _ in range(rng.choices([0, 1, 2, 3, 4], [25, 30, 25, 12, 8])[0]):
            asked = active_at + rng.uniform(2, 150) * DAY
            request = self.ask(request_kinds.QUESTION, asked, mentor_user, rng.choice(self.needs))
            answered = asked + rng.lognormvariate(math.log(16 * HOUR), 1.0)
            self.answer(request, answered, resolve=answered + rng.uniform(0.5, 5) * DAY)
        if rng.random() < 0.25:
            asked = active_at + rng.uniform(5, 60) * DAY
            request = self.ask(PARTNER_INTRO, asked)
            answered = asked + rng.lognormvariate(math.log(60 * HOUR), 0.7)
            self.answer(request, answered, resolve=answered + 2 * DAY)

    def write(self) -> None:
        """The rows whose final state is known only at the end: claims, requests with their
        messages, the mentorship."""
        world = self.world
        claims = world.table(
            Claim,
            "id",
            "uuid",
            "candidate_id",
            "screener_id",
            "claimed_at",
            "released_at",
            "release_reason",
            "last_contact_at",
        )
        for c in self.claims:
            claims.add(
                c.id,
                world.uuid(),
                self.id,
                c.screener,
                c.claimed_at,
                c.released_at,
                c.reason,
                c.last_contact_at,
            )
        requests = world.table(
            HelpRequest,
            "id",
            "uuid",
            "candidate_id",
            "kind",
            "topic",
            "subject",
            "owner_id",
            "status",
            "opened_at",
            "due_at",
            "first_response_at",
            "resolved_at",
            "answered_by_first_response",
        )
        messages = world.table(
            RequestMessage, "help_request_id", "author_id", "from_helper", "body", "created_at"
        )
        for r in self.requests:
            requests.add(
                r.id,
                world.uuid(),
                self.id,
                r.kind,
                r.topic,
                r.subject,
                r.owner,
                HelpRequest.Status.RESOLVED if r.resolved_at else HelpRequest.Status.OPEN,
                r.opened_at,
                r.opened_at + world.targets[r.kind],
                r.answered_at,
                r.resolved_at,
                request_kinds.get(r.kind).answered_by_first_response,
            )
            if r.kind == request_kinds.QUESTION:
                messages.add(r.id, None, False, r.subject, r.opened_at)
                if r.answered_at:
                    messages.add(r.id, r.owner, True, ANSWER, r.answered_at)
        if self.mentorship:
            world.table(
                Mentorship,
                "candidate_id",
                "mentor_id",
                "started_at",
                "ended_at",
                "ended_reason",
                "created_by_id",
            ).add(*self.mentorship)
