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
from partners.services.referrals import Consent, propose_referral
from rfs.accounts.models import Role
from rfs.accounts.services import grant_role
from rfs.notify.models import Suppression
from rfs.notify.services import record_message, suppress
from rfs.notify.tasks import HEARTBEAT_KEY
from screening.models import Claim, ScheduledCall, ScreeningCall, Volunteer
from tests.factories.accounts import UserFactory
from tests.factories.candidates import CandidateFactory, SubmissionFactory
from tests.factories.endorsements import (
    ApplicationFactory,
    CandidacyFactory,
    EndorsementClassFactory,
)
from tests.factories.mentors import (
    MentorApplicationFactory,
    MentorFactory,
    MentorshipFactory,
    StateLeadFactory,
)
from tests.factories.partners import ContactFactory, PartnerFactory, ResourceFactory
from tests.factories.screening import ScreeningCallFactory, VolunteerApplicationFactory
from tests.factories.trainings import SessionFactory
from tests.support import totp
from trainings import services as trainings


@dataclass
class World:
    users: dict
    args: dict


def build(*, together: bool = False) -> World:
    """The organisation; `together` makes the staff member the mentor too, and the screener
    the candidate too (one person in two roles, each holding what both personas hold)."""
    staff = UserFactory(email="matrix-staff@example.org", role=Role.STAFF, is_staff=True)
    screener = UserFactory(email="matrix-screener@example.org", role=Role.SCREENER)
    if together:
        mentor_user = grant_role(user=staff, role=Role.MENTOR)
        candidate_user = grant_role(user=screener, role=Role.CANDIDATE)
    else:
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
    partner_call = ScreeningCallFactory(
        candidate=candidate, screener=screener, next_step=ScreeningCall.NextStep.PARTNER
    )
    booked = ScheduledCall.objects.create(
        candidate=candidate,
        screener=screener,
        claim=claim,
        starts_at=timezone.now() + timedelta(days=2),
        time_zone="America/New_York",
    )
    job = CandidateImport.objects.create(by=staff, file_name="a.csv", content="Email\n")
    email = record_message(key="matrix", to=candidate.email, subject="Hi", body_text="Hi")
    suppression = suppress(
        email="matrix-bounced@example.org",
        reason=Suppression.Reason.HARD_BOUNCE,
        source=Suppression.Source.PROVIDER,
    )
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
    # An outside reviewer assigned to one application of the candidate's race.
    reviewer = UserFactory(email="matrix-reviewer@example.org", role=Role.REVIEWER)
    candidacy = CandidacyFactory(candidate=candidate)
    endorsement_class = EndorsementClassFactory(elections=[candidacy.election])
    application = ApplicationFactory(candidacy=candidacy, endorsement_class=endorsement_class)
    application.reviewers.add(reviewer)
    # Everyone who sees personal data has a second factor; "staff without a second factor"
    # is a staff login whose session gave only the password.
    unverified_staff = UserFactory(
        email="matrix-staff-no-code@example.org", role=Role.STAFF, is_staff=True
    )
    # A partner with a login, a consented referral and a resource; another partner's login;
    # and a referral waiting for the candidate's consent.
    partner = PartnerFactory(name="Matrix Partner")
    partner_user = ContactFactory(partner=partner, user__email="matrix-partner@example.org").user
    plain_contact = ContactFactory(partner=partner, user=None, is_primary=False)
    other_partner_user = ContactFactory(
        partner=PartnerFactory(name="Other Partner"), user__email="matrix-other@example.org"
    ).user
    referral = propose_referral(
        candidate=candidate, partner=partner, by=staff, consent=Consent(words="Yes.")
    )
    proposed = propose_referral(
        candidate=candidate, partner=PartnerFactory(name="Asked Partner"), by=staff
    )
    resource = ResourceFactory(partner=partner)
    session = SessionFactory()
    trainings.invite(candidate=candidate, training=session.training, key="matrix")
    registration = trainings.register(session=SessionFactory(), candidate=candidate)
    for user in {
        staff,
        screener,
        mentor_user,
        partner_user,
        other_partner_user,
        reviewer,
        unverified_staff,
    }:
        totp.enrol(user)
    volunteer_application = VolunteerApplicationFactory()
    mentor_application = MentorApplicationFactory()
    volunteer = Volunteer.objects.create(user=screener, hours_per_week=3)
    source, _ = create_source(by=staff, name="Matrix form", owner="A partner", auth="token")
    destination = create_destination(name="CRM", url="http://127.0.0.1:9/", events=[])
    users = {
        "anonymous": None,
        "candidate": candidate_user,
        "screener": screener,
        "mentor": mentor_user,
        "partner": partner_user,
        "other partner": other_partner_user,
        "reviewer": reviewer,
        "staff without a second factor": unverified_staff,
        "staff": staff,
    }
    if together:
        users = {"staff+mentor": staff, "screener+candidate": screener}
    args = {
        "candidate": [candidate.uuid],
        "request": [question.uuid],
        "claim": [claim.uuid],
        "call": [call.uuid],
        "booked": [booked.uuid],
        "import": [job.uuid],
        "email": [email.uuid],
        "suppression": [suppression.uuid],
        "holiday": [holiday.pk],
        "review": [review.uuid],
        "mentor": [mentor.uuid],
        "mentorship": [mentorship.uuid],
        "lead": [mentor.uuid, "DC"],
        "match": [candidate.uuid, mentor.uuid],
        "update": [candidate.uuid, proposal.uuid, "dismiss"],
        "application": [application.uuid],
        "check": [application.uuid, "criminal"],
        "apply_for": [endorsement_class.uuid, candidate.uuid],
        "endorsement_class": [endorsement_class.uuid],
        "candidacy": [candidacy.uuid],
        "token": ["not-a-token"],
        "partner": [partner.uuid],
        "contact": [partner.uuid, plain_contact.pk],
        "referral": [referral.uuid],
        "referral_close": [referral.uuid, "no-answer"],
        "referral_accept": [referral.uuid, "accept"],
        "resource": [resource.uuid],
        "proposed": [proposed.uuid],
        "partner_call": [partner_call.uuid],
        "training": [session.training.uuid],
        "session": [session.uuid],
        "registration": [registration.uuid],
        "source": [source.uuid],
        "destination": [destination.uuid],
        "source_token": [source.uuid, "not-a-token"],
        "key": ["not-a-key"],
        "reset": ["1z", "not-a-key"],
        "guide_role": ["screener"],
        "volunteer_application": [volunteer_application.uuid],
        "mentor_application": [mentor_application.uuid],
        "volunteer": [volunteer.uuid],
    }
    return World(users=users, args=args)
