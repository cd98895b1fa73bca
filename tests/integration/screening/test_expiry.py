from datetime import timedelta

import pytest
from django.utils import timezone

from candidates.models import Stage
from rfs.notify.models import Notification
from screening import tasks
from screening.models import Claim, ContactAttempt
from screening.services import booking, claims, contact
from tests.factories.screening import waiting_candidate
from tests.support.outbox import delivered

pytestmark = pytest.mark.django_db


def _claim_aged(candidate, screener, hours: float) -> Claim:
    claim = claims.claim_candidate(candidate=candidate, screener=screener)
    Claim.objects.filter(pk=claim.pk).update(claimed_at=timezone.now() - timedelta(hours=hours))
    return claim


def test_beat_task_releases_a_claim_without_contact_after_48_hours(screener, settings):
    settings.RFS_STAFF_EMAIL = "team@example.org"
    candidate = waiting_candidate()
    claim = _claim_aged(candidate, screener, hours=49)

    assert tasks.expire_claims() == 1

    claim.refresh_from_db()
    candidate.refresh_from_db()
    assert claim.release_reason == Claim.ReleaseReason.EXPIRED and claim.released_at
    assert candidate.stage == Stage.SIGNED_UP and candidate.owner is None
    assert candidate.stage_changes.last().reason == "Expired without contact"
    emails = {n.to_email: n for n in Notification.objects.filter(ref=candidate.ref)}
    assert set(emails) == {screener.email, "team@example.org"}
    assert emails[screener.email].key == f"screening:claim-expired:{claim.pk}:screener"
    # The screener's email names nobody else: no candidate details in it.
    assert candidate.first_name not in delivered(emails[screener.email]).body


def test_expiry_is_told_once_even_if_the_task_runs_again(screener):
    _claim_aged(waiting_candidate(), screener, hours=72)

    assert tasks.expire_claims() == 1
    assert tasks.expire_claims() == 0

    assert Notification.objects.count() == 2


def test_a_young_claim_or_one_with_contact_is_kept(screener, other_screener):
    young = _claim_aged(waiting_candidate(), screener, hours=47)
    contacted_candidate = waiting_candidate()
    contacted = _claim_aged(contacted_candidate, other_screener, hours=100)
    contact.log_attempt(
        candidate=contacted_candidate,
        by=other_screener,
        kind=ContactAttempt.Kind.VOICEMAIL,
        at=timezone.now() - timedelta(hours=99),
    )

    assert tasks.expire_claims() == 0

    assert Claim.objects.open().filter(pk__in=[young.pk, contacted.pk]).count() == 2
    assert not Notification.objects.exists()


def test_expiry_hours_come_from_settings(screener, settings):
    settings.RFS_CLAIM_EXPIRY_HOURS = 4
    _claim_aged(waiting_candidate(), screener, hours=5)

    assert tasks.expire_claims() == 1


def test_a_candidate_moved_elsewhere_meanwhile_stays_where_staff_put_them(screener, staff):
    from candidates.services.pipeline import move_stage

    candidate = waiting_candidate()
    _claim_aged(candidate, screener, hours=60)
    move_stage(candidate=candidate, to=Stage.WITHDRAWN, by=staff, reason="Asked to stop")

    tasks.expire_claims()

    candidate.refresh_from_db()
    assert candidate.stage == Stage.WITHDRAWN and candidate.owner is None
    assert not Claim.objects.open().exists()


def test_a_claim_with_a_booked_call_is_kept(screener):
    candidate = waiting_candidate()
    _claim_aged(candidate, screener, hours=60)
    booking.schedule_call(
        candidate=candidate, by=screener, starts_at=timezone.now() + timedelta(days=1)
    )

    assert tasks.expire_claims() == 0


def test_the_sweeps_are_registered_with_beat(settings):
    from rfs.celery import app

    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for name in ("screening.tasks.expire_claims", "screening.tasks.send_call_reminders"):
        assert name in scheduled and name in app.tasks
