import pytest
from django.core import mail
from django.db import transaction

from rfs.notify import delivery, services
from rfs.notify.models import Notification
from tests.support.waiting import wait_for


def record_notice(key: str = "notice:1", to: str = "ada@example.org") -> Notification:
    return services.record(
        key=key,
        to=to,
        template="notice",
        context={"heading": "Your call is booked", "message": "See you Tuesday.", "name": "Ada"},
        ref="test:1",
    )


@pytest.mark.django_db
def test_same_key_is_recorded_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first = record_notice()
        second = record_notice()
    assert first.pk == second.pk
    assert Notification.objects.count() == 1
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_recorded_with_its_context_and_rendered_when_sent(django_capture_on_commit_callbacks):
    row = record_notice()
    row.refresh_from_db()
    assert row.subject == "Your call is booked"
    assert row.body_text == "" and row.context["name"] == "Ada"
    assert delivery.deliver(notification_id=row.pk)
    (message,) = mail.outbox
    assert "Hello Ada" in message.body
    assert "<p>See you Tuesday.</p>" in message.alternatives[0][0]
    assert message.extra_headers["Message-ID"] == f"<{row.uuid}@example.org>"


@pytest.mark.django_db
def test_recording_is_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        record_notice()


@pytest.mark.django_db
def test_delivery_waits_for_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        record_notice()
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_delivered_by_a_real_worker_after_commit(celery_worker):
    with transaction.atomic():
        row = record_notice()
        # Not sent inside the transaction that recorded it.
        assert mail.outbox == []
    wait_for(lambda: Notification.objects.get(pk=row.pk).status == Notification.Status.SENT)
    assert [m.subject for m in mail.outbox] == ["Your call is booked"]
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_rolled_back_transaction_records_and_sends_nothing(celery_worker):
    with pytest.raises(RuntimeError), transaction.atomic():
        record_notice()
        raise RuntimeError("the change failed")
    assert not Notification.objects.exists()
    assert mail.outbox == []


@pytest.fixture
def flaky_smtp(settings):
    from tests.support import email_backends

    settings.EMAIL_BACKEND = "tests.support.email_backends.FlakyBackend"
    yield email_backends.failures_left
    email_backends.failures_left["count"] = 0


def test_failing_backend_is_retried_with_backoff(celery_worker, flaky_smtp):
    import time_machine
    from django.utils import timezone

    from rfs.notify.tasks import requeue_pending

    flaky_smtp["count"] = 1
    row = record_notice()
    wait_for(lambda: Notification.objects.get(pk=row.pk).attempts == 1)
    wait_for(lambda: Notification.objects.get(pk=row.pk).status == Notification.Status.PENDING)
    row.refresh_from_db()
    assert "refused" in row.last_error
    assert row.next_attempt_at > timezone.now()
    assert mail.outbox == []
    # Before the backoff has passed the sweep leaves it alone; after, it is sent.
    assert requeue_pending() == 0
    with time_machine.travel(row.next_attempt_at, tick=True):
        assert requeue_pending() == 1
        wait_for(lambda: Notification.objects.get(pk=row.pk).status == Notification.Status.SENT)
    assert len(mail.outbox) == 1


def test_gives_up_after_the_last_attempt_and_keeps_the_error(db, settings, flaky_smtp):
    settings.RFS_OUTBOX_MAX_ATTEMPTS = 2
    flaky_smtp["count"] = 5
    row = record_notice()
    Notification.objects.filter(pk=row.pk).update(attempts=1)
    assert delivery.deliver(notification_id=row.pk) is False
    row.refresh_from_db()
    assert row.status == Notification.Status.FAILED
    assert row.attempts == 2
    assert "refused" in row.last_error


def test_sweeper_recovers_rows_recorded_while_the_broker_was_down(celery_worker, settings):

    from rfs.celery import app
    from rfs.notify.tasks import requeue_pending

    real_broker = app.conf.broker_url
    _use_broker(app, "redis://127.0.0.1:9/0")  # nothing listens there
    try:
        with transaction.atomic():
            row = record_notice()
    finally:
        _use_broker(app, real_broker)
    # The change committed; the email waits in the outbox, not lost.
    row.refresh_from_db()
    assert row.status == Notification.Status.PENDING
    assert row.attempts == 0
    assert requeue_pending() == 1
    wait_for(lambda: Notification.objects.get(pk=row.pk).status == Notification.Status.SENT)
    assert len(mail.outbox) == 1


def _use_broker(app, url: str) -> None:
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


def test_delivery_task_run_twice_sends_once(celery_worker):
    from rfs.notify.tasks import deliver_due

    with transaction.atomic():
        row = record_notice()
    deliver_due.delay()
    deliver_due.delay()
    wait_for(lambda: Notification.objects.get(pk=row.pk).status == Notification.Status.SENT)
    # Give the duplicate task time to run too.
    deliver_due.delay()
    import time

    time.sleep(1.0)
    assert len(mail.outbox) == 1
    assert Notification.objects.get(pk=row.pk).attempts == 1


def test_a_burst_rings_the_doorbell_once_and_one_connection_sends_it(
    db, django_capture_on_commit_callbacks, monkeypatch
):
    from celery import current_app

    sent_tasks = []
    monkeypatch.setattr(current_app, "send_task", lambda name, **kw: sent_tasks.append(name))
    with django_capture_on_commit_callbacks(execute=True):
        rows = [record_notice(key=f"notice:{n}", to=f"p{n}@example.org") for n in range(5)]
    assert sent_tasks == ["rfs.notify.tasks.deliver_due"]
    assert sent_tasks[0] in current_app.tasks
    opened = []
    from django.core.mail.backends.locmem import EmailBackend

    real_open = EmailBackend.open
    monkeypatch.setattr(EmailBackend, "open", lambda self: opened.append(1) or real_open(self))
    assert delivery.deliver_due() == 5
    assert opened == [1]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.to_email for r in rows)


def test_one_refused_message_does_not_stop_the_others(db, settings):
    settings.EMAIL_BACKEND = "tests.support.email_backends.RefusingSomeBackend"
    good = record_notice(key="notice:good", to="good@example.org")
    bad = record_notice(key="notice:bad", to="refused@example.org")
    assert delivery.deliver_due() == 1
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.status == Notification.Status.SENT
    assert (bad.status, bad.attempts) == (Notification.Status.PENDING, 1)
    assert [m.to for m in mail.outbox] == [["good@example.org"]]


def test_concurrent_deliveries_of_one_row_send_once(transactional_db):
    from tests.support.concurrency import at_once

    row = record_notice()

    def deliver_once() -> bool:
        return delivery.deliver(notification_id=row.pk)

    assert sorted(at_once(deliver_once, deliver_once)) == [False, True]
    assert len(mail.outbox) == 1


def test_stuck_sending_rows_are_handed_back(db):
    from datetime import timedelta

    from django.utils import timezone

    row = record_notice()
    Notification.objects.filter(pk=row.pk).update(
        status=Notification.Status.SENDING,
        claimed_at=timezone.now() - timedelta(minutes=30),
        attempts=1,
    )
    assert delivery.hand_back_stale() == 1
    assert Notification.objects.get(pk=row.pk).status == Notification.Status.PENDING
    assert delivery.deliver(notification_id=row.pk)
    # A retry of the same message: it keeps its Message-ID.
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<{row.uuid}@example.org>"


def test_staff_see_every_message_and_others_do_not(client_for, staff, screener):
    row = record_notice()
    response = client_for(staff).get(row.get_absolute_url())
    assert response.status_code == 200
    assert "See you Tuesday." in response.content.decode()
    assert client_for(screener).get("/outbox/").status_code == 403
