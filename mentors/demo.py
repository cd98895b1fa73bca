"""Demo mentors for a development machine: about forty operatives over about thirty states,
state leads for most of those states, mentorships for candidates who got through screening,
and twelve weeks of help requests (most answered fast, some late, some still open).

Idempotent: the demo mentors have @mentors.demo.example.org addresses; if any exist, nothing
is added. Works with whatever demo candidates exist (none at all gives mentors only).
"""

import random
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from candidates import request_kinds
from candidates.models import Candidate, HelpRequest, Need, RequestMessage, Stage, StageChange
from candidates.services.help_requests import due_time, load_schedule
from mentors.models import MENTOR_INTRO, ExperienceLevel, Expertise, Mentor, Mentorship, StateLead
from rfs.accounts.models import Role, User

DOMAIN = "mentors.demo.example.org"
SEED = 2027
MENTORS = 39  # plus the demo login mentor@example.org
WEEKS = 12
# Thirty states the demo mentors know; the ones after LEAD_STATES have nobody leading them.
STATES = [
    "PA", "OH", "MI", "GA", "NC", "AZ", "CA", "NY", "TX", "FL", "VA", "CO", "MN", "IL", "WA",
    "MA", "NJ", "MD", "OR", "IA", "MO", "SC", "WI", "NV", "NM", "NH", "TN", "KY", "LA", "ME",
]  # fmt: skip
LEAD_STATES = 22
ADVANCED = [Stage.SCREENED, Stage.ACTIVE, Stage.ON_BALLOT, Stage.ENDORSED, Stage.WON, Stage.LOST]

FIRST = [
    "Alana", "Andrés", "Beatriz", "Caleb", "Dana", "Desmond", "Elena", "Farah", "Gideon", "Hollis",
    "Ines", "Jalen", "Kendra", "Luis", "Marisol", "Nate", "Odalys", "Parker", "Quincy", "Renée",
    "Simone", "Tomás", "Uma", "Vince", "Whitney", "Xiomara", "Yusuf", "Zora", "Bridget", "Cyrus",
    "Delia", "Emmett", "Fiona", "Grant", "Harper", "Isaac", "Joelle", "Kofi", "Lorna",
]  # fmt: skip
LAST = [
    "Abernathy", "Baptiste", "Calloway", "Delgado", "Ellison", "Fairbanks", "Guerrero", "Hale",
    "Iverson", "Jennings", "Kwan", "Lindqvist", "Mbeki", "Navarro", "Oduya", "Prescott", "Quill",
    "Rosales", "Sandoval", "Takahashi", "Underwood", "Valdez", "Whitaker", "Ximenez", "Yoder",
    "Zamora", "Bishop", "Cortez", "Dunbar", "Espinoza", "Fitzgerald", "Grimes", "Holloway",
    "Ibarra", "Juarez", "Keller", "Lozano", "Montoya", "Nakashima",
]  # fmt: skip
ROLES = {
    ExperienceLevel.NATIONAL: [
        "Former presidential campaign field director",
        "Senior adviser on two presidential primaries",
        "National finance director, now a consultant",
    ],
    ExperienceLevel.STATE: [
        "Ran statewide coordinated campaigns",
        "Managed a dozen state legislative races",
        "Former state party executive director",
    ],
    ExperienceLevel.LOCAL: [
        "Field organiser for city and school board races",
        "Managed a successful city council campaign",
        "Digital lead for county races",
    ],
}
QUESTIONS = {
    Need.CAMPAIGN_PLAN: ("Campaign plan", "How far ahead of filing should my plan start?"),
    Need.FUNDRAISING: ("First fundraiser", "How much should I ask friends and family for?"),
    Need.TREASURER: ("Finding a treasurer", "Does my treasurer need any qualifications?"),
    Need.FIELD: ("Door knocking", "How many doors should we knock each weekend?"),
    Need.DIGITAL: ("Social media", "Which platforms matter most for a local race?"),
    Need.POLICY: ("Policy briefings", "Where do I find good briefings on school funding?"),
}
ANSWERS = [
    "Good question. Here is what worked for other first-time candidates; let us talk this week.",
    "Start small and be specific. I have shared a template on email; call me when you read it.",
    "Great that you asked early. Three steps: make a list, set a goal, book the time.",
]


def seed(*, stdout) -> None:
    """Add the demo mentors, leads, mentorships and requests once."""
    if Mentor.objects.filter(email__endswith=f"@{DOMAIN}").exists():
        stdout.write("Demo mentors: already there, nothing added.")
        return
    rng = random.Random(SEED)
    now = timezone.now()
    with transaction.atomic():
        mentors = _mentors(rng, now)
        leads = _leads(rng, mentors, now)
        mentorships = _mentorships(rng, mentors, now)
        requests = _requests(rng, mentorships, now)
    stdout.write(
        f"Demo mentors: {len(mentors)} mentors, {leads} state leads, "
        f"{len(mentorships)} mentorships, {requests} help requests added."
    )


def _login(email: str, name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, name=name, role=Role.MENTOR)
        user.set_unusable_password()  # they log in by emailed code
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _mentors(rng: random.Random, now: datetime) -> list[Mentor]:
    mentors = []
    demo_login = User.objects.filter(email="mentor@example.org").first()
    if demo_login is not None and not Mentor.objects.filter(user=demo_login).exists():
        mentors.append(
            Mentor.objects.create(
                user=demo_login,
                name=demo_login.name or "Morgan Mentor",
                email=demo_login.email,
                bio="Ran field for a presidential primary in Pennsylvania; now coaches "
                "first-time candidates for state and local office.",
                states=["PA", "OH"],
                expertise=[Expertise.CAMPAIGN_PLAN, Expertise.FIELD, Expertise.FUNDRAISING],
                experience_level=ExperienceLevel.NATIONAL,
                languages=["English", "Spanish"],
                capacity=6,
            )
        )
    levels = list(ExperienceLevel)
    for n in range(MENTORS):
        name = f"{FIRST[n]} {LAST[n]}"
        email = f"{FIRST[n].lower()}.{LAST[n].lower()}@{DOMAIN}".replace("é", "e").replace("á", "a")
        level = rng.choices(levels, [55, 35, 10])[0]
        # Each of the thirty states is known by at least one mentor.
        states = sorted({STATES[n % len(STATES)], *rng.sample(STATES, rng.choice([0, 1, 2]))})
        mentors.append(
            Mentor.objects.create(
                user=_login(email, name),
                name=name,
                email=email,
                bio=f"{rng.choice(ROLES[level])}. Has worked races in {', '.join(states)}.",
                states=states,
                expertise=rng.sample(Expertise.values, rng.choice([1, 2, 2, 3])),
                experience_level=level,
                languages=["English", "Spanish"] if rng.random() < 0.2 else ["English"],
                capacity=rng.choice([2, 3, 3, 4, 5]),
                # A few are paused: busy with their own campaigns.
                is_available=rng.random() > 0.1,
            )
        )
    return mentors


def _leads(rng: random.Random, mentors: list[Mentor], now: datetime) -> int:
    taken = set(StateLead.objects.active().values_list("state", flat=True))
    count = 0
    for state in STATES[:LEAD_STATES]:
        if state in taken:
            continue
        knowing = [m for m in mentors if state in m.states] or mentors
        # The demo login leads the first state it knows, so its page shows a lead.
        demo_login = next((m for m in knowing if m.email == "mentor@example.org"), None)
        StateLead.objects.create(
            state=state,
            mentor=demo_login
            if demo_login and state == demo_login.states[0]
            else rng.choice(knowing),
            started_at=now - timedelta(days=rng.randint(30, 300)),
        )
        count += 1
    return count


def _mentorships(rng: random.Random, mentors: list[Mentor], now: datetime) -> list[Mentorship]:
    """Most candidates past screening get a mentor who knows their state if one has room."""
    candidates = list(
        Candidate.objects.filter(stage__in=ADVANCED)
        .exclude(mentorships__isnull=False)
        .order_by("created_at", "pk")
    )
    screened_at = dict(
        StageChange.objects.filter(candidate__in=candidates, to_stage=Stage.SCREENED).values_list(
            "candidate_id", "at"
        )
    )
    load = {m.pk: Mentorship.objects.active().filter(mentor=m).count() for m in mentors}
    demo_mentor = next((m for m in mentors if m.email == "mentor@example.org"), None)
    created = []
    for candidate in candidates:
        if rng.random() > 0.8:
            continue
        room = [m for m in mentors if m.is_available and load[m.pk] < m.capacity]
        if not room:
            break
        local = [m for m in room if candidate.state in m.states]
        # The demo login always has a few mentees to show.
        if demo_mentor in room and (
            candidate.state in demo_mentor.states or load[demo_mentor.pk] < 2
        ):
            mentor = demo_mentor
        else:
            mentor = rng.choice(local or room)
        since = screened_at.get(candidate.pk) or candidate.created_at
        started = min(since + timedelta(days=rng.uniform(1, 10)), now - timedelta(hours=2))
        started = max(started, candidate.created_at)
        created.append(
            Mentorship.objects.create(
                candidate=candidate, mentor=mentor, started_at=started, created_by=None
            )
        )
        load[mentor.pk] += 1
    return created


def _requests(rng: random.Random, mentorships: list[Mentorship], now: datetime) -> int:
    """An introduction per mentorship and questions over the last twelve weeks."""
    schedule = load_schedule()
    count = 0
    for mentorship in mentorships:
        owner = mentorship.mentor.user
        _request(
            rng,
            schedule,
            now,
            candidate=mentorship.candidate,
            kind=MENTOR_INTRO,
            owner=owner,
            opened=mentorship.started_at,
            subject=f"Introduction to {mentorship.mentor.name}",
        )
        count += 1
        start = max(mentorship.started_at, now - timedelta(weeks=WEEKS))
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            opened = start + (now - start) * rng.random()
            need = rng.choice(mentorship.candidate.needs or list(Need.values))
            _request(
                rng,
                schedule,
                now,
                candidate=mentorship.candidate,
                kind=request_kinds.QUESTION,
                owner=owner,
                opened=opened,
                topic=need,
            )
            count += 1
    # Candidates without a mentor ask the staff pool.
    others = list(
        Candidate.objects.filter(stage__in=[*ADVANCED, Stage.SCREENING])
        .exclude(mentorships__isnull=False)
        .order_by("pk")[:60]
    )
    for candidate in rng.sample(others, min(len(others), 25)):
        opened = max(candidate.created_at, now - timedelta(weeks=WEEKS)) + timedelta(
            hours=rng.uniform(1, 24 * 7 * WEEKS)
        )
        if opened >= now:
            continue
        need = rng.choice(candidate.needs or list(Need.values))
        _request(
            rng,
            schedule,
            now,
            candidate=candidate,
            kind=request_kinds.QUESTION,
            owner=None,
            opened=opened,
            topic=need,
        )
        count += 1
    return count


def _response_hours(rng: random.Random) -> float | None:
    """Most answers come fast, some late; a few never came (yet)."""
    roll = rng.random()
    if roll < 0.55:
        return rng.uniform(0.5, 12)
    if roll < 0.8:
        return rng.uniform(12, 44)
    if roll < 0.93:
        return rng.uniform(50, 130)
    return None


def _request(
    rng, schedule, now, *, candidate, kind, owner, opened, subject="", topic=""
) -> HelpRequest:
    due = due_time(kind=kind, opened_at=opened, schedule=schedule)
    hours = _response_hours(rng)
    first = opened + timedelta(hours=hours) if hours is not None else None
    if first is not None and first >= now:
        first = None  # not answered yet
    resolved = None
    if first is not None:
        if kind == MENTOR_INTRO:
            resolved = first
        elif rng.random() < 0.85:
            resolved = min(first + timedelta(hours=rng.uniform(0, 36)), now)
    status = HelpRequest.Status.RESOLVED if resolved else HelpRequest.Status.OPEN
    waiting_since = None
    if first is not None and resolved is None and rng.random() < 0.4:
        status, waiting_since = HelpRequest.Status.WAITING, first

    # Mark the reminders and escalations the sweep would have made, so it sends none now.
    def awaiting(moment: datetime) -> bool:
        if moment > now:
            return False
        if resolved is not None and resolved <= moment:
            return False
        if waiting_since is not None and waiting_since <= moment:
            return False
        return not (kind == MENTOR_INTRO and first and first <= moment)

    remind_at = opened + (due - opened) * 0.75
    if title := QUESTIONS.get(topic):
        subject = subject or title[0]
    request = HelpRequest.objects.create(
        candidate=candidate,
        kind=kind,
        topic=topic,
        subject=subject,
        owner=owner,
        status=status,
        opened_at=opened,
        due_at=due,
        first_response_at=first,
        resolved_at=resolved,
        waiting_since=waiting_since,
        reminded_at=remind_at if awaiting(remind_at) else None,
        escalated_at=due if awaiting(due) else None,
    )
    if kind == request_kinds.QUESTION:
        message = RequestMessage.objects.create(
            help_request=request, author=candidate.user, from_helper=False, body=QUESTIONS[topic][1]
        )
        RequestMessage.objects.filter(pk=message.pk).update(created_at=opened)
        if first is not None:
            answer = RequestMessage.objects.create(
                help_request=request, author=owner, from_helper=True, body=rng.choice(ANSWERS)
            )
            RequestMessage.objects.filter(pk=answer.pk).update(created_at=first)
    return request
