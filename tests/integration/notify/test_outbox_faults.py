"""The outbox under faults: backoff with jitter, the staff alert when mail is stuck, a worker
that is shutting down handing over, and a database out of reach answered with a 503."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from rfs.notify import alerts, delivery, tasks
from rfs.notify.models import Notification
from tests.integration.notify.test_outbox import record_notice


def test_backoff_doubles_with_jitter_below_a_ceiling(settings):
    settings.RFS_OUTBOX_BACKOFF = timedelta(seconds=60)
    waits = [delivery.backoff(3) for _ in range(200)]
    assert all(timedelta(seconds=120) <= wait <= timedelta(seconds=240) for wait in waits)
    # Spread out, not one instant for every message that failed together.
    assert len({round(wait.total_seconds()) for wait in waits}) > 20
    assert delivery.backoff(30) <= timedelta(hours=6)


@pytest.mark.django_db
def test_staff_are_alerted_once_an_hour_when_the_oldest_unsent_email_is_too_old(settings):
    settings.RFS_OUTBOX_ALERT_AFTER = timedelta(minutes=30)
    settings.RFS_STAFF_EMAIL = "ops@example.org"
    now = timezone.now().replace(minute=0, second=0, microsecond=0)  # all below in one hour
    with time_machine.travel(now, tick=False):
        row = record_notice()
    assert not alerts.alert_if_stale(now=now + timedelta(minutes=29))
    assert alerts.alert_if_stale(now=now + timedelta(minutes=31))
    # The next sweeps in the same hour record nothing more.
    assert not alerts.alert_if_stale(now=now + timedelta(minutes=31, seconds=30))
    (alert,) = Notification.objects.filter(template=alerts.TEMPLATE)
    assert alert.to_email == "ops@example.org"
    assert "waited 31 minutes" in alert.subject
    assert alert.context["waiting"] == 1
    # Once it is sent, nothing is stuck and nobody is alerted.
    Notification.objects.filter(pk=row.pk).update(status="sent", sent_at=now)
    Notification.objects.filter(pk=alert.pk).update(status="sent", sent_at=now)
    assert not alerts.alert_if_stale(now=now + timedelta(hours=3))


@pytest.mark.django_db
def test_the_alert_task_is_swept_by_beat(settings):
    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "rfs.notify.alerts.alert_stale_outbox" in entries
    assert "rfs.notify.alerts" in settings.CELERY_IMPORTS
    assert alerts.alert_stale_outbox() is False


@pytest.mark.django_db
def test_a_stopping_worker_takes_no_new_batch(settings):
    for n in range(3):
        record_notice(key=f"notice:{n}", to=f"p{n}@example.org")
    monkey_batch = delivery.BATCH
    try:
        delivery.BATCH = 1
        calls = []

        def stopping() -> bool:
            calls.append(1)
            return len(calls) > 1

        assert delivery.deliver_due(stopping=stopping) == 1
    finally:
        delivery.BATCH = monkey_batch
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(status="pending").count() == 2


@pytest.mark.django_db
def test_a_worker_shutting_down_hands_what_is_left_to_another(settings, monkeypatch):
    from celery.utils.nodenames import gethostname

    settings.RFS_OUTBOX_GATHER_SECONDS = 0
    record_notice()
    queued = []
    monkeypatch.setattr(tasks.deliver_due, "delay", lambda: queued.append(1))
    # The flag the worker's main process sets on SIGTERM, read by the task between batches.
    tasks._worker_stopping(sender=gethostname())
    assert tasks.deliver_due.apply().get() == 0
    assert mail.outbox == [] and queued == [1]
    # Restarted under the same name, the worker delivers again.
    tasks._worker_started(sender=type("Worker", (), {"hostname": gethostname()}))
    assert tasks.deliver_due.apply().get() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_database_out_of_reach_is_a_503_not_a_500(monkeypatch):
    from candidates.views import intake

    def unreachable(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(intake, "render", unreachable)
    client = Client(raise_request_exception=False)
    response = client.get("/signup/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"back in a moment" in response.content


@pytest.mark.django_db
def test_any_other_error_is_still_a_500(monkeypatch):
    from candidates.views import intake

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(intake, "render", broken)
    client = Client(raise_request_exception=False)
    assert client.get("/signup/").status_code == 500


def test_sent_is_recorded_even_if_the_database_drops_out_for_a_moment(
    transactional_db, monkeypatch
):
    # The message was accepted; the database went away before the row was marked sent. The
    # worker tries again rather than leave the row claimed, to be handed back and sent twice.
    from django.db import connection

    row = record_notice()
    real, calls = delivery._sent, []

    def drops_once(rows):
        calls.append(len(rows))
        if len(calls) == 1:
            connection.close()
            raise OperationalError("server closed the connection unexpectedly")
        real(rows)

    monkeypatch.setattr(delivery, "_sent", drops_once)
    assert delivery.deliver(notification_id=row.pk)
    assert calls == [1, 1]
    assert Notification.objects.get(pk=row.pk).status == Notification.Status.SENT
    assert len(mail.outbox) == 1
