"""A signup is stored in one INSERT and answered at once; a worker resolves it moments later
(woken by a doorbell, or by the sweep when none could ring), and nothing is lost on the way."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from candidates import tasks
from candidates.forms.intake import SignupForm
from candidates.models import Candidate, HelpRequest, StageChange, Submission, WaitingSignup
from candidates.services import intake
from rfs.accounts.models import Role
from rfs.notify.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.candidates import signup_form_data
from tests.support.waiting import wait_for


def store(unchecked: dict | None = None, **overrides) -> None:
    """A signup as the form checked it (then `unchecked` put in), stored without ringing for a
    worker."""
    posted = signup_form_data(**overrides)
    form = SignupForm(posted)
    assert form.is_valid(), form.errors
    intake.accept_signup(data={**form.cleaned_data, **(unchecked or {})}, payload=posted)


def test_a_real_worker_resolves_a_signup_and_delivers_its_email(celery_worker):
    response = Client().post("/signup/", signup_form_data(email="ada@example.org"))
    assert response.status_code == 302
    wait_for(lambda: Candidate.objects.filter(email="ada@example.org").exists())
    wait_for(lambda: [m.to for m in mail.outbox] == [["ada@example.org"]])
    assert Submission.objects.get().outcome == Submission.Outcome.CREATED
    assert not WaitingSignup.objects.exists()


def test_the_sweep_resolves_signups_whose_doorbell_never_rang(celery_worker):
    store(email="ada@example.org")  # while Redis was down: no worker was woken
    assert tasks.sweep_signups() == 1
    wait_for(lambda: Candidate.objects.filter(email="ada@example.org").exists())
    assert intake.waiting_signups() == 0
    assert tasks.sweep_signups() == 0


@pytest.mark.django_db
def test_a_signup_that_cannot_be_saved_stays_with_why_and_the_others_are_resolved(caplog):
    store(email="good@example.org", phone="202-555-0101")
    # Longer than its column: nothing the form lets through, so ours to look into.
    store({"first_name": "x" * 1000}, email="bad@example.org", phone="202-555-0102")
    assert intake.resolve_waiting_signups() == 2
    assert Candidate.objects.get().email == "good@example.org"
    kept = WaitingSignup.objects.get()
    assert kept.data["email"] == "bad@example.org"
    assert kept.reason == "Could not be saved: DataError"
    assert "could not be saved" in caplog.text
    # Not taken again, and not counted as waiting: staff see it in the admin.
    assert intake.waiting_signups() == 0
    assert intake.resolve_waiting_signups() == 0


@pytest.mark.django_db
def test_staff_are_alerted_once_an_hour_when_signups_wait_too_long_to_be_saved(settings):
    settings.RFS_INTAKE_ALERT_AFTER = timedelta(minutes=10)
    settings.RFS_STAFF_EMAIL = "ops@example.org"
    # Refused ones wait for staff, not for a worker: no alert for them.
    store({"first_name": "x" * 1000}, email="bad@example.org", phone="202-555-0102")
    intake.resolve_waiting_signups()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)  # all below in one hour
    with time_machine.travel(now, tick=False):
        store(email="ada@example.org")
    assert not intake.alert_if_signups_wait(now=now + timedelta(minutes=9))
    assert intake.alert_if_signups_wait(now=now + timedelta(minutes=11))
    assert not intake.alert_if_signups_wait(now=now + timedelta(minutes=11, seconds=30))
    (alert,) = Notification.objects.filter(template="signups_waiting")
    assert alert.to_email == "ops@example.org"
    assert "waited 11 minutes" in alert.subject
    assert alert.context["waiting"] == 1
    # Once saved, nothing waits and nobody is alerted.
    intake.resolve_waiting_signups()
    assert not intake.alert_if_signups_wait(now=now + timedelta(hours=3))


def test_the_sweep_alerts_staff_when_saving_keeps_failing(celery_worker, settings, monkeypatch):
    settings.RFS_INTAKE_ALERT_AFTER = timedelta(0)
    store(email="ada@example.org")

    def failing(**kwargs):
        raise RuntimeError("saving is broken")

    monkeypatch.setattr(intake, "resolve_waiting_signups", failing)
    assert tasks.sweep_signups() == 1
    assert Notification.objects.filter(template="signups_waiting").count() == 1
    assert intake.waiting_signups() == 1


@pytest.mark.django_db
def test_refused_signups_are_deleted_after_their_keeping_time(settings):
    settings.RFS_INTAKE_KEEP_REFUSED_DAYS = 30
    now = timezone.now()
    for email, days, reason in [
        ("old@example.org", 31, "Could not be saved: DataError"),
        ("recent@example.org", 29, "Could not be saved: DataError"),
        # Still waiting (no worker since): never deleted, however old.
        ("waiting@example.org", 31, ""),
    ]:
        WaitingSignup.objects.create(
            received_at=now - timedelta(days=days),
            data={"email": email},
            payload={"email": email},
            reason=reason,
        )
    assert tasks.purge_refused_signups() == 1
    assert sorted(WaitingSignup.objects.values_list("data__email", flat=True)) == [
        "recent@example.org",
        "waiting@example.org",
    ]


@pytest.mark.django_db
def test_staff_correct_a_refused_signup_in_the_admin_and_it_is_saved(client_for):
    store({"first_name": "x" * 1000}, email="ada@example.org")
    intake.resolve_waiting_signups()
    refused = WaitingSignup.objects.get()
    admin = UserFactory(role=Role.STAFF, is_staff=True, is_superuser=True)
    client = client_for(admin)
    url = reverse("admin:candidates_waitingsignup_change", args=[refused.pk])
    assert client.get(url).status_code == 200

    # Answers the form would refuse are refused here too, and nothing changes.
    wrong = {**refused.data, "first_name": "Ada", "email": "not an address"}
    response = client.post(url, {"data": json.dumps(wrong), "reason": ""})
    assert response.status_code == 200
    assert "email:" in response.content.decode()
    refused.refresh_from_db()
    assert refused.reason and refused.data["email"] == "ada@example.org"

    corrected = {**refused.data, "first_name": "Ada"}
    response = client.post(url, {"data": json.dumps(corrected), "reason": ""})
    assert response.status_code == 302
    assert intake.waiting_signups() == 1  # waiting again: the next sweep will wake a worker
    assert intake.resolve_waiting_signups() == 1
    assert Candidate.objects.get().first_name == "Ada"
    assert not WaitingSignup.objects.exists()


@pytest.mark.django_db
def test_signups_are_resolved_oldest_first_in_batches(settings):
    settings.RFS_SIGNUP_RATE_LIMIT = 100
    client = Client()
    for n in range(5):
        data = signup_form_data(email=f"p{n}@example.org", phone=f"202-555-01{n:02d}")
        assert client.post("/signup/", data).status_code == 302
    assert intake.resolve_waiting_signups(limit=2) == 2
    assert sorted(Candidate.objects.values_list("email", flat=True)) == [
        "p0@example.org",
        "p1@example.org",
    ]
    assert intake.waiting_signups() == 3
    assert intake.resolve_waiting_signups() == 3
    assert Candidate.objects.count() == 5


@pytest.mark.django_db
def test_a_signup_resolved_late_keeps_the_time_it_was_posted():
    posted = timezone.now() - timedelta(minutes=5)  # resolved after an outage of five minutes
    with time_machine.travel(posted, tick=False):
        assert Client().post("/signup/", signup_form_data()).status_code == 302
    intake.resolve_waiting_signups()
    candidate = Candidate.objects.get()
    assert Submission.objects.get().received_at == posted
    # The first contact is owed from the signup, and the history says when it came.
    assert HelpRequest.objects.get(candidate=candidate).opened_at == posted
    assert StageChange.objects.get(candidate=candidate).at == posted
    assert candidate.consent_at == posted


class Again:
    """Stands in for a task's .delay(): counts the hand-overs."""

    def __init__(self) -> None:
        self.handed_on = 0

    def delay(self) -> None:
        self.handed_on += 1


def test_a_worker_resolves_full_batches_until_one_is_not_and_unsets_the_doorbell():
    cache.set(tasks.SIGNUPS_DOORBELL, 1)
    batches, again = iter([intake.BATCH, intake.BATCH, 3, intake.BATCH]), Again()
    total = tasks._resolve_stored(tasks.SIGNUPS_DOORBELL, lambda: next(batches), again)
    assert total == 2 * intake.BATCH + 3
    assert next(batches) == intake.BATCH  # the batch after the short one was never taken
    assert cache.get(tasks.SIGNUPS_DOORBELL) is None
    assert again.handed_on == 0


def test_a_worker_past_its_time_hands_the_rest_to_a_fresh_task(monkeypatch):
    monkeypatch.setattr(tasks, "RESOLVE_SECONDS", 0)
    again = Again()
    assert tasks._resolve_stored(tasks.LEADS_DOORBELL, lambda: intake.BATCH, again) == (
        intake.BATCH
    )
    assert again.handed_on == 1
