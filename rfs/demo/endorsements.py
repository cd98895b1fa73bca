"""The demo's endorsements: the Virginia pilot (7 endorsed in the primaries, all 7 on the
general ballot, 2 won) and the current cycle, with applications in every state of review
and some assigned to the demo reviewer (reviewer@example.org).

Everything is replayed through the services at its moment (rfs.demo.replay): the signups
through the form and intake, the stage moves through move_stage, applications, reviews,
decisions, results and contributions through the endorsements services. Idempotent: when
the pilot's class exists, nothing is added.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from candidates.forms.intake import SignupForm
from candidates.models import HelpRequest, OfficeLevel, Stage, Submission
from candidates.services.help_requests import resolve_request
from candidates.services.intake import resolve_submission
from candidates.services.pipeline import move_stage
from endorsements.models import Application, BallotRule, Election, EndorsementClass, Office
from endorsements.services import money, races, review
from endorsements.services.applications import apply_for_endorsement
from rfs.accounts.models import User
from rfs.demo.replay import Story, replay
from rfs.notify import services as outbox
from rfs.notify.models import Notification

DOMAIN = "endorse.example.org"
PILOT_CLASS = "Virginia pilot: 2025 primaries"
QUESTIONS = [
    "What will you change in your first year in office?",
    "Who is on your campaign team?",
]
CRITERIA = [
    ("Viability", "A path to win: the district, the field plan, the money."),
    ("Values", "Fits the organisation's values."),
    ("Team", "A treasurer and a campaign manager or a plan for them."),
]
OFFICES = [
    ("ocd-division/country:us/state:va/sldl:49", "Virginia House of Delegates", "District 49"),
    ("ocd-division/country:us/state:va/sldl:57", "Virginia House of Delegates", "District 57"),
    ("ocd-division/country:us/state:va/sldl:84", "Virginia House of Delegates", "District 84"),
    ("ocd-division/country:us/state:va/sldu:30", "Senate of Virginia", "District 30"),
    (
        "ocd-division/country:us/state:va/place:richmond/council_district:5",
        "Richmond City Council",
        "5th District",
    ),
    ("ocd-division/country:us/state:va/county:arlington", "Arlington School Board", "At large"),
    ("ocd-division/country:us/state:va/place:norfolk", "Norfolk City Council", "Ward 2"),
]
LEVELS = {
    "Virginia House of Delegates": OfficeLevel.STATE_LEGISLATURE,
    "Senate of Virginia": OfficeLevel.STATE_LEGISLATURE,
    "Richmond City Council": OfficeLevel.CITY_COUNCIL,
    "Norfolk City Council": OfficeLevel.CITY_COUNCIL,
    "Arlington School Board": OfficeLevel.SCHOOL_BOARD,
}
CITIES = [("Arlington", "22201"), ("Richmond", "23219"), ("Norfolk", "23510")]
STORIES = [
    "I teach fifth grade and watched our school lose its counsellor. I am running so the "
    "next budget starts with the kids.",
    "My family has rented in this district for twenty years. I am running for homes people "
    "can afford to stay in.",
    "I organised the tenants' union in my building. Now I want to bring that to City Hall.",
    "As a nurse I saw what a closed clinic does to a neighbourhood. I am running to reopen it.",
]


@dataclass
class Person:
    index: int
    first: str
    last: str
    office: int
    # "won", "lost" (the pilot's general) or the review state of a current application.
    outcome: str
    candidate: object = None


PILOT = [
    Person(0, "Alana", "Reyes", 0, "won"),
    Person(1, "Marcus", "Bell", 1, "lost"),
    Person(2, "Priya", "Raman", 2, "lost"),
    Person(3, "Jordan", "Whitfield", 3, "won"),
    Person(4, "Teresa", "Ochoa", 4, "lost"),
    Person(5, "Devon", "Carter", 5, "lost"),
    Person(6, "Hannah", "Sato", 6, "lost"),
]
CURRENT = [
    Person(10, "Luis", "Moreno", 0, Application.Status.SUBMITTED),
    Person(11, "Keira", "Walsh", 1, "assigned"),
    Person(12, "Sam", "Okoro", 2, "voted"),
    Person(13, "Ivy", "Tran", 4, Application.Status.DEFERRED),
    Person(14, "Nadia", "Farouk", 5, Application.Status.NOT_ENDORSED),
    Person(15, "Evan", "Brooks", 6, Application.Status.ENDORSED),
]


def seed(*, stdout, now: datetime | None = None) -> None:
    """Add the demo's endorsements once; a second run adds nothing."""
    if EndorsementClass.objects.filter(name=PILOT_CLASS).exists():
        stdout.write("Demo endorsements: already there, nothing added.")
        return
    now = now or timezone.now()
    with transaction.atomic():
        last_email = Notification.objects.order_by("-pk").values_list("pk", flat=True).first()
        setting = _set_up(now)
        stories = [
            *(_pilot(p, setting) for p in PILOT),
            *(_current(p, setting, now=now) for p in CURRENT),
        ]
        replay(stories, until=now)
        outbox.count_as_sent(after_id=last_email or 0, until=now)
    stdout.write(
        f"Demo endorsements: {Application.objects.count()} applications, "
        f"{Application.objects.filter(status='endorsed').count()} endorsed; "
        "reviewer@example.org reviews some of them."
    )


@dataclass
class Setting:
    staff: User
    reviewer: User
    offices: list[Office]
    pilot_primary: Election
    pilot_general: Election
    pilot_class: EndorsementClass
    general_class: EndorsementClass
    current_election: Election
    current_class: EndorsementClass


def _at(year: int, month: int, day: int, hour: int = 15) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def _set_up(now: datetime) -> Setting:
    """Elections, offices, classes and limits, as staff set them up in the admin."""
    staff = User.objects.get(email="staff@example.org")
    offices = [
        Office.objects.get_or_create(
            division_id=division, name=name, defaults={"district": district, "level": LEVELS[name]}
        )[0]
        for division, name, district in OFFICES
    ]
    primary = Election.objects.create(
        state="VA", date=date(2025, 6, 17), kind="primary", cycle=2025
    )
    general = Election.objects.create(
        state="VA", date=date(2025, 11, 4), kind="general", cycle=2025
    )
    current_day = (now + timedelta(days=200)).date()
    current = Election.objects.create(
        state="VA", date=current_day, kind="primary", cycle=current_day.year
    )
    classes = [
        _class(PILOT_CLASS, 2025, _at(2025, 4, 1, 3), primary),
        _class("Virginia pilot: 2025 general", 2025, _at(2025, 8, 1, 3), general),
        _class(
            f"Virginia {current_day.year} primaries",
            current_day.year,
            now + timedelta(days=60),
            current,
        ),
    ]
    for level in (
        OfficeLevel.STATE_LEGISLATURE,
        OfficeLevel.CITY_COUNCIL,
        OfficeLevel.SCHOOL_BOARD,
    ):
        for kind, amount in (("primary", Decimal("2500")), ("general", Decimal("5000"))):
            money.set_limit(
                state="VA",
                office_level=level,
                election_kind=kind,
                amount=amount,
                source="Organisation policy (Virginia sets no limit for state and local races)",
                by=staff,
            )
    return Setting(
        staff=staff,
        reviewer=User.objects.get(email="reviewer@example.org"),
        offices=offices,
        pilot_primary=primary,
        pilot_general=general,
        pilot_class=classes[0],
        general_class=classes[1],
        current_election=current,
        current_class=classes[2],
    )


def _class(name: str, cycle: int, deadline: datetime, election: Election) -> EndorsementClass:
    klass = EndorsementClass.objects.create(
        name=name,
        cycle=cycle,
        deadline=deadline,
        born_in_or_after=1984,
        max_run_number=3,
        office_levels=[
            OfficeLevel.SCHOOL_BOARD,
            OfficeLevel.CITY_COUNCIL,
            OfficeLevel.COUNTY,
            OfficeLevel.STATE_LEGISLATURE,
        ],
        ballot_rule=BallotRule.BALLOT_OR_COMMITTEE,
    )
    klass.elections.set([election])
    for order, text in enumerate(QUESTIONS):
        klass.questions.create(text=text, order=order)
    for order, (criterion, description) in enumerate(CRITERIA):
        klass.criteria.create(name=criterion, description=description, order=order)
    return klass


# --- One person's story --------------------------------------------------------------


def _sign_up(person: Person, setting: Setting) -> None:
    """The signup form and intake; staff answer the first contact and onboard them."""
    city, zip_code = CITIES[person.index % len(CITIES)]
    office = setting.offices[person.office]
    posted = {
        "first_name": person.first,
        "last_name": person.last,
        "email": f"{person.first.lower()}.{person.last.lower()}@{DOMAIN}",
        # 555-0100 to 555-0199 are reserved for fiction.
        "phone": f"+1703555{100 + person.index:04d}",
        "zip_code": zip_code,
        "state": "VA",
        "city": city,
        "birth_year": str(1986 + person.index % 10),
        "office_level": office.level,
        "office": office.name,
        "district": office.district,
        "election_year": str(setting.current_election.cycle),
        "why_run": STORIES[person.index % len(STORIES)],
        "consent": "on",
    }
    form = SignupForm(data=posted)
    if not form.is_valid():
        raise ValueError(f"demo endorsement signup {person.index}: {form.errors.as_text()}")
    submission = resolve_submission(
        data=form.cleaned_data, channel=Submission.Channel.FORM, payload=posted, user_agent="demo"
    )
    person.candidate = submission.candidate


def _onboard(person: Person, setting: Setting) -> None:
    first_contact = HelpRequest.objects.filter(candidate=person.candidate).first()
    if first_contact is not None:
        resolve_request(help_request=first_contact)
    for stage in (Stage.SCREENED, Stage.ACTIVE):
        move_stage(candidate=person.candidate, to=stage, by=setting.staff, reason="Onboarded")


def _apply(person: Person, setting: Setting, klass: EndorsementClass, election: Election):
    return apply_for_endorsement(
        endorsement_class=klass,
        candidate=person.candidate,
        office=setting.offices[person.office],
        election=election,
        race={
            "status": "filed",
            "committee_id": f"VA-PAC-{1000 + person.index}",
            "has_opponent": True,
        },
        application={
            "date_of_birth": date(1986 + person.index % 10, 3, 1 + person.index),
            "previous_runs": person.index % 2,
            "story": STORIES[person.index % len(STORIES)],
            "campaign_url": f"https://{person.last.lower()}-for-virginia.example.org",
            "publish_consent": person.index % 7 != 5,
        },
        answers={
            q.pk: "Fully funded schools and a tenants' right to counsel."
            for q in klass.questions.all()
        },
        by=setting.staff,
    )


def _review(application, setting: Setting, *, reviewer_votes: bool = True) -> None:
    review.assign_reviewers(application=application, reviewers=[setting.reviewer], by=setting.staff)
    for kind in ("criminal", "lexisnexis", "fec", "social_media"):
        review.update_check(
            application=application, kind=kind, status="clear", note="", by=setting.staff
        )
    review.score(
        application=application,
        scores={c: (4, "") for c in application.endorsement_class.criteria.all()},
        by=setting.staff,
    )
    review.cast_vote(application=application, reviewer=setting.staff, choice="endorse")
    if reviewer_votes:
        review.cast_vote(
            application=application,
            reviewer=setting.reviewer,
            choice="endorse",
            comment="Strong field plan.",
        )


def _pilot(person: Person, setting: Setting) -> Story:
    """Endorsed in the primary, advanced, endorsed for the general, funded; won or lost."""
    yield _at(2024, 12, 2 + person.index)
    _sign_up(person, setting)
    yield _at(2024, 12, 9 + person.index)
    _onboard(person, setting)
    for klass, election, applied, result in (
        (setting.pilot_class, setting.pilot_primary, _at(2025, 3, 3 + person.index), "advanced"),
        (
            setting.general_class,
            setting.pilot_general,
            _at(2025, 6, 23 + person.index),
            person.outcome,
        ),
    ):
        yield applied
        application = _apply(person, setting, klass, election)
        yield applied + timedelta(days=7)
        _review(application, setting)
        yield applied + timedelta(days=16)
        review.decide(
            application=application, decision="endorsed", reason="Unanimous.", by=setting.staff
        )
        candidacy = application.candidacy
        races.update_candidacy(
            candidacy=candidacy, changes={"status": "qualified"}, by=setting.staff
        )
        money.record_contribution(
            candidacy=candidacy,
            amount=Decimal("1000") if result == "advanced" else Decimal("2500"),
            date=(applied + timedelta(days=20)).date(),
            method="check",
            committee_id=candidacy.committee_id,
            by=setting.staff,
        )
        yield datetime.combine(election.date, datetime.min.time(), tzinfo=UTC) + timedelta(
            days=1, hours=14
        )
        share = Decimal("54.10") if result == "won" else Decimal("45.30")
        races.record_result(candidacy=candidacy, result=result, vote_share=share, by=setting.staff)


def _current(person: Person, setting: Setting, *, now: datetime) -> Story:
    """This cycle's application, taken as far as its review state."""
    yield now - timedelta(days=60 - person.index)
    _sign_up(person, setting)
    yield now - timedelta(days=50 - person.index)
    _onboard(person, setting)
    yield now - timedelta(days=19 - person.index % 10)
    application = _apply(person, setting, setting.current_class, setting.current_election)
    if person.outcome == Application.Status.SUBMITTED:
        return
    yield now - timedelta(days=8 - person.index % 5)
    if person.outcome == "assigned":
        review.assign_reviewers(
            application=application, reviewers=[setting.reviewer], by=setting.staff
        )
        return
    _review(application, setting, reviewer_votes=person.outcome != "voted")
    if person.outcome == "voted":
        review.cast_vote(application=application, reviewer=setting.reviewer, choice="abstain")
        return
    yield now - timedelta(days=2)
    reasons = {
        Application.Status.DEFERRED: "Waiting for the filing deadline.",
        Application.Status.NOT_ENDORSED: "Not this time: the district needs a field plan first.",
        Application.Status.ENDORSED: "A strong campaign with a clear path.",
    }
    review.decide(
        application=application,
        decision=person.outcome,
        reason=reasons[person.outcome],
        by=setting.staff,
    )
