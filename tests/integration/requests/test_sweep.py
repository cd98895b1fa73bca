from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from candidates import request_kinds
from candidates.models import HelpRequest
from candidates.services.help_requests import open_request, post_reply, sweep_requests
from candidates.tasks import sweep_requests as sweep_task
from mentors.models import MENTOR_INTRO
from rfs.notify.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.candidates import CandidateFactory
from tests.support.concurrency import at_once
from tests.support.outbox import delivered


@pytest.fixture
def opened():
    return timezone.now().replace(microsecond=0) - timedelta(days=30)


def ask(candidate, owner, opened, kind=request_kinds.QUESTION) -> HelpRequest:
    return open_request(candidate=candidate, kind=kind, owner=owner, subject="Help", at=opened)


@pytest.mark.django_db
def test_reminder_at_75_percent_then_escalation_after_due_each_once(mentor, opened):
    request = ask(CandidateFactory(), mentor, opened)  # due after 48 hours

    assert sweep_requests(now=opened + timedelta(hours=35)) == {"reminded": 0, "escalated": 0}
    assert sweep_requests(now=opened + timedelta(hours=36)) == {"reminded": 1, "escalated": 0}
    assert sweep_requests(now=opened + timedelta(hours=40)) == {"reminded": 0, "escalated": 0}
    request.refresh_from_db()
    assert request.reminded_at == opened + timedelta(hours=36)
    reminder = Notification.objects.get(template="request_reminder")
    assert reminder.to_email == mentor.email
    assert request.get_absolute_url() in delivered(reminder).body

    # Due at 48 hours: overdue (and escalated) only once the due time has passed.
    assert sweep_requests(now=opened + timedelta(hours=48)) == {"reminded": 0, "escalated": 0}
    late = opened + timedelta(hours=48, seconds=1)
    assert sweep_requests(now=late) == {"reminded": 0, "escalated": 1}
    assert sweep_requests(now=opened + timedelta(hours=60)) == {"reminded": 0, "escalated": 0}
    request.refresh_from_db()
    assert request.escalated_at == late
    escalation = Notification.objects.get(template="request_escalation")
    assert escalation.to_email == settings.RFS_STAFF_EMAIL
    assert Notification.objects.filter(template__startswith="request_").count() == 2


@pytest.mark.django_db
def test_staff_pool_reminders_go_to_the_staff_address(opened):
    ask(CandidateFactory(), None, opened)
    sweep_requests(now=opened + timedelta(hours=40))
    assert (
        Notification.objects.get(template="request_reminder").to_email == settings.RFS_STAFF_EMAIL
    )


@pytest.mark.django_db
def test_a_request_first_seen_after_its_due_time_is_escalated_not_reminded(opened, mentor):
    ask(CandidateFactory(), mentor, opened)
    assert sweep_requests(now=opened + timedelta(hours=50)) == {"reminded": 0, "escalated": 1}


@pytest.mark.django_db
def test_waiting_and_resolved_requests_are_left_alone(opened, mentor):
    waiting = ask(CandidateFactory(), mentor, opened)
    post_reply(
        help_request=waiting,
        author=mentor,
        body="Which one?",
        wait_for_candidate=True,
        at=opened + timedelta(hours=1),
    )
    resolved = ask(CandidateFactory(), mentor, opened)
    post_reply(
        help_request=resolved,
        author=mentor,
        body="Done",
        resolve=True,
        at=opened + timedelta(hours=1),
    )
    assert sweep_requests(now=opened + timedelta(hours=100)) == {"reminded": 0, "escalated": 0}


@pytest.mark.django_db
def test_answered_introduction_is_done_but_answered_question_is_due_to_be_resolved(opened, mentor):
    intro = ask(CandidateFactory(), mentor, opened, kind=MENTOR_INTRO)
    question = ask(CandidateFactory(), mentor, opened)
    for request in (intro, question):
        post_reply(
            help_request=request, author=mentor, body="Hello", at=opened + timedelta(hours=1)
        )
    assert sweep_requests(now=opened + timedelta(hours=80)) == {"reminded": 0, "escalated": 1}
    question.refresh_from_db()
    assert question.escalated_at is not None


@pytest.mark.django_db
def test_the_beat_task_runs_the_sweep(opened):
    ask(CandidateFactory(), None, opened)
    assert settings.CELERY_BEAT_SCHEDULE["sweep-help-requests"]["task"] == sweep_task.name
    assert sweep_task.apply().get() == {"reminded": 0, "escalated": 1}


def test_two_concurrent_sweeps_remind_and_escalate_each_request_once(transactional_db, opened):
    owner = UserFactory(role="mentor")
    to_remind = [
        ask(CandidateFactory(), owner, timezone.now() - timedelta(hours=40)) for _ in range(8)
    ]
    overdue = [ask(CandidateFactory(), owner, opened) for _ in range(8)]
    now = timezone.now()
    results = at_once(lambda: sweep_requests(now=now), lambda: sweep_requests(now=now))

    assert sum(r["reminded"] for r in results) == len(to_remind)
    assert sum(r["escalated"] for r in results) == len(overdue)
    assert Notification.objects.filter(template="request_reminder").count() == len(to_remind)
    assert Notification.objects.filter(template="request_escalation").count() == len(overdue)
    assert HelpRequest.objects.filter(reminded_at__isnull=False).count() == len(to_remind)
    assert HelpRequest.objects.filter(escalated_at__isnull=False).count() == len(overdue)
    # A third run, later, finds nothing left to do.
    assert sweep_requests(now=now + timedelta(minutes=5)) == {"reminded": 0, "escalated": 0}


@pytest.mark.django_db
def test_overdue_means_past_due_and_still_waiting_on_the_helpers(opened, mentor):
    late = ask(CandidateFactory(), mentor, opened)
    intro = ask(CandidateFactory(), mentor, opened, kind=MENTOR_INTRO)
    post_reply(help_request=intro, author=mentor, body="Hi", at=opened + timedelta(hours=1))
    waiting = ask(CandidateFactory(), mentor, opened)
    post_reply(help_request=waiting, author=mentor, body="?", wait_for_candidate=True, at=opened)
    now = timezone.now()
    flags = dict(HelpRequest.objects.with_overdue(now).values_list("pk", "overdue"))
    assert flags == {late.pk: True, intro.pk: False, waiting.pk: False}
    assert set(HelpRequest.objects.overdue(now)) == {late}
    assert set(HelpRequest.objects.to_escalate(now)) == {late}
