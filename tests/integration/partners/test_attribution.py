"""Attribution: the signup form offers active partners by name; the answer is kept on the
submission, and the report per partner counts it against a case worked out by hand."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from candidates.models import Submission
from candidates.services import intake
from candidates.services.pipeline import move_stage
from partners.services import directory
from partners.services.figures import partner_report
from partners.services.intake import refer_to_us
from partners.services.referrals import (
    Consent,
    accept_referral,
    decline_referral,
    mark_helped,
    propose_referral,
)
from tests.factories.candidates import CandidateFactory, SubmissionFactory, signup_form_data
from tests.factories.partners import PartnerFactory

pytestmark = pytest.mark.django_db

JAN = datetime(2026, 1, 1, 5, 0, tzinfo=UTC)
FEB = datetime(2026, 2, 1, 5, 0, tzinfo=UTC)


def test_the_signup_form_offers_active_partners_and_keeps_the_answer(client, partner):
    PartnerFactory(name="Paused Org", is_active=False)
    page = client.get("/signup/").content.decode()
    assert "Latino Victory Project" in page
    assert "Paused Org" not in page

    client.post("/signup/", signup_form_data(heard_from=partner.team))
    intake.resolve_waiting_signups()

    submission = Submission.objects.get()
    assert submission.heard_from == partner.team
    assert submission.payload["heard_from"] == partner.team


def test_an_unknown_or_paused_partner_is_a_form_error_not_a_500(client, partner):
    directory.set_active(partner=partner, active=False)
    response = client.post("/signup/", signup_form_data(heard_from=partner.team))
    assert response.status_code == 200
    assert "heard_from" in response.context["form"].errors
    assert not Submission.objects.exists()


def test_a_partner_login_refers_a_candidate_under_the_trust_rule(partner, partner_user):
    known = CandidateFactory(email="known@example.org", city="Phoenix")
    data = {
        "first_name": "Kim",
        "last_name": "Known",
        "email": "known@example.org",
        "zip_code": "85001",
        "state": "AZ",
        "city": "Tucson",
        "office_level": "city_council",
    }
    submission = refer_to_us(partner=partner, by=partner_user, data=data)

    assert submission.outcome == Submission.Outcome.MATCHED
    assert submission.heard_from == partner.team
    assert submission.channel == Submission.Channel.WEBHOOK
    known.refresh_from_db()
    assert known.city == "Phoenix"  # proposed, never applied by itself
    new = refer_to_us(partner=partner, by=partner_user, data={**data, "email": "new@example.org"})
    assert new.outcome == Submission.Outcome.CREATED
    assert new.candidate.source == "partner"
    assert new.candidate.source_detail == partner.name


def _sent(partner, at, **extra):
    candidate = CandidateFactory()
    with time_machine.travel(at, tick=False):
        SubmissionFactory(candidate=candidate, heard_from=partner.team, **extra)
    return candidate


def test_the_report_counts_a_case_worked_out_by_hand(partner, staff):
    other = PartnerFactory(name="Other")
    # Sent us in January: p1 (twice), p2, p3; p4 in December; p5 named the other partner.
    p1 = _sent(partner, JAN + timedelta(days=2))
    with time_machine.travel(JAN + timedelta(days=9), tick=False):
        SubmissionFactory(candidate=p1, heard_from=partner.team)
    p2 = _sent(partner, JAN + timedelta(days=3))
    _sent(partner, JAN + timedelta(days=4))
    p4 = _sent(partner, JAN - timedelta(days=3))
    _sent(other, JAN + timedelta(days=5))
    for stage in ("screening", "screened", "active", "on_ballot", "won"):
        move_stage(candidate=p1, to=stage, by=staff)
    for stage in ("screening", "screened"):
        move_stage(candidate=p2, to=stage, by=staff)
        move_stage(candidate=p4, to=stage, by=staff)

    # Referrals sent in January: helped (accepted after 10 h), declined (answered after
    # 30 h), still waiting; one proposed without consent; one sent in December.
    consent = Consent(words="Yes.")

    def refer(at):
        return propose_referral(
            candidate=CandidateFactory(), partner=partner, by=staff, consent=consent, at=at
        )

    helped = refer(JAN + timedelta(days=1))
    accept_referral(referral=helped, by=staff, at=JAN + timedelta(days=1, hours=10))
    mark_helped(referral=helped, by=staff, note="Trained", at=JAN + timedelta(days=6))
    declined = refer(JAN + timedelta(days=2))
    decline_referral(
        referral=declined, by=staff, reason="Full", at=JAN + timedelta(days=2, hours=30)
    )
    refer(JAN + timedelta(days=3))
    propose_referral(candidate=CandidateFactory(), partner=partner, by=staff)
    refer(JAN - timedelta(days=5))

    rows = partner_report(since=JAN, until=FEB, partners=[partner, other], now=FEB)
    row = rows[0]

    assert {k: row[k] for k in ("sent_us", "screened", "on_ballot", "won")} == {
        "sent_us": 3,
        "screened": 2,
        "on_ballot": 1,
        "won": 1,
    }
    assert {
        k: row[k] for k in ("referrals_sent", "accepted", "helped", "declined", "no_answer")
    } == {"referrals_sent": 3, "accepted": 1, "helped": 1, "declined": 1, "no_answer": 0}
    assert row["share_helped"] == pytest.approx(1 / 3)
    # Hours to answer: 10 and 30 → median 20, 90th percentile 10 + 0.9 * 20 = 28.
    assert row["median_hours_to_accept"] == pytest.approx(20)
    assert row["p90_hours_to_accept"] == pytest.approx(28)
    assert rows[1]["sent_us"] == 1
    assert rows[1]["referrals_sent"] == 0


def test_leads_through_a_partners_form_count_as_sent_by_it(client_for, partner, staff):
    from candidates.services.leads import create_source

    form, _ = create_source(by=staff, name="LVP signup form", owner="Latino Victory Project")
    other_form, _ = create_source(by=staff, name="Someone else's form", owner="Other")
    client = client_for(staff)
    response = client.post(
        reverse("partners:edit", args=[partner.uuid]),
        {"name": partner.name, "response_days": "3", "is_active": "on",
         "lead_sources": [str(form.pk)]},
    )  # fmt: skip
    assert response.status_code == 302
    assert [link.lead_source for link in partner.lead_sources.all()] == [form]
    assert "LVP signup form" in client.get(partner.get_absolute_url()).content.decode()

    both = CandidateFactory()
    with time_machine.travel(JAN + timedelta(days=1), tick=False):
        SubmissionFactory(lead_source=form)  # through its form
        SubmissionFactory(candidate=both, lead_source=form)
        SubmissionFactory(candidate=both, heard_from=partner.team)  # the same person, once
        SubmissionFactory(lead_source=other_form)  # not the partner's

    (row,) = partner_report(since=JAN, until=FEB, partners=[partner], now=FEB)
    assert row["sent_us"] == 2
