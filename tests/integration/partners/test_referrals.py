from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction

from candidates.models import HelpRequest
from partners.models import PARTNER_INTRO, Referral, ReferralMove, ReferralState
from partners.services import directory
from partners.services.referrals import (
    Consent,
    ReferralRefused,
    accept_referral,
    answer_in_portal,
    decline_referral,
    mark_helped,
    mark_no_answer,
    propose_referral,
    record_consent,
)
from rfs.notify.models import Notification
from tests.factories.candidates import CandidateFactory
from tests.factories.partners import PartnerFactory

pytestmark = pytest.mark.django_db

CONSENT = Consent(words="Yes, share my details with them.", fields=("phone", "office"))
# A Tuesday morning in the organisation's zone (UTC-5 in winter).
TUESDAY = datetime(2026, 1, 13, 15, 0, tzinfo=UTC)


def test_without_consent_nothing_is_sent_and_the_candidate_is_asked(
    candidate, partner, partner_user, staff
):
    referral = propose_referral(candidate=candidate, partner=partner, by=staff)

    assert referral.state == ReferralState.PROPOSED
    assert referral.help_request is None
    assert [n.template for n in Notification.objects.all()] == ["partner_consent_request"]
    assert Notification.objects.get().to_email == candidate.email
    assert not Referral.objects.visible_to(partner_user).exists()


def test_the_database_refuses_a_sent_referral_without_consent(candidate, partner, staff):
    referral = propose_referral(candidate=candidate, partner=partner, by=staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(state=ReferralState.SENT)


def test_consent_sends_it_introduces_both_sides_and_starts_the_partner_clock(
    candidate, partner, partner_user, staff
):
    referral = propose_referral(candidate=candidate, partner=partner, by=staff, at=TUESDAY)
    referral = record_consent(referral=referral, consent=CONSENT, by=staff, at=TUESDAY)

    assert referral.state == ReferralState.SENT
    assert referral.consent_words == CONSENT.words
    assert referral.consent_fields == ["phone", "office"]
    assert referral.consent_recorded_by == staff
    intro = referral.help_request
    assert intro.kind == PARTNER_INTRO
    assert intro.team == partner.team
    assert intro.owner is None
    # 3 business days: every day counts when no working hours are set.
    assert intro.due_at == TUESDAY + timedelta(days=3)
    to = {n.template: n.to_email for n in Notification.objects.all()}
    assert to["partner_intro_partner"] == partner_user.email
    assert to["partner_intro_candidate"] == candidate.email
    assert list(Referral.objects.visible_to(partner_user)) == [referral]


def test_business_days_skip_the_weekend_with_working_hours(candidate, partner, staff):
    from datetime import time

    from candidates.services.help_requests import set_working_hours

    set_working_hours(days={d: (time(9), time(17)) for d in range(5)})
    friday = TUESDAY + timedelta(days=3)
    referral = propose_referral(
        candidate=candidate, partner=partner, by=staff, consent=CONSENT, at=friday
    )
    # Friday 10:00 local + 3 business days = Wednesday 10:00 local.
    assert referral.help_request.due_at == friday + timedelta(days=5)


def test_a_partner_has_its_own_window(candidate, partner, staff):
    directory.set_response_days(partner=partner, days=5)
    assert directory.response_days_of(partner) == 5
    referral = propose_referral(
        candidate=candidate, partner=partner, by=staff, consent=CONSENT, at=TUESDAY
    )
    assert referral.help_request.due_at == TUESDAY + timedelta(days=5)
    other = PartnerFactory()
    assert directory.response_days_of(other) == 3


def test_the_whole_loop_keeps_a_row_per_move(candidate, partner, partner_user, staff):
    referral = propose_referral(
        candidate=candidate, partner=partner, by=staff, consent=CONSENT, at=TUESDAY
    )
    accept_referral(referral=referral, by=partner_user, at=TUESDAY + timedelta(hours=5))
    referral = mark_helped(
        referral=referral, by=partner_user, note="Ran a training", at=TUESDAY + timedelta(days=9)
    )

    assert referral.state == ReferralState.HELPED
    assert referral.outcome_note == "Ran a training"
    moves = list(
        ReferralMove.objects.filter(referral=referral).values_list("from_state", "to_state", "by")
    )
    assert moves == [
        ("", "proposed", staff.pk),
        ("proposed", "sent", staff.pk),
        ("sent", "accepted", partner_user.pk),
        ("accepted", "helped", partner_user.pk),
    ]
    intro = HelpRequest.objects.get(pk=referral.help_request_id)
    assert intro.first_response_at == TUESDAY + timedelta(hours=5)
    assert intro.status == HelpRequest.Status.RESOLVED


@pytest.mark.parametrize(
    ("path", "move", "allowed"),
    [
        ([], "accept", False),
        ([], "helped", False),
        ([], "no_answer", False),
        (["send"], "accept", True),
        (["send"], "decline", True),
        (["send"], "no_answer", True),
        (["send"], "helped", False),
        (["send", "accept"], "helped", True),
        (["send", "accept"], "decline", True),
        (["send", "accept"], "accept", False),
        (["send", "accept"], "no_answer", False),
        (["send", "accept", "helped"], "decline", False),
        (["send", "decline"], "accept", False),
        (["send", "no_answer"], "accept", False),
    ],
)
def test_each_move_is_allowed_or_refused(
    candidate, partner, partner_user, staff, path, move, allowed
):
    referral = propose_referral(candidate=candidate, partner=partner, by=staff)

    def do(step):
        if step == "send":
            return record_consent(referral=referral, consent=CONSENT, by=staff)
        if step == "accept":
            return accept_referral(referral=referral, by=partner_user)
        if step == "decline":
            return decline_referral(referral=referral, by=partner_user, reason="Full")
        if step == "helped":
            return mark_helped(referral=referral, by=partner_user, note="Trained")
        return mark_no_answer(referral=referral, by=staff)

    for step in path:
        referral = do(step)
    before = ReferralMove.objects.count()
    if allowed:
        do(move)
        assert ReferralMove.objects.count() == before + 1
    else:
        with pytest.raises(ReferralRefused):
            do(move)
        assert ReferralMove.objects.count() == before


def test_a_decline_needs_a_reason_and_a_helped_a_note(candidate, partner, partner_user, staff):
    referral = propose_referral(candidate=candidate, partner=partner, by=staff, consent=CONSENT)
    with pytest.raises(ReferralRefused):
        decline_referral(referral=referral, by=partner_user, reason="  ")
    accept_referral(referral=referral, by=partner_user)
    with pytest.raises(ReferralRefused):
        mark_helped(referral=referral, by=partner_user, note="")


def test_no_answer_closes_the_request_unanswered(candidate, partner, staff):
    referral = propose_referral(candidate=candidate, partner=partner, by=staff, consent=CONSENT)
    referral = mark_no_answer(referral=referral, by=staff)
    intro = HelpRequest.objects.get(pk=referral.help_request_id)
    assert intro.status == HelpRequest.Status.RESOLVED
    assert intro.first_response_at is None


def test_a_paused_partner_or_a_second_open_referral_is_refused(candidate, partner, staff):
    propose_referral(candidate=candidate, partner=partner, by=staff)
    with pytest.raises(ReferralRefused, match="already has an open referral"):
        propose_referral(candidate=candidate, partner=partner, by=staff)
    directory.set_active(partner=partner, active=False)
    with pytest.raises(ReferralRefused, match="paused"):
        propose_referral(candidate=CandidateFactory(), partner=partner, by=staff)


def test_the_candidate_answers_in_the_portal(candidate, partner, partner_user, staff):
    yes = propose_referral(candidate=candidate, partner=partner, by=staff)
    yes = answer_in_portal(referral=yes, agree=True, fields=["needs"], by=candidate.user)
    assert yes.state == ReferralState.SENT
    assert yes.consent_recorded_by is None
    assert partner.name in yes.consent_words
    assert yes.consent_fields == ["needs"]

    other = PartnerFactory()
    no = propose_referral(candidate=candidate, partner=other, by=staff)
    no = answer_in_portal(referral=no, agree=False, fields=[], by=candidate.user)
    assert no.state == ReferralState.DECLINED
    assert no.declined_by == Referral.DeclinedBy.CANDIDATE
    assert no.consent_at is None
    assert not Notification.objects.filter(
        template="partner_intro_partner", ref=candidate.ref, key__endswith=str(no.pk)
    ).exists()
