import pytest
from django.core import mail
from django.db import transaction

from rfs.notify import services
from rfs.notify.models import Notification


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
def test_rendered_from_templates(django_capture_on_commit_callbacks):
    row = record_notice()
    assert row.subject == "Your call is booked"
    assert "Hello Ada" in row.body_text
    assert "<p>See you Tuesday.</p>" in row.body_html


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
    _wait_for(lambda: Notification.objects.get(pk=row.pk).status == Notification.Status.SENT)
    assert [m.subject for m in mail.outbox] == ["Your call is booked"]
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_rolled_back_transaction_records_and_sends_nothing(celery_worker):
    with pytest.raises(RuntimeError), transaction.atomic():
        record_notice()
        raise RuntimeError("the change failed")
    assert not Notification.objects.exists()
    assert mail.outbox == []


def _wait_for(condition, seconds: float = 15) -> None:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")
