"""Every next step of a call becomes its work once, and editing the call changes it."""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import close_old_connections
from django.utils import timezone

from candidates.models import HelpRequest, Stage
from mentors.services import confirm_match
from partners.services.referrals import propose_referral
from rfs.notify.models import Notification
from screening.models import Claim, FollowUp, ScreeningCall, Volunteer, awaiting_contact
from screening.services import calls, claims, next_steps
from tests.factories.candidates import CandidateFactory
from tests.factories.mentors import MentorFactory
from tests.factories.partners import PartnerFactory
from tests.factories.screening import waiting_candidate
from tests.factories.trainings import SessionFactory
from trainings.models import Invitation

pytestmark = pytest.mark.django_db
Step = ScreeningCall.NextStep
SCORES = {
    f: 4
    for f in (
        "score_motivation",
        "score_community",
        "score_readiness",
        "score_viability",
        "score_openness",
    )
}


def log(candidate, screener, step, *, outcome=ScreeningCall.Outcome.ADVANCE, **details):
    claims.claim_candidate(candidate=candidate, screener=screener)
    call, _ = calls.log_call(
        candidate=candidate,
        by=screener,
        happened_at=timezone.now() - timedelta(minutes=30),
        duration_minutes=30,
        outcome=outcome,
        scores=SCORES,
        next_step=step,
        **details,
    )
    return call


def open_requests(candidate, kind):
    return HelpRequest.objects.filter(candidate=candidate, kind=kind).exclude(status="resolved")


def test_match_a_mentor_is_a_staff_request_due_in_3_business_days_resolved_by_a_mentorship(
    screener, staff
):
    candidate = waiting_candidate()
    call = log(candidate, screener, Step.MENTOR, next_step_note="Wants a fundraiser")
    match = open_requests(candidate, "mentor_match").get()
    assert (match.owner, match.team, match.subject) == (None, "", "Wants a fundraiser")
    assert call.follow_up.help_request == match
    assert call.follow_up.due_at == match.due_at > timezone.now() + timedelta(days=2)
    confirm_match(candidate=candidate, mentor=MentorFactory(), by=staff)
    match.refresh_from_db()
    assert match.status == "resolved" and match.first_response_at is not None


def test_refer_to_a_partner_is_a_staff_request_a_referral_answers(screener, staff):
    candidate = waiting_candidate()
    log(candidate, screener, Step.PARTNER)
    to_make = open_requests(candidate, "referral_to_make").get()
    candidate.refresh_from_db()
    propose_referral(candidate=candidate, partner=PartnerFactory(), by=staff)
    to_make.refresh_from_db()
    assert to_make.status == "resolved"


def test_staff_follow_up_carries_the_screeners_note(screener):
    candidate = waiting_candidate()
    log(candidate, screener, Step.STAFF, next_step_note="Call her about the filing fee")
    assert open_requests(candidate, "staff_follow_up").get().subject == (
        "Call her about the filing fee"
    )


def test_invite_to_a_training_invites_to_its_next_session(screener):
    session = SessionFactory()
    candidate = waiting_candidate()
    call = log(candidate, screener, Step.TRAINING, training_uuid=session.training.uuid)
    invitation = Invitation.objects.get(candidate=candidate)
    assert invitation.session == session
    assert call.follow_up.done_at == invitation.sent_at is not None


def test_try_again_gives_the_candidate_back_after_a_pause(screener, settings):
    candidate = waiting_candidate()
    call = log(candidate, screener, Step.TRY_AGAIN, outcome=ScreeningCall.Outcome.NO_CONTACT)
    assert call.claim.__class__.objects.get(pk=call.claim_id).release_reason == "paused"
    candidate.refresh_from_db()
    assert candidate.stage == Stage.SIGNED_UP
    assert not awaiting_contact().filter(pk=candidate.pk).exists()
    FollowUp.objects.filter(call=call).update(back_in_queue_at=timezone.now() - timedelta(hours=1))
    assert awaiting_contact().filter(pk=candidate.pk).exists()
    claims.claim_candidate(candidate=candidate, screener=screener)
    assert FollowUp.objects.get(call=call).done_at is not None


@pytest.mark.parametrize("step", [Step.MENTOR, Step.PARTNER, Step.STAFF])
def test_each_request_step_makes_exactly_one_request(screener, step):
    candidate = waiting_candidate()
    log(candidate, screener, step)
    kinds = {
        Step.MENTOR: "mentor_match",
        Step.PARTNER: "referral_to_make",
        Step.STAFF: "staff_follow_up",
    }
    assert open_requests(candidate, kinds[step]).count() == 1
    assert FollowUp.objects.filter(candidate=candidate).count() == 1


def test_editing_the_note_changes_the_request_not_adds_one(screener):
    candidate = waiting_candidate()
    call = log(candidate, screener, Step.STAFF, next_step_note="First")
    calls.edit_call(call=call, by=screener, changes={"next_step_note": "Second"})
    assert list(open_requests(candidate, "staff_follow_up").values_list("subject", flat=True)) == [
        "Second"
    ]


def test_editing_the_step_withdraws_the_old_work_and_makes_the_new(screener):
    candidate = waiting_candidate()
    session = SessionFactory()
    call = log(candidate, screener, Step.MENTOR)
    calls.edit_call(
        call=call,
        by=screener,
        changes={"next_step": Step.TRAINING, "training_uuid": session.training.uuid},
    )
    withdrawn = HelpRequest.objects.get(candidate=candidate, kind="mentor_match")
    assert withdrawn.status == "resolved" and withdrawn.first_response_at is None
    assert FollowUp.objects.get(call=call).step == Step.TRAINING
    assert Invitation.objects.filter(candidate=candidate, withdrawn_at__isnull=True).count() == 1
    calls.edit_call(call=call, by=screener, changes={"next_step": Step.STAFF})
    assert Invitation.objects.get(candidate=candidate).withdrawn_at is not None
    assert open_requests(candidate, "staff_follow_up").count() == 1
    assert FollowUp.objects.filter(candidate=candidate).count() == 1


def test_no_next_step_makes_no_work(screener):
    candidate = waiting_candidate()
    call = log(candidate, screener, Step.NONE)
    assert not FollowUp.objects.filter(call=call).exists()


# --- Check-backs ---------------------------------------------------------------------


def not_yet_with_check_back(screener, day):
    candidate = waiting_candidate(state="NY", city="Albany", zip_code="12207")
    return log(
        candidate,
        screener,
        Step.CHECK_BACK,
        outcome=ScreeningCall.Outcome.NOT_YET,
        check_back_on=day,
    )


def test_the_check_back_falls_at_10_in_the_candidates_zone_across_a_dst_change(screener):
    # November 1 2026: New York's clocks go back an hour that night.
    call = not_yet_with_check_back(screener, date(2026, 11, 2))
    follow_up = FollowUp.objects.get(call=call)
    assert follow_up.due_at == datetime(2026, 11, 2, 15, 0, tzinfo=UTC)  # 10:00 EST
    assert next_steps.send_check_backs(now=datetime(2026, 11, 2, 14, 0, tzinfo=UTC)) == 0
    assert next_steps.send_check_backs(now=datetime(2026, 11, 2, 15, 0, tzinfo=UTC)) == 1
    assert next_steps.send_check_backs(now=datetime(2026, 11, 3, tzinfo=UTC)) == 0
    assert Notification.objects.filter(template="screening_check_back").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_check_back_sweeps_at_once_send_each_email_once(screener):
    for _ in range(4):
        not_yet_with_check_back(screener, timezone.localdate() + timedelta(days=1))
    later = timezone.now() + timedelta(days=3)
    barrier = threading.Barrier(2)
    counts = []

    def sweep():
        barrier.wait()
        counts.append(next_steps.send_check_backs(now=later))
        close_old_connections()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 4
    assert Notification.objects.filter(template="screening_check_back").count() == 4


def test_talk_again_gives_the_candidate_back_to_their_screener_once(client, screener):
    call = not_yet_with_check_back(screener, timezone.localdate() + timedelta(days=1))
    next_steps.send_check_backs(now=timezone.now() + timedelta(days=3))
    link = Notification.objects.get(template="screening_check_back").context["link"]
    assert "talk again" in client.get(link).content.decode()
    client.post(link)
    client.post(link)
    claim = Claim.objects.open().get(candidate=call.candidate)
    assert claim.screener == screener
    assert Notification.objects.filter(template="screening_talk_again").count() == 1


def test_talk_again_without_an_active_screener_puts_them_in_the_queue(screener):
    call = not_yet_with_check_back(screener, timezone.localdate() + timedelta(days=1))
    screener.is_active = False
    screener.save()
    follow_up = FollowUp.objects.get(call=call)
    assert not awaiting_contact().filter(pk=call.candidate_id).exists()
    assert next_steps.talk_again(follow_up=follow_up)
    assert not next_steps.talk_again(follow_up=follow_up)
    assert awaiting_contact().filter(pk=call.candidate_id).exists()


def test_talk_again_while_their_screener_is_paused_puts_them_in_the_queue(screener):
    call = not_yet_with_check_back(screener, timezone.localdate() + timedelta(days=1))
    Volunteer.objects.create(user=screener, paused_at=timezone.now())
    assert next_steps.talk_again(follow_up=FollowUp.objects.get(call=call))
    assert not Claim.objects.open().filter(candidate=call.candidate).exists()
    assert awaiting_contact().filter(pk=call.candidate_id).exists()


def test_talk_again_after_screening_opens_a_request_for_the_screener(screener):
    candidate = CandidateFactory()
    call = log(
        waiting_candidate(),
        screener,
        Step.CHECK_BACK,
        check_back_on=timezone.localdate() + timedelta(days=30),
    )
    del candidate
    assert next_steps.talk_again(follow_up=call.follow_up)
    assert open_requests(call.candidate, "talk_again").get().owner == screener
