"""The demo organisation: six months of its life, replayed through the domain services.

People sign up through the signup form and intake, screeners claim, try and call them,
staff move them on and match mentors, candidates ask questions and mentors answer, and the
beat's sweeps remind and escalate as they would have: every row is written by the service
that owns it, with the clock at the moment it happened (see rfs.demo.replay). The emails
those services recorded on the way are the demo's history and are counted as sent, so a
first `make run` does not send them now.

Idempotent: if the demo people (@demo.example.org) exist, nothing is added. Fixed random
seeds make every machine's demo the same.
"""

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from candidates.models import Candidate
from candidates.services.help_requests import sweep_requests
from mentors.models import Mentor, Mentorship
from partners.models import Partner, Referral
from rfs.accounts.models import User
from rfs.demo import mentors, partners, people, screening, trainings
from rfs.demo.applications import seed_applications
from rfs.demo.leads import seed_leads
from rfs.demo.logins import seed_screeners
from rfs.demo.replay import Story, replay
from rfs.notify import services as outbox
from rfs.notify.models import Notification, Suppression
from screening.models import Claim, ScreeningCall
from screening.services.booking import send_due_reminders
from trainings.models import Session

# How often the replayed beat sweeps (the real one sweeps every few minutes; reminders and
# escalations come within this much of their moment).
SWEEP_EVERY = timedelta(hours=6)


def seed(*, stdout) -> None:
    """Add the demo organisation once; a second run adds nothing."""
    if Candidate.objects.filter(email__endswith=f"@{people.DOMAIN}").exists():
        stdout.write("Demo organisation: already there, nothing added.")
        return
    now = timezone.now()
    with transaction.atomic():
        last_email = Notification.objects.order_by("-pk").values_list("pk", flat=True).first()
        everyone = people.plan(random.Random(people.SEED), now=now)
        replay(_stories(everyone, until=now), until=now)
        seed_leads()
        partners.link_lead_sources()
        seed_applications()
        history = outbox.count_as_sent(after_id=last_email or 0, until=timezone.now())
        _suppressions()
    demo = Candidate.objects.filter(email__endswith=f"@{people.DOMAIN}")
    stdout.write(
        f"Demo organisation: {demo.count()} candidates, "
        f"{Claim.objects.filter(candidate__in=demo).count()} claims, "
        f"{ScreeningCall.objects.filter(candidate__in=demo).count()} calls, "
        f"{Mentor.objects.count()} mentors, "
        f"{Mentorship.objects.filter(candidate__in=demo).count()} mentorships, "
        f"{Partner.objects.count()} partners, "
        f"{Referral.objects.filter(candidate__in=demo).count()} referrals, "
        f"{Session.objects.count()} training sessions; "
        f"{history} past emails counted as sent."
    )


def _stories(everyone: list[people.Person], *, until: datetime) -> list[Story]:
    """Everything the demo organisation lived through, as stories for the replay."""
    staff = User.objects.get(email="staff@example.org")
    main = User.objects.get(email="screener@example.org")
    team = seed_screeners()
    # Signups are listed first: at a shared moment the replay runs them first, so a person
    # exists before anything happens to them.
    attribution = random.Random(partners.SEED + 1)
    return [
        partners.roster(random.Random(partners.SEED), until=until),
        *(partners.heard_from(attribution, person) for person in everyone),
        *(people.sign_up(person) for person in everyone),
        mentors.roster(random.Random(mentors.SEED), until=until),
        trainings.roster(start=everyone[0].signed_up - timedelta(minutes=1), until=until),
        *(people.welcome(person, by=staff) for person in everyone),
        *(people.note(person, by=staff) for person in everyone),
        *screening.stories(
            random.Random(screening.SEED), everyone, main=main, team=team, until=until
        ),
        *(people.staff_moves(person, by=staff) for person in everyone),
        *mentors.stories(random.Random(mentors.MENTEES_SEED), everyone, staff=staff, until=until),
        *partners.stories(random.Random(partners.SEED + 2), everyone, staff=staff, until=until),
        trainings.registrations(random.Random(trainings.SEED), until=until),
        _beat(start=everyone[0].signed_up, until=until),
    ]


def _suppressions() -> None:
    """A few addresses on the suppression list, as a mail provider and people put them there:
    a hard bounce of a signup confirmation, an unsubscribe from a nudge, and a complaint
    that staff lifted once the person wrote to say it was a mistake."""
    emails = Notification.objects.filter(
        template="signup_confirmation", to_email__endswith=f"@{people.DOMAIN}"
    ).order_by("to_email")[:3]
    bounced, unsubscribed, complained = emails
    Reason, Source = Suppression.Reason, Suppression.Source
    outbox.suppress(
        email=bounced.to_email,
        reason=Reason.HARD_BOUNCE,
        source=Source.PROVIDER,
        notification=bounced,
        detail="5.1.1 smtp; 550 5.1.1 User unknown",
    )
    outbox.suppress(
        email=unsubscribed.to_email, reason=Reason.UNSUBSCRIBE, source=Source.UNSUBSCRIBE_LINK
    )
    lifted = outbox.suppress(
        email=complained.to_email, reason=Reason.COMPLAINT, source=Source.PROVIDER
    )
    outbox.lift(
        suppression=lifted,
        by=User.objects.get(email="staff@example.org"),
        note="They wrote to say marking our email as spam was a mistake.",
    )


def _beat(*, start: datetime, until: datetime) -> Story:
    """The beat's sweeps over the demo's past, ending with one at `until`: owners reminded
    and staff told of overdue requests, booked calls' reminders recorded, as they would have
    been."""
    at = start
    while at < until:
        yield at
        _sweep(at)
        at += SWEEP_EVERY
    yield until
    _sweep(until)


def _sweep(at: datetime) -> None:
    sweep_requests(now=at)
    send_due_reminders(now=at)
