"""seed_demo: the demo organisation, replayed through the services, once."""

import io
from datetime import timedelta
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from candidates import request_kinds
from candidates.models import (
    ALLOWED_MOVES,
    Candidate,
    HelpRequest,
    LeadSource,
    Note,
    OfficeLevel,
    RequestMessage,
    Stage,
    StageChange,
    Submission,
)
from candidates.services.help_requests import sweep_requests
from candidates.services.leads import reconciliation
from endorsements.models import Application
from endorsements.services import figures as endorsement_figures
from mentors.models import MENTOR_INTRO, Mentor, MentorApplication, Mentorship, StateLead
from rfs.accounts import onboarding
from rfs.accounts.models import Guide, Role, User
from rfs.demo import mentors, people, screening
from rfs.demo.logins import DEMO_PASSWORD, DEMO_SCREENERS
from rfs.notify.models import Notification, Suppression
from screening.models import (
    Claim,
    ContactAttempt,
    FollowUp,
    ScheduledCall,
    ScreeningCall,
    Volunteer,
    VolunteerApplication,
)
from trainings.models import Invitation, Registration, Session


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo, seeded once for this module (it takes a while) and rolled back after it."""
    out = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return Candidate.objects.filter(email__endswith=f"@{people.DOMAIN}")


def counts() -> tuple[int, ...]:
    models = [
        User,
        Candidate,
        StageChange,
        Submission,
        Note,
        HelpRequest,
        RequestMessage,
        Claim,
        ContactAttempt,
        ScreeningCall,
        ScheduledCall,
        Mentor,
        StateLead,
        Mentorship,
        Notification,
        Suppression,
    ]
    return tuple(model.objects.count() for model in models)


def test_demo_people_span_states_stages_and_levels_with_valid_histories(demo):
    assert demo.count() == people.COUNT
    assert demo.values("state").distinct().count() >= 15
    # Every stage but a lead's: the demo's leads come from its partner forms.
    assert set(demo.values_list("stage", flat=True)) == set(Stage.values) - {Stage.LEAD}
    assert set(demo.values_list("office_level", flat=True)) == set(OfficeLevel.values)

    # Every history walks the pipeline by its rules, in time order, to the current stage.
    for candidate in demo.prefetch_related("stage_changes"):
        changes = list(candidate.stage_changes.all())
        assert changes[0].from_stage == ""
        assert changes[0].at == candidate.created_at
        for before, after in pairwise(changes):
            assert after.from_stage == before.to_stage
            assert after.to_stage in ALLOWED_MOVES[before.to_stage]
            assert after.at >= before.at
        assert changes[-1].to_stage == candidate.stage
        assert changes[-1].at == candidate.stage_changed_at
    # The past is in the past: signups over the last six months, none after now.
    oldest = timezone.now() - timedelta(days=people.DAYS_BACK + 1)
    assert not demo.filter(Q(created_at__lt=oldest) | Q(created_at__gt=timezone.now())).exists()


def test_everyone_signed_up_through_the_form_and_has_a_first_contact_request(demo):
    submissions = Submission.objects.filter(candidate__in=demo)
    assert submissions.count() == people.COUNT
    assert set(submissions.values_list("channel", "outcome").distinct()) == {
        (Submission.Channel.FORM, Submission.Outcome.CREATED)
    }
    assert not submissions.exclude(received_at=F("candidate__created_at")).exists()
    assert Note.objects.filter(candidate__in=demo).exists()

    # Answered for everyone past signed up; some of those still waiting were answered too.
    requests = HelpRequest.objects.filter(kind=request_kinds.FIRST_CONTACT, candidate__in=demo)
    assert requests.count() == people.COUNT
    assert not (
        requests.exclude(candidate__stage=Stage.SIGNED_UP)
        .filter(first_response_at__isnull=True)
        .exists()
    )
    waiting = requests.filter(candidate__stage=Stage.SIGNED_UP)
    assert waiting.filter(first_response_at__isnull=False).exists()
    assert waiting.filter(first_response_at__isnull=True).exists()


def test_screening_work_matches_each_candidates_stage(demo):
    for email, _ in DEMO_SCREENERS:
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)
    held = demo.filter(stage=Stage.SCREENING)
    assert held.exists()
    for candidate in held:
        claim = Claim.objects.open().get(candidate=candidate)
        assert candidate.owner_id == claim.screener_id
        assert claim.last_contact_at is not None  # nothing the expiry sweep would release
    assert not Claim.objects.open().exclude(candidate__stage=Stage.SCREENING).exists()

    # The demo screener has claims to work, calls booked with some, and calls logged before.
    mine = Claim.objects.open().filter(screener__email="screener@example.org")
    assert mine.count() == screening.MAIN_SCREENER_CLAIMS
    booked = ScheduledCall.objects.upcoming().filter(screener__email="screener@example.org")
    assert booked.count() == screening.BOOKED_CALLS
    assert not booked.filter(starts_at__lte=timezone.now()).exists()
    assert ScreeningCall.objects.filter(screener__email="screener@example.org").exists()

    # Everyone past screening had a call that advanced them.
    past = demo.filter(
        stage__in=[Stage.SCREENED, Stage.ACTIVE, Stage.ON_BALLOT, Stage.WON, Stage.LOST]
    )
    assert past.exists()
    assert not past.exclude(screening_calls__outcome=ScreeningCall.Outcome.ADVANCE).exists()
    # Nobody waiting or claimed has a logged call.
    assert not ScreeningCall.objects.filter(
        candidate__stage__in=[Stage.SIGNED_UP, Stage.SCREENING]
    ).exists()
    # Unresponsive people were tried three times, over at least five days.
    unresponsive = demo.filter(stage=Stage.UNRESPONSIVE).annotate(
        failed=Count(
            "contact_attempts",
            filter=Q(contact_attempts__kind__in=ContactAttempt.FAILED_KINDS),
        )
    )
    assert unresponsive.exists() and all(c.failed >= 3 for c in unresponsive)


def test_mentors_leads_and_mentorships_fit_the_rules(demo):
    # Plus the demo logins mentor@example.org and dana@example.org (staff who also mentors).
    assert Mentor.objects.count() == mentors.MENTORS + 2
    known = {
        state for states in Mentor.objects.values_list("states", flat=True) for state in states
    }
    assert 28 <= len(known) <= 32
    led = set(StateLead.objects.active().values_list("state", flat=True))
    assert led < known  # some known states have no lead
    # Only candidates past screening have mentors, never over a mentor's capacity.
    assert Mentorship.objects.exists()
    assert not Mentorship.objects.exclude(candidate__stage__in=mentors.ADVANCED).exists()
    for mentor in Mentor.objects.with_load():
        assert mentor.load <= mentor.capacity
    intros = HelpRequest.objects.filter(kind=MENTOR_INTRO)
    assert intros.count() == Mentorship.objects.count()


def test_the_demo_staff_member_who_mentors_has_one_login_with_both_roles(demo):
    dana = Mentor.objects.get(email="dana@example.org").user
    assert dana.roles == [Role.STAFF, Role.MENTOR]
    assert dana.check_password(DEMO_PASSWORD)


def test_the_demo_mentor_has_mentees_with_questions_answered_and_waiting(demo):
    demo_mentor = Mentor.objects.get(email="mentor@example.org")
    assert demo_mentor.user.email == "mentor@example.org"
    assert demo_mentor.user.check_password(DEMO_PASSWORD)
    assert StateLead.objects.active().filter(mentor=demo_mentor).exists()
    assert Mentorship.objects.active().filter(mentor=demo_mentor).count() >= 3

    questions = HelpRequest.objects.filter(owner=demo_mentor.user, kind=request_kinds.QUESTION)
    assert questions.filter(status=HelpRequest.Status.RESOLVED).exists()
    overdue = HelpRequest.objects.filter(owner=demo_mentor.user).with_overdue(timezone.now())
    assert overdue.filter(overdue=True).exists()
    # The pool's questions are answered by staff, who then own them.
    answered_by_staff = HelpRequest.objects.filter(
        kind=request_kinds.QUESTION, owner__email="staff@example.org"
    )
    assert answered_by_staff.filter(first_response_at__isnull=False).exists()


def test_the_past_emails_are_history_and_none_waits_to_be_sent(demo):
    emails = Notification.objects.all()
    demo_signups = emails.filter(
        template="signup_confirmation", to_email__endswith=f"@{people.DOMAIN}"
    )
    assert demo_signups.count() == people.COUNT
    assert emails.filter(template="screening_advance").exists()
    assert emails.filter(template="mentor_intro_mentor").exists()
    assert not emails.exclude(status=Notification.Status.SENT).exists()
    assert not emails.exclude(sent_at=F("created_at")).exists()
    # The sweeps of the demo's past reminded and escalated as the beat would have: a fresh
    # demo does not start by sending staff a pile of escalations.
    assert emails.filter(template="request_escalation").exists()
    assert sweep_requests()["escalated"] == 0


def test_the_suppression_list_has_a_bounce_an_unsubscribe_and_a_lifted_complaint(demo):
    rows = Suppression.objects.filter(email__endswith=f"@{people.DOMAIN}")
    assert sorted(rows.values_list("reason", flat=True)) == [
        "complaint",
        "hard_bounce",
        "unsubscribe",
    ]
    assert list(rows.active().values_list("reason", flat=True).order_by("reason")) == [
        "hard_bounce",
        "unsubscribe",
    ]
    assert rows.get(reason="complaint").lifted_by.email == "staff@example.org"


def test_each_demo_partner_form_has_leads_and_one_waiting_for_a_fix(demo):
    sources = LeadSource.objects.all()
    assert sorted(sources.values_list("preset", flat=True)) == sorted(LeadSource.Preset.values)
    for source in sources:
        counts = reconciliation(source=source)
        assert counts["received"] == 6
        assert counts["counts"]["dead"] == 1 and counts["counts"]["pending"] == 0
    # Forms that did not ask to contact people made leads, never emailed.
    leads = Candidate.objects.filter(stage=Stage.LEAD)
    assert leads.count() == 15
    assert not Notification.objects.filter(to_email__in=leads.values("email")).exists()


def test_a_second_run_adds_nothing(demo):
    before = counts()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert counts() == before
    assert "already there" in out.getvalue()


def test_candidates_tops_up_a_synthetic_organisation_after_the_demo(demo):
    out = io.StringIO()
    call_command("seed_demo", candidates=120, stdout=out)
    synthetic = Candidate.objects.filter(email__endswith="@synthetic.example.org")
    assert synthetic.count() == 120
    assert demo.count() == people.COUNT
    assert "Demo logins" in out.getvalue()
    call_command("seed_demo", candidates=120, stdout=io.StringIO())
    assert synthetic.count() == 120


def test_partners_fill_every_partner_page(demo, client):
    from partners.models import Partner, Referral, ReferralState
    from rfs.demo.partners import DEMO_PARTNER, DEMO_PARTNER_LOGIN

    assert 45 <= Partner.objects.count() <= 55
    for name in ("Collective PAC", "PCCC", "EMILY's List", DEMO_PARTNER, "Inclusv"):
        assert Partner.objects.filter(name=name).exists()
    assert Partner.objects.filter(name__endswith="Democratic Party").count() >= 20
    referrals = Referral.objects.filter(candidate__in=demo)
    assert set(referrals.values_list("state", flat=True)) == set(ReferralState.values)
    # Every referral past proposed had consent; each has its history from its first move.
    assert (
        not referrals.exclude(state="proposed")
        .filter(consent_at__isnull=True, sent_at__isnull=False)
        .exists()
    )
    assert all(r.moves.first().to_state == "proposed" for r in referrals[:50])
    assert Submission.objects.filter(heard_from__startswith="partner:").exists()
    collective = Partner.objects.get(name="Collective PAC")
    assert collective.lead_sources.exists()

    # The demo partner login lands on its organisation's referrals.
    user = User.objects.get(email=DEMO_PARTNER_LOGIN)
    assert user.check_password(DEMO_PASSWORD)
    assert user.partner_contact.partner.name == DEMO_PARTNER
    client.force_login(user)
    home = client.get("/", follow=True)
    assert home.redirect_chain[-1][0] == "/partners/our/"
    ours = Referral.objects.filter(partner__name=DEMO_PARTNER).exclude(state="proposed")
    assert ours.exists()
    assert ours.first().candidate.last_name in home.content.decode()


def test_the_virginia_pilot_and_a_current_cycle_in_every_state_of_review(demo):
    [current, pilot] = endorsement_figures.endorsed_per_cycle()
    assert (pilot["cycle"], pilot["endorsed"], pilot["won"], pilot["lost"]) == (2025, 7, 2, 5)
    primaries = Application.objects.filter(
        candidacy__election__cycle=2025, candidacy__election__kind="primary", status="endorsed"
    )
    assert primaries.count() == 7
    current_cycle = Application.objects.filter(candidacy__election__cycle=current["cycle"])
    assert set(current_cycle.values_list("status", flat=True)) == set(Application.Status.values)
    reviewer = User.objects.get(email="reviewer@example.org")
    assert reviewer.check_password(DEMO_PASSWORD)
    assigned = Application.objects.visible_to(reviewer)
    assert assigned.filter(status__in=Application.UNDECIDED).exists()
    assert assigned.count() < Application.objects.count()
    # Every endorsement's stage moves went through move_stage: the pilot's winners are won.
    winners = Candidate.objects.filter(candidacies__result="won").distinct()
    assert set(winners.values_list("stage", flat=True)) == {Stage.WON}
    assert all(c.stage_changes.filter(to_stage=Stage.WON).exists() for c in winners)


def test_volunteers_and_mentors_wait_for_review_and_the_demo_screener_has_onboarded(demo):
    assert VolunteerApplication.objects.filter(status="pending").count() >= 2
    assert MentorApplication.objects.filter(status="pending").count() >= 2
    assert onboarding.current_agreement() is not None
    assert Guide.objects.filter(role="screener").exists()
    screener = User.objects.get(email="screener@example.org")
    assert onboarding.is_complete(screener)
    assert Volunteer.objects.filter(user=screener).exists()


def test_trainings_have_upcoming_sessions_invitations_and_registrations(demo):
    assert Session.objects.upcoming(timezone.now()).values("training").distinct().count() == 3
    training_calls = ScreeningCall.objects.filter(next_step=ScreeningCall.NextStep.TRAINING)
    assert training_calls.exists()
    assert Invitation.objects.filter(session__isnull=False).count() == training_calls.count()
    assert Registration.objects.exists()
    # Every call with a next step has its work.
    with_step = ScreeningCall.objects.exclude(next_step=ScreeningCall.NextStep.NONE)
    assert FollowUp.objects.count() == with_step.count()
