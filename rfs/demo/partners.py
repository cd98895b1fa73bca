"""The demo's partner organisations: the ones the organisation names (Collective PAC, the
PCCC, EMILY's List, Latino Victory Project, Inclusv, state Democratic parties) and others,
about fifty, with their services, states, contacts and resources; people who heard of us
through one of them; and referrals in every state, from proposed to helped.

Everything goes through partners' services: the roster through the directory, referrals
through propose_referral and the partner's answers, so each move leaves its history row,
each email is recorded and each partner's answer is a help request the beat sweeps.
"""

import random
from datetime import datetime, timedelta

from candidates.models import LeadSource, Need, OfficeLevel, Stage
from partners.models import Partner, Resource, Service
from partners.services import directory, referrals
from partners.services.matching import rank_partners
from rfs.accounts.models import User
from rfs.demo.people import Person
from rfs.demo.replay import Story

SEED = 2029
DEMO_PARTNER_LOGIN = "partner@example.org"
DEMO_PARTNER = "Latino Victory Project"
# The roster is older than the demo's first signup.
ROSTER_DAYS = 320
# Of the people who get through screening, about this share is referred to a partner.
REFERRED_SHARE = 0.45

S = Service
NAMED = [
    # name, services, communities, states (none: nationwide), offices (none: any), first-time
    ("Collective PAC", [S.FUNDRAISING, S.ENDORSEMENT, S.TRAINING], ["black"], [], [], False),
    ("PCCC", [S.TRAINING, S.COMMUNICATIONS, S.DATA], [], [], [], False),
    ("EMILY's List", [S.FUNDRAISING, S.TRAINING, S.ENDORSEMENT], ["women"], [], [], False),
    (DEMO_PARTNER, [S.ENDORSEMENT, S.FUNDRAISING, S.ORGANIZING, S.TRAINING], ["latino"], [], [],
     False),
    ("Inclusv", [S.STAFFING, S.TRAINING], ["black", "latino", "aapi", "native"], [], [], False),
    ("Higher Heights for America", [S.ENDORSEMENT, S.ORGANIZING], ["black", "women"], [], [],
     False),
    ("LGBTQ+ Victory Fund", [S.ENDORSEMENT, S.FUNDRAISING, S.TRAINING], ["lgbtq"], [], [], False),
    ("VoteVets", [S.ENDORSEMENT, S.COMMUNICATIONS], ["veterans"], [], [], False),
    ("Sister District", [S.DATA, S.ORGANIZING, S.FUNDRAISING], [], [],
     [OfficeLevel.STATE_LEGISLATURE], False),
    ("Swing Left", [S.ORGANIZING, S.DATA], [], [], [], False),
    ("Emerge", [S.TRAINING], ["women"], [], [], True),
    ("New American Leaders", [S.TRAINING], ["aapi", "latino"], [], [], True),
    ("Asian American Action Fund", [S.ENDORSEMENT, S.FUNDRAISING], ["aapi"], [], [], False),
    ("Native Action Network", [S.TRAINING, S.ORGANIZING], ["native"], ["AZ", "NM", "WA", "MN"], [],
     False),
    ("Next Gen Candidates", [S.TRAINING, S.COMMUNICATIONS], ["young"], [], [], True),
    ("Rural Democrats Project", [S.ORGANIZING, S.TRAINING], ["rural"], [], [], False),
    ("Campaign Legal Desk", [S.LEGAL], [], [], [], False),
    ("Treasurer Match", [S.LEGAL, S.STAFFING], [], [], [], False),
    ("School Board Network", [S.TRAINING, S.DATA], [], [], [OfficeLevel.SCHOOL_BOARD], True),
    ("Local Data Co-op", [S.DATA], [], [], [], False),
    ("Progressive Press Room", [S.COMMUNICATIONS], [], [], [], False),
    ("Labor Candidates Academy", [S.TRAINING, S.ORGANIZING], ["working_class"], [], [], True),
]  # fmt: skip
# State parties: the demo's states with the most candidates.
STATE_PARTIES = [
    ("PA", "Pennsylvania"), ("OH", "Ohio"), ("MI", "Michigan"), ("GA", "Georgia"),
    ("NC", "North Carolina"), ("AZ", "Arizona"), ("CA", "California"), ("NY", "New York"),
    ("TX", "Texas"), ("FL", "Florida"), ("VA", "Virginia"), ("CO", "Colorado"),
    ("MN", "Minnesota"), ("WI", "Wisconsin"), ("NV", "Nevada"), ("NM", "New Mexico"),
    ("NH", "New Hampshire"), ("IA", "Iowa"), ("WA", "Washington"), ("IL", "Illinois"),
    ("MA", "Massachusetts"), ("MD", "Maryland"), ("OR", "Oregon"), ("NJ", "New Jersey"),
    ("SC", "South Carolina"), ("TN", "Tennessee"), ("MO", "Missouri"), ("ME", "Maine"),
]  # fmt: skip
GIVEN = ["Ana", "Ben", "Carla", "Dev", "Eli", "Fran", "Gus", "Hana", "Ivo", "Jo", "Kai", "Lia"]
FAMILY = ["Ortiz", "Park", "Reyes", "Shah", "Turner", "Vega", "Wu", "Young", "Zhou", "Adams"]
RESOURCES = [
    ("Candidate bootcamp", Resource.Kind.TRAINING, [Need.CAMPAIGN_PLAN]),
    ("Call time in ten steps", Resource.Kind.GUIDE, [Need.FUNDRAISING]),
    ("Finding your treasurer", Resource.Kind.GUIDE, [Need.TREASURER]),
    ("Door-knocking toolkit", Resource.Kind.TOOL, [Need.FIELD]),
    ("Your first press release", Resource.Kind.GUIDE, [Need.DIGITAL]),
    ("Policy briefing library", Resource.Kind.LINK, [Need.POLICY]),
]


def _slug(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())[:24]


def roster(rng: random.Random, *, until: datetime) -> Story:
    """The partner directory as it was before the demo's first signup."""
    yield until - timedelta(days=ROSTER_DAYS)
    rows = [(*row, "") for row in NAMED] + [
        (f"{name} Democratic Party", [S.ORGANIZING, S.DATA, S.TRAINING], [], [code], [], False, "")
        for code, name in STATE_PARTIES
    ]
    for n, (name, services, communities, states, offices, first_time, _) in enumerate(rows):
        partner = directory.create_partner(
            data={
                "name": name,
                "description": f"{name} helps progressive candidates win.",
                "website": f"https://{_slug(name)}.example.org",
                "services": services,
                "communities": communities,
                "states": states,
                "office_levels": offices,
                "first_time_only": first_time,
                # A few partners are paused, to show it.
                "is_active": n % 17 != 16,
            },
            response_days=5 if n % 7 == 3 else None,
        )
        _contacts(rng, partner)
        for title, kind, needs in rng.sample(RESOURCES, k=rng.randint(1, 3)):
            directory.save_resource(
                partner=partner,
                data={
                    "title": f"{title} ({name})",
                    "kind": kind,
                    "url": f"{partner.website}/{_slug(title)}",
                    "needs": needs,
                    "description": f"{title}, by {name}.",
                    "is_shared": rng.random() < 0.85,
                },
            )


def _contacts(rng: random.Random, partner: Partner) -> None:
    if partner.name == DEMO_PARTNER:
        directory.add_contact(
            partner=partner,
            data={
                "name": User.objects.get(email=DEMO_PARTNER_LOGIN).name,
                "email": DEMO_PARTNER_LOGIN,
                "title": "Candidate services director",
                "is_primary": True,
            },
            with_login=True,
        )
        return
    name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
    directory.add_contact(
        partner=partner,
        data={
            "name": name,
            "email": f"{_slug(name)}@{_slug(partner.name)}.example.org",
            "title": "Partnerships lead",
            "is_primary": True,
        },
    )


def heard_from(rng: random.Random, person: Person) -> Story:
    """People who say a partner sent them name it on the signup form (a moment before
    they post it)."""
    if person.posted.get("source") != "partner":
        return
    yield person.signed_up - timedelta(seconds=1)
    options = directory.heard_from_options()
    favourite = next(key for key, name in options if name == DEMO_PARTNER)
    key = favourite if rng.random() < 0.3 else rng.choice(options)[0]
    person.posted = {**person.posted, "heard_from": f"partner:{key}"}


def stories(
    rng: random.Random, everyone: list[Person], *, staff: User, until: datetime
) -> list[Story]:
    """A referral for about REFERRED_SHARE of the people who got through screening."""
    return [
        *(
            _referral(rng, person, at=screened + timedelta(hours=rng.uniform(2, 72)), staff=staff)
            for person in everyone
            if (screened := person.moment(Stage.SCREENED)) and rng.random() < REFERRED_SHARE
        ),
        _this_week(everyone, staff=staff, until=until),
    ]


def _this_week(everyone: list[Person], *, staff: User, until: datetime) -> Story:
    """Referrals made in the last days, still waiting: on the candidate's consent, or on the
    demo partner's answer (what its login finds first)."""
    yield until - timedelta(days=1)
    demo = Partner.objects.get(name=DEMO_PARTNER)
    waiting = [
        p.candidate
        for p in everyone
        if p.candidate and p.candidate.is_open and p.moment(Stage.SCREENED)
    ]
    consent = referrals.Consent(words="Yes, introduce me to them.", fields=("place", "office"))
    made = 0
    for candidate in reversed(waiting):
        try:
            referrals.propose_referral(
                candidate=candidate,
                partner=demo,
                by=staff,
                note="A Latino first-time candidate looking for endorsements.",
                consent=consent if made % 2 == 0 else None,
            )
        except referrals.ReferralRefused:
            continue
        made += 1
        if made == 6:
            return


def _choose(rng: random.Random, person: Person) -> Partner | None:
    suggestions = rank_partners(candidate=person.candidate, limit=4)
    demo = next((s.partner for s in suggestions if s.partner.name == DEMO_PARTNER), None)
    if demo is None and person.index % 3 == 0:
        demo = Partner.objects.filter(name=DEMO_PARTNER, is_active=True).first()
    if demo is not None and person.index % 3 == 0:
        return demo
    return rng.choice(suggestions).partner if suggestions else None


def _referral(rng: random.Random, person: Person, *, at: datetime, staff: User) -> Story:
    """Staff refer the person: with their consent at once, or asking them in the portal;
    then the partner answers (or not) and, mostly, helps."""
    yield at
    if not person.candidate.is_open or (partner := _choose(rng, person)) is None:
        return
    with_consent = rng.random() < 0.55
    consent = referrals.Consent(words="Yes, please introduce me.") if with_consent else None
    sent = at
    referral = referrals.propose_referral(
        candidate=person.candidate,
        partner=partner,
        by=staff,
        note="They asked for help we do not give ourselves.",
        consent=consent,
    )
    if not with_consent:
        sent = at + timedelta(hours=rng.uniform(1, 72))
        yield sent
        agree = rng.random() < 0.8
        referrals.answer_in_portal(
            referral=referral,
            agree=agree,
            fields=["place", "office", "needs"],
            by=person.candidate.user,
        )
        if not agree:
            return
    yield from _answer(rng, referral, at=sent)


def _answer(rng: random.Random, referral, *, at: datetime) -> Story:
    contact = referral.partner.contacts.filter(user__isnull=False).first()
    partner_login = contact.user if contact else None
    roll = rng.random()
    if roll < 0.13:
        # Never answered: staff close it after ten days (the sweep escalated it first).
        yield at + timedelta(days=10)
        referrals.mark_no_answer(referral=referral, by=None)
        return
    yield at + timedelta(hours=rng.choice([4, 10, 20, 30, 50, 70, 100]) + rng.random())
    if roll < 0.25:
        referrals.decline_referral(
            referral=referral, by=partner_login, reason="We are not working in this race."
        )
        return
    referrals.accept_referral(referral=referral, by=partner_login, note="Glad to help.")
    if roll < 0.85:
        yield at + timedelta(days=rng.uniform(6, 40))
        referrals.mark_helped(
            referral=referral, by=partner_login, note="Two trainings and an introduction to donors."
        )


def link_lead_sources() -> int:
    """The demo's partner forms (lead sources owned by a partner) belong to that partner."""
    linked = 0
    for partner in Partner.objects.filter(name__in=LeadSource.objects.values("owner")):
        sources = list(LeadSource.objects.filter(owner=partner.name))
        directory.set_lead_sources(partner=partner, sources=sources)
        linked += len(sources)
    return linked
