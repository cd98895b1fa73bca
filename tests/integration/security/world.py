"""One small organisation for the access matrix: a candidate held by a screener and mentored
by a mentor, with a question the mentor owns, a call, a booking, an import, an email ..."""

import time
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

from candidates.models import CandidateImport, Holiday, ProposedUpdate, Submission
from candidates.services.destinations import create_destination
from candidates.services.help_requests import ask_question
from candidates.services.leads import create_source
from rfs.accounts.models import Role
from rfs.notify.services import record_message
from rfs.notify.tasks import HEARTBEAT_KEY
from screening.models import Claim, ScheduledCall
from tests.factories.accounts import UserFactory
from tests.factories.candidates import CandidateFactory, SubmissionFactory
from tests.factories.mentors import MentorFactory, MentorshipFactory, StateLeadFactory
from tests.factories.screening import ScreeningCallFactory
from tests.support import totp


@dataclass
class World:
    users: dict
    args: dict


def build() -> World:
    staff = UserFactory(email="matrix-staff@example.org", role=Role.STAFF, is_staff=True)
    screener = UserFactory(email="matrix-screener@example.org", role=Role.SCREENER)
    mentor_user = UserFactory(email="matrix-mentor@example.org", role=Role.MENTOR)
    candidate_user = UserFactory(email="matrix-candidate@example.org", role=Role.CANDIDATE)
    candidate = CandidateFactory(
        email=candidate_user.email, user=candidate_user, owner=screener, stage="screening"
    )
    claim = Claim.objects.create(candidate=candidate, screener=screener, claimed_at=timezone.now())
    mentor = MentorFactory(user=mentor_user, name="Matrix Mentor", email=mentor_user.email)
    mentorship = MentorshipFactory(candidate=candidate, mentor=mentor)
    question = ask_question(
        candidate=candidate, topic="field", subject="Doors", body="?", by=None, owner=mentor_user
    )
    call = ScreeningCallFactory(candidate=candidate, screener=screener)
    booked = ScheduledCall.objects.create(
        candidate=candidate,
        screener=screener,
        claim=claim,
        starts_at=timezone.now() + timedelta(days=2),
        time_zone="America/New_York",
    )
    job = CandidateImport.objects.create(by=staff, file_name="a.csv", content="Email\n")
    email = record_message(key="matrix", to=candidate.email, subject="Hi", body_text="Hi")
    StateLeadFactory(mentor=mentor, state="DC")
    # A worker's heartbeat, so /healthz answers as it does in production.
    cache.set(HEARTBEAT_KEY, time.time(), timeout=None)
    holiday = Holiday.objects.create(date=timezone.localdate() + timedelta(days=9), name="Day")
    other = CandidateFactory()
    review = SubmissionFactory(
        candidate=candidate, phone_match=other, outcome=Submission.Outcome.MERGE_REVIEW
    )
    proposal = ProposedUpdate.objects.create(
        candidate=candidate,
        submission=SubmissionFactory(candidate=candidate, outcome="matched"),
        changes={"city": ["Washington", "Baltimore"]},
    )
    # Everyone who sees personal data has a second factor; "staff without a second factor"
    # is a staff login whose session gave only the password.
    unverified_staff = UserFactory(
        email="matrix-staff-no-code@example.org", role=Role.STAFF, is_staff=True
    )
    for user in (staff, screener, mentor_user, unverified_staff):
        totp.enrol(user)
    source, _ = create_source(by=staff, name="Matrix form", owner="A partner", auth="token")
    destination = create_destination(name="CRM", url="http://127.0.0.1:9/", events=[])
    users = {
        "anonymous": None,
        "candidate": candidate_user,
        "screener": screener,
        "mentor": mentor_user,
        "staff without a second factor": unverified_staff,
        "staff": staff,
    }
    args = {
        "candidate": [candidate.uuid],
        "request": [question.uuid],
        "claim": [claim.uuid],
        "call": [call.uuid],
        "booked": [booked.uuid],
        "import": [job.uuid],
        "email": [email.uuid],
        "holiday": [holiday.pk],
        "review": [review.uuid],
        "mentor": [mentor.uuid],
        "mentorship": [mentorship.uuid],
        "lead": [mentor.uuid, "DC"],
        "match": [candidate.uuid, mentor.uuid],
        "update": [candidate.uuid, proposal.uuid, "dismiss"],
        "token": ["not-a-token"],
        "source": [source.uuid],
        "destination": [destination.uuid],
        "source_token": [source.uuid, "not-a-token"],
        "key": ["not-a-key"],
        "reset": ["1z", "not-a-key"],
    }
    return World(users=users, args=args)
