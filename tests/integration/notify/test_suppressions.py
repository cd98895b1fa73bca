"""The suppression list at sending time: what each reason holds back, the unsubscribe
headers of emails that are not direct answers, and VERP return paths."""

from pathlib import Path

import pytest
from django.core import mail
from django.db import transaction

from rfs.notify import delivery, kinds, services, suppressions
from rfs.notify.models import Notification, Suppression
from tests.support.waiting import wait_for

Reason = Suppression.Reason


def record(template: str = "request_reminder", to: str = "Ada@Example.org", key: str = "k:1"):
    return services.record(
        key=key,
        to=to,
        template=template,
        context={"name": "Ada", "link": "/x/", "day": "tomorrow", "heading": "Hi", "message": "."},
    )


def record_login_code(to: str = "ada@example.org", key: str = "account:code:1"):
    return services.record_message(
        key=key,
        to=to,
        subject="Your login code",
        body_text="123456",
        template="account/email/login_code",
        secret=True,
    )


def suppress(reason: str, email: str = "ada@example.org") -> Suppression:
    with transaction.atomic():
        return services.suppress(email=email, reason=reason, source=Suppression.Source.PROVIDER)


def test_every_email_template_says_whether_it_is_a_direct_answer():
    folder = Path(__file__).resolve().parents[3] / "templates" / "emails"
    templates = {p.name.removesuffix("_subject.txt") for p in folder.glob("*_subject.txt")}
    assert templates - set(kinds.registered()) == set()


@pytest.mark.django_db
def test_an_email_of_an_unregistered_kind_is_refused_when_recorded():
    with pytest.raises(LookupError, match="not registered"):
        services.record(key="x", to="a@example.org", template="nobody_said", context={})


def test_a_suppressed_address_is_never_sent_to_by_the_worker(celery_worker):
    suppress(Reason.HARD_BOUNCE)
    with transaction.atomic():
        held = record(template="signup_confirmation", to="ADA@example.org", key="k:held")
        other = record(template="signup_confirmation", to="bob@example.org", key="k:other")
    wait_for(lambda: Notification.objects.get(pk=other.pk).status == Notification.Status.SENT)
    wait_for(lambda: Notification.objects.get(pk=held.pk).status == Notification.Status.SUPPRESSED)
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
    held.refresh_from_db()
    assert "ada@example.org is suppressed (hard bounce" in held.last_error


@pytest.mark.django_db
def test_a_lifted_suppression_sends_again(staff):
    suppression = suppress(Reason.UNSUBSCRIBE)
    first = record(key="k:before")
    assert delivery.deliver(notification_id=first.pk) is False
    with transaction.atomic():
        assert services.lift(suppression=suppression, by=staff, note="They asked again.")
    second = record(key="k:after")
    assert delivery.deliver(notification_id=second.pk) is True
    suppression.refresh_from_db()
    assert suppression.lifted_by == staff and suppression.lifted_at is not None
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reason", "reminder", "answer", "login_code"),
    [
        (Reason.HARD_BOUNCE, False, False, False),
        (Reason.COMPLAINT, False, False, True),
        (Reason.UNSUBSCRIBE, False, True, True),
    ],
)
def test_what_each_reason_holds_back(reason, reminder, answer, login_code):
    suppress(reason)
    rows = [
        record(template="request_reminder", key="k:reminder"),
        record(template="request_reply", key="k:answer"),
        record_login_code(),
    ]
    delivery.send(delivery.claim(now=rows[-1].next_attempt_at))
    statuses = [Notification.objects.get(pk=row.pk).status for row in rows]
    sent = [status == Notification.Status.SENT for status in statuses]
    assert sent == [reminder, answer, login_code]
    assert set(statuses) <= {Notification.Status.SENT, Notification.Status.SUPPRESSED}


@pytest.mark.django_db
def test_a_held_back_login_code_is_not_kept():
    suppress(Reason.HARD_BOUNCE)
    row = record_login_code()
    delivery.deliver(notification_id=row.pk)
    row.refresh_from_db()
    assert row.status == Notification.Status.SUPPRESSED
    assert row.body_text == "" and row.body_removed_at is not None


@pytest.mark.django_db
def test_the_batch_check_is_one_query(django_assert_num_queries):
    rows = [record(key=f"k:{i}", to=f"p{i}@example.org") for i in range(5)]
    suppress(Reason.UNSUBSCRIBE, email="p1@example.org")
    batch = list(Notification.objects.filter(pk__in=[r.pk for r in rows]))
    with django_assert_num_queries(1):
        stopped = suppressions.stopped(batch)
    assert list(stopped) == [rows[1].pk]


@pytest.mark.django_db
def test_an_email_that_is_not_a_direct_answer_offers_one_click_unsubscribe(settings):
    row = record(template="screening_unresponsive")
    assert delivery.deliver(notification_id=row.pk)
    (message,) = mail.outbox
    headers = message.message()
    link = headers["List-Unsubscribe"].strip("<>")
    assert link.startswith(f"{settings.SITE_URL}/outbox/unsubscribe/")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The link carries the address, normalised.
    token = link.rstrip("/").rpartition("/")[2]
    assert suppressions.address_of(token) == "ada@example.org"


@pytest.mark.django_db
@pytest.mark.parametrize("template", ["signup_confirmation", "screening_call_confirmed"])
def test_a_direct_answer_has_no_unsubscribe_headers(template):
    row = record(template=template)
    assert delivery.deliver(notification_id=row.pk)
    headers = mail.outbox[0].message()
    assert headers["List-Unsubscribe"] is None and headers["List-Unsubscribe-Post"] is None


@pytest.mark.django_db
def test_without_a_bounce_domain_the_envelope_sender_is_the_from_address(settings):
    row = record()
    delivery.deliver(notification_id=row.pk)
    (message,) = mail.outbox
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert "mailto:" not in message.message()["List-Unsubscribe"]


@pytest.mark.django_db
def test_with_a_bounce_domain_the_envelope_sender_names_the_email(settings):
    settings.RFS_OUTBOX_BOUNCE_DOMAIN = "bounce.example.org"
    row = record()
    delivery.deliver(notification_id=row.pk)
    (message,) = mail.outbox
    envelope = message.from_email
    assert envelope.startswith(f"bounces+{row.pk}-") and envelope.endswith("@bounce.example.org")
    # The From header people see stays the organisation's.
    assert message.message()["From"] == settings.DEFAULT_FROM_EMAIL
    assert suppressions.read_verp(envelope) == ("bounce", row.pk)
    # Some servers lower- or upper-case the local part: still ours.
    assert suppressions.read_verp(envelope.upper()) == ("bounce", row.pk)
    mailto = message.message()["List-Unsubscribe"].split(", ")[1].strip("<>")
    address = mailto.removeprefix("mailto:").partition("?")[0]
    assert suppressions.read_verp(address) == ("unsubscribe", row.pk)


@pytest.mark.django_db
def test_a_forged_verp_address_is_not_read(settings):
    settings.RFS_OUTBOX_BOUNCE_DOMAIN = "bounce.example.org"
    row = record()
    genuine = suppressions.return_path(row)
    forged = genuine.replace(f"+{row.pk}-", f"+{row.pk + 1}-")
    assert suppressions.read_verp(forged) is None
    assert suppressions.read_verp("someone@bounce.example.org") is None
