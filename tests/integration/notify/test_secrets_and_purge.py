"""Login codes and reset links are never readable afterwards; old bodies are purged."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from candidates.services import intake
from rfs.notify import delivery, services, tasks
from rfs.notify.models import Notification
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db
RESET_LINK = re.compile(r"/accounts/password/reset/key/\S+")


@pytest.fixture
def reset_email(client, staff) -> Notification:
    """A password-reset email as allauth records it: pending, not yet sent."""
    client.post(reverse("account_reset_password"), {"email": staff.email})
    return Notification.objects.get(to_email=staff.email)


@pytest.fixture
def admin_user(db):
    return UserFactory(email="root@example.org", is_staff=True, is_superuser=True)


def test_the_reset_link_is_sent_and_then_gone_from_the_outbox(reset_email):
    link = RESET_LINK.search(reset_email.body_text).group()
    assert delivery.deliver(notification_id=reset_email.pk)
    assert link in mail.outbox[0].body
    reset_email.refresh_from_db()
    assert reset_email.status == Notification.Status.SENT
    assert reset_email.body_text == reset_email.body_html == ""
    assert reset_email.body_removed_at is not None
    # What explains the record stays.
    assert reset_email.template == "account/email/password_reset_key"
    assert "Password Reset" in reset_email.subject
    assert reset_email.key.startswith("account:password_reset_key:")


def test_a_login_code_that_could_not_be_sent_is_not_kept_either(client, settings, flaky_smtp):
    from tests.factories.candidates import CandidateFactory

    settings.RFS_OUTBOX_MAX_ATTEMPTS = 1
    flaky_smtp["count"] = 5
    CandidateFactory(email="ada@example.org")
    client.post(reverse("portal:login"), {"email": "ada@example.org"})
    row = Notification.objects.get(to_email="ada@example.org")
    assert not delivery.deliver(notification_id=row.pk)
    row.refresh_from_db()
    assert row.status == Notification.Status.FAILED
    assert row.body_text == row.body_html == ""


def test_outbox_pages_never_show_an_account_email_body(client_for, staff, admin_user, reset_email):
    link = RESET_LINK.search(reset_email.body_text).group()
    pages = [reverse("notify:list"), reset_email.get_absolute_url()]
    for page in pages:
        html = client_for(staff).get(page).content.decode()
        assert link not in html, page
    detail = client_for(staff).get(reset_email.get_absolute_url()).content.decode()
    assert "carries a login code or link" in detail
    admin_page = reverse("admin:notify_notification_change", args=[reset_email.pk])
    response = client_for(admin_user).get(admin_page)
    assert response.status_code == 200
    assert link not in response.content.decode()


def test_other_emails_keep_their_body_when_sent(db):
    row = services.record_message(key="notice:1", to="ada@example.org", subject="Hi", body_text="x")
    delivery.deliver(notification_id=row.pk)
    row.refresh_from_db()
    assert (row.status, row.body_text, row.body_removed_at) == ("sent", "x", None)


def _sent(key: str, days_ago: int, status: str = Notification.Status.SENT) -> Notification:
    row = services.record_message(
        key=key, to="ada@example.org", subject=f"About {key}", body_text="text", body_html="<p>"
    )
    at = timezone.now() - timedelta(days=days_ago)
    Notification.objects.filter(pk=row.pk).update(
        created_at=at, status=status, sent_at=at if status == "sent" else None
    )
    return Notification.objects.get(pk=row.pk)


def test_purge_drops_old_bodies_and_keeps_what_explains_each_record(db):
    old = _sent("old", days_ago=91)
    old_failed = _sent("old-failed", days_ago=200, status=Notification.Status.FAILED)
    recent = _sent("recent", days_ago=89)
    waiting = _sent("waiting", days_ago=120, status=Notification.Status.PENDING)
    assert tasks.purge_bodies() == 2
    for row in (old, old_failed):
        kept = Notification.objects.get(pk=row.pk)
        assert kept.body_text == kept.body_html == ""
        assert kept.body_removed_at is not None
        assert (kept.key, kept.template, kept.subject, kept.to_email, kept.status) == (
            row.key,
            row.template,
            row.subject,
            row.to_email,
            row.status,
        )
        assert (kept.created_at, kept.sent_at) == (row.created_at, row.sent_at)
    # Younger than the setting, or not yet sent: untouched.
    assert Notification.objects.get(pk=recent.pk).body_text == "text"
    assert Notification.objects.get(pk=waiting.pk).body_text == "text"
    assert tasks.purge_bodies() == 0


def test_a_purged_email_is_still_recorded_only_once(db):
    _sent("follow-up:1", days_ago=100)
    tasks.purge_bodies()
    again = services.record_message(
        key="follow-up:1", to="ada@example.org", subject="Again", body_text="new"
    )
    assert Notification.objects.filter(key="follow-up:1").count() == 1
    assert again.body_text == ""


def test_purge_age_is_a_setting_and_runs_from_beat(settings):
    settings.RFS_OUTBOX_PURGE_AFTER = timedelta(days=10)
    row = _sent("eleven-days", days_ago=11)
    tasks.purge_bodies()
    assert Notification.objects.get(pk=row.pk).body_text == ""
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "rfs.notify.tasks.purge_bodies" in schedule


def test_a_purged_email_says_so_on_its_page(client_for, staff):
    row = _sent("old", days_ago=91)
    tasks.purge_bodies()
    html = client_for(staff).get(row.get_absolute_url()).content.decode()
    assert "removed" in html


def test_the_default_purge_age_is_90_days():
    assert timedelta(days=90) == settings.RFS_OUTBOX_PURGE_AFTER


@pytest.fixture
def flaky_smtp(settings):
    from tests.support import email_backends

    settings.EMAIL_BACKEND = "tests.support.email_backends.FlakyBackend"
    yield email_backends.failures_left
    email_backends.failures_left["count"] = 0


def test_the_link_that_confirms_a_proposed_update_is_not_kept_either(client, client_for, staff):
    from tests.factories.candidates import signup_form_data

    client.post("/signup/", signup_form_data())
    client.post("/signup/", signup_form_data(city="Baltimore", state="MD", zip_code="21201"))
    intake.resolve_waiting_signups()
    email = Notification.objects.get(template="update_confirm")
    link = email.context["link"]
    assert link.startswith("/signup/confirm/")
    assert link not in client_for(staff).get(email.get_absolute_url()).content.decode()
    delivery.deliver(notification_id=email.pk)
    assert link in mail.outbox[-1].body
    email.refresh_from_db()
    assert email.body_text == email.body_html == "" and email.context == {}
    assert email.body_removed_at is not None
