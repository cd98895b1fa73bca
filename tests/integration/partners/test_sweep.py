"""The partner's answer is a help request: reminded at 75 % of its window, escalated to
staff after it, each exactly once, by candidates' own sweep, even with two at once."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from candidates.models import HelpRequest
from candidates.services.help_requests import sweep_requests
from partners.services.referrals import Consent, accept_referral, propose_referral
from rfs.notify.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.candidates import CandidateFactory
from tests.factories.partners import ContactFactory, PartnerFactory
from tests.support.concurrency import at_once

CONSENT = Consent(words="Yes.")


def _send(partner, at):
    staff = UserFactory(role="staff")
    return propose_referral(
        candidate=CandidateFactory(), partner=partner, by=staff, consent=CONSENT, at=at
    )


@pytest.mark.django_db
def test_the_partner_is_reminded_at_75_percent_and_staff_hear_after_the_due_time(partner):
    contact = ContactFactory(partner=partner)
    opened = timezone.now().replace(microsecond=0) - timedelta(days=30)
    referral = _send(partner, opened)  # due after 3 days (72 hours, no working hours set)

    assert sweep_requests(now=opened + timedelta(hours=53)) == {"reminded": 0, "escalated": 0}
    assert sweep_requests(now=opened + timedelta(hours=54)) == {"reminded": 1, "escalated": 0}
    assert sweep_requests(now=opened + timedelta(hours=60)) == {"reminded": 0, "escalated": 0}
    reminder = Notification.objects.get(template="request_reminder")
    assert reminder.to_email == contact.email
    late = opened + timedelta(hours=72, seconds=1)
    assert sweep_requests(now=late) == {"reminded": 0, "escalated": 1}
    assert sweep_requests(now=late + timedelta(days=2)) == {"reminded": 0, "escalated": 0}
    assert Notification.objects.get(template="request_escalation").to_email == (
        settings.RFS_STAFF_EMAIL
    )
    assert HelpRequest.objects.get(pk=referral.help_request_id).escalated_at == late


@pytest.mark.django_db
def test_an_accepted_referral_is_neither_reminded_nor_escalated(partner, partner_user):
    opened = timezone.now() - timedelta(days=30)
    referral = _send(partner, opened)
    accept_referral(referral=referral, by=partner_user, at=opened + timedelta(hours=10))
    assert sweep_requests() == {"reminded": 0, "escalated": 0}


def test_two_concurrent_sweeps_remind_and_escalate_each_partner_request_once(transactional_db):
    partner = PartnerFactory()
    ContactFactory(partner=partner)
    now = timezone.now()
    to_remind = [_send(partner, now - timedelta(hours=60)) for _ in range(6)]
    overdue = [_send(partner, now - timedelta(days=10)) for _ in range(6)]
    results = at_once(lambda: sweep_requests(now=now), lambda: sweep_requests(now=now))

    assert sum(r["reminded"] for r in results) == len(to_remind)
    assert sum(r["escalated"] for r in results) == len(overdue)
    assert Notification.objects.filter(template="request_reminder").count() == len(to_remind)
    assert Notification.objects.filter(template="request_escalation").count() == len(overdue)
    assert sweep_requests(now=now + timedelta(minutes=5)) == {"reminded": 0, "escalated": 0}
