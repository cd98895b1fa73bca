"""The demo's mentors: about forty operatives over about thirty states, state leads for most
of those states, and mentorships for people who got through screening, with their
introductions and twelve weeks of questions (most answered fast, some late, some still open).

Mentors and leads are made with the mentors services; staff match each mentee to one of the
mentors rank_mentors puts first, and the questions go through the help-request services, so
the service routes each one (to the mentor, or to the staff pool) and records its emails.
"""

import random
from datetime import datetime, timedelta

from candidates.models import Candidate, Need, Stage
from candidates.services.help_requests import ask_question, post_reply, resolve_request
from mentors.models import ExperienceLevel, Expertise, Mentor, StateLead
from mentors.services import (
    confirm_first_contact,
    confirm_match,
    create_mentor,
    make_state_lead,
    rank_mentors,
)
from rfs.accounts.models import User
from rfs.demo.people import Person
from rfs.demo.replay import Story
from rfs.portal.services import mentor_login

DOMAIN = "mentors.demo.example.org"
DEMO_MENTOR = "mentor@example.org"
# The demo's staff member who also mentors (rfs.demo.logins).
DEMO_STAFF_MENTOR = "dana@example.org"
SEED = 2027
MENTEES_SEED = 2028
MENTORS = 39  # plus the demo login mentor@example.org
WEEKS = 12
# The roster is older than the demo's first signup and the longest state lead's term.
ROSTER_DAYS = 300
# Thirty states the demo mentors know; the ones after LEAD_STATES have nobody leading them.
STATES = [
    "PA", "OH", "MI", "GA", "NC", "AZ", "CA", "NY", "TX", "FL", "VA", "CO", "MN", "IL", "WA",
    "MA", "NJ", "MD", "OR", "IA", "MO", "SC", "WI", "NV", "NM", "NH", "TN", "KY", "LA", "ME",
]  # fmt: skip
LEAD_STATES = 22
ADVANCED = [Stage.SCREENED, Stage.ACTIVE, Stage.ON_BALLOT, Stage.ENDORSED, Stage.WON, Stage.LOST]
# Of the people past screening without a mentor, the earliest this many may ask the staff pool,
# and this many of them do.
POOL_FROM, POOL_QUESTIONS = 60, 25

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


# --- The roster ---------------------------------------------------------------------------


def roster(rng: random.Random, *, until: datetime) -> Story:
    """The mentors (the demo login among them), then each state lead from the start of their
    term."""
    yield until - timedelta(days=ROSTER_DAYS)
    mentors = [_demo_mentor()]
    _staff_mentor()
    levels = list(ExperienceLevel)
    for n in range(MENTORS):
        name = f"{FIRST[n]} {LAST[n]}"
        email = f"{FIRST[n].lower()}.{LAST[n].lower()}@{DOMAIN}".replace("é", "e").replace("á", "a")
        level = rng.choices(levels, [55, 35, 10])[0]
        # Each of the thirty states is known by at least one mentor.
        states = sorted({STATES[n % len(STATES)], *rng.sample(STATES, rng.choice([0, 1, 2]))})
        profile = {
            "name": name,
            "email": email,
            "bio": f"{rng.choice(ROLES[level])}. Has worked races in {', '.join(states)}.",
            "states": states,
            "expertise": rng.sample(Expertise.values, rng.choice([1, 2, 2, 3])),
            "experience_level": level,
            "languages": ["English", "Spanish"] if rng.random() < 0.2 else ["English"],
            "capacity": rng.choice([2, 3, 3, 4, 5]),
            # A few are paused: busy with their own campaigns.
            "is_available": rng.random() > 0.1,
        }
        mentors.append(create_mentor(data=profile))
    for started, state, mentor in _leads(rng, mentors, until=until):
        yield started
        make_state_lead(mentor=mentor, state=state)


def _demo_mentor() -> Mentor:
    """The mentor profile of the demo login."""
    existing = Mentor.objects.filter(email=DEMO_MENTOR).first()
    if existing is not None:
        return existing
    login = User.objects.get(email=DEMO_MENTOR)
    profile = {
        "name": login.name,
        "email": DEMO_MENTOR,
        "bio": "Ran field for a presidential primary in Pennsylvania; now coaches "
        "first-time candidates for state and local office.",
        "states": ["PA", "OH"],
        "expertise": [Expertise.CAMPAIGN_PLAN, Expertise.FIELD, Expertise.FUNDRAISING],
        "experience_level": ExperienceLevel.NATIONAL,
        "languages": ["English", "Spanish"],
        "capacity": 6,
    }
    return create_mentor(data=profile)


def _staff_mentor() -> Mentor | None:
    """The mentor profile of the demo's staff member who also mentors (both roles)."""
    login = User.objects.filter(email=DEMO_STAFF_MENTOR).first()
    if login is None or Mentor.objects.filter(email=DEMO_STAFF_MENTOR).exists():
        return None
    profile = {
        "name": login.name,
        "email": DEMO_STAFF_MENTOR,
        "bio": "Runs our programmes; mentors a few candidates in Virginia herself.",
        "states": ["VA"],
        "expertise": [Expertise.CAMPAIGN_PLAN],
        "experience_level": ExperienceLevel.STATE,
        "capacity": 2,
    }
    return create_mentor(data=profile)


def _leads(
    rng: random.Random, mentors: list[Mentor], *, until: datetime
) -> list[tuple[datetime, str, Mentor]]:
    """A lead for each of the first LEAD_STATES states nobody leads yet, in order of start."""
    taken = set(StateLead.objects.active().values_list("state", flat=True))
    demo = mentors[0]
    leads = []
    for state in STATES[:LEAD_STATES]:
        if state in taken:
            continue
        knowing = [m for m in mentors if state in m.states] or mentors
        # The demo login leads the first state it knows, so its page shows a lead.
        mentor = demo if state == demo.states[0] else rng.choice(knowing)
        leads.append((until - timedelta(days=rng.randint(30, 300)), state, mentor))
    return sorted(leads, key=lambda lead: (lead[0], lead[1]))


# --- Mentees and their questions ---------------------------------------------------------


def stories(
    rng: random.Random, people: list[Person], *, staff: User, until: datetime
) -> list[Story]:
    """Most people past screening are matched with a mentor and ask them questions; some of
    those without one ask the staff pool."""
    result, unmatched = [], []
    recent = until - timedelta(weeks=WEEKS)
    for person in people:
        if person.target in ADVANCED and rng.random() < 0.8:
            matched = _match_moment(rng, person, until=until)
            result.append(_mentoring(rng, person, matched=matched, staff=staff))
            start = max(matched, recent)
            for _ in range(rng.choice([0, 1, 1, 2, 3])):
                opened = start + (until - start) * rng.random()
                result.append(_question(rng, person, opened=opened, staff=staff))
        elif person.target in [*ADVANCED, Stage.SCREENING]:
            unmatched.append(person)
    candidates = unmatched[:POOL_FROM]
    for person in rng.sample(candidates, min(len(candidates), POOL_QUESTIONS)):
        opened = max(person.signed_up, recent) + timedelta(hours=rng.uniform(1, 24 * 7 * WEEKS))
        result.append(_question(rng, person, opened=opened, staff=staff))
    return result


def _match_moment(rng: random.Random, person: Person, *, until: datetime) -> datetime:
    """Some days after screening, and before staff move the person on."""
    screened = person.moment(Stage.SCREENED)
    later = person.after(Stage.SCREENED)
    before = later[0][1] if later else until
    return screened + min(timedelta(days=rng.uniform(1, 10)), (before - screened) * 0.8)


def _choose(rng: random.Random, candidate: Candidate) -> Mentor | None:
    """The mentor staff pick from the ranked matches: the demo login while it has room and the
    candidate is in its states (or it has fewer than two mentees), else one of the best
    three. None when every mentor is full or paused."""
    ranked = [match.mentor for match in rank_mentors(candidate=candidate, limit=MENTORS + 1)]
    demo = next((mentor for mentor in ranked if mentor.email == DEMO_MENTOR), None)
    if demo is not None and (candidate.state in demo.states or demo.load < 2):
        return demo
    return rng.choice(ranked[:3]) if ranked else None


def _mentoring(rng: random.Random, person: Person, *, matched: datetime, staff: User) -> Story:
    """Staff match a mentor; the mentor confirms first contact (or has not yet)."""
    hours = _response_hours(rng)
    yield matched
    mentor = _choose(rng, person.candidate)
    if mentor is None:
        return
    mentorship = confirm_match(candidate=person.candidate, mentor=mentor, by=staff)
    if hours is not None:
        yield matched + timedelta(hours=hours)
        confirm_first_contact(mentorship=mentorship, by=mentor.user)


def _question(rng: random.Random, person: Person, *, opened: datetime, staff: User) -> Story:
    """A question to the person's mentor (or the staff pool), routed as the portal routes it,
    answered
    and resolved, answered and handed back to them, or still waiting for an answer."""
    topic = rng.choice(person.posted["needs"] or list(Need.values))
    subject, body = QUESTIONS[topic]
    hours = _response_hours(rng)
    answered = resolved = None
    if hours is not None:
        answered = opened + timedelta(hours=hours)
        if rng.random() < 0.85:
            resolved = answered + timedelta(hours=rng.uniform(0, 36))
    waiting = answered is not None and resolved is None and rng.random() < 0.4
    yield opened
    help_request = ask_question(
        candidate=person.candidate,
        topic=topic,
        subject=subject,
        body=body,
        by=None,
        owner=mentor_login(person.candidate),
    )
    if answered is None:
        return
    yield answered
    helper = help_request.owner or staff
    post_reply(
        help_request=help_request,
        author=helper,
        body=rng.choice(ANSWERS),
        wait_for_candidate=waiting,
    )
    if resolved is not None:
        yield resolved
        resolve_request(help_request=help_request, by=helper)


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
