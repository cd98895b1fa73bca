"""Stalled candidates: the rule, one check-in per stall, the answers, staff's list."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate, HelpRequest, Stage, StageChange
from rfs.notify.models import Notification
from screening.models import CheckIn
from screening.services import stalls
from tests.factories.candidates import CandidateFactory
from tests.factories.trainings import SessionFactory
from trainings import services as trainings

pytestmark = pytest.mark.django_db


def quiet(weeks: int, **fields) -> Candidate:
    """A candidate whose every contact (signup, stage moves) was `weeks` ago."""
    candidate = CandidateFactory(stage=Stage.ACTIVE, **fields)
    then = timezone.now() - timedelta(weeks=weeks)
    Candidate.objects.filter(pk=candidate.pk).update(created_at=then)
    StageChange.objects.filter(candidate=candidate).update(at=then)
    return candidate


def test_quiet_for_the_set_weeks_is_stalled_and_any_contact_ends_it(settings):
    settings.RFS_STALLED_WEEKS = 6
    stalled, recent = quiet(7), quiet(5)
    screening_stage = quiet(9)
    Candidate.objects.filter(pk=screening_stage.pk).update(stage=Stage.SCREENING)
    assert list(stalls.stalled(timezone.now())) == [stalled]
    trainings.register(session=SessionFactory(), candidate=stalled)
    assert not stalls.stalled(timezone.now()).exists()
    del recent


@pytest.fixture(autouse=True)
def _always_waking_hours(monkeypatch, request):
    # Most tests here are about the stall, not the hour; the one about the hour says so.
    if "waking" not in request.node.name:
        monkeypatch.setattr(stalls, "CHECK_IN_HOURS", range(24))


def test_a_check_in_waits_for_the_candidates_waking_hours_across_a_dst_change():
    quiet(40, state="NY", city="Albany", zip_code="12207")
    # Sunday November 1 2026, New York's clocks go back at 2:00: 13:30 UTC is 8:30 EST,
    # which would have been 9:30 EDT a day earlier.
    assert stalls.send_check_ins(now=datetime(2026, 11, 1, 13, 30, tzinfo=UTC)) == 0
    assert stalls.send_check_ins(now=datetime(2026, 10, 31, 13, 30, tzinfo=UTC)) == 1


def test_one_check_in_per_stall_and_a_new_stall_gets_another():
    candidate = quiet(8)
    assert stalls.send_check_ins() == 1
    assert stalls.send_check_ins() == 0
    check_in = CheckIn.objects.get()
    stalls.answer_check_in(
        check_in=check_in, answer="all_good", at=timezone.now() - timedelta(weeks=7)
    )
    assert stalls.send_check_ins() == 1
    assert Notification.objects.filter(template="screening_check_in").count() == 2
    del candidate


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_check_in_once():
    for _ in range(3):
        quiet(10)
    barrier = threading.Barrier(2)
    counts = []

    def sweep():
        barrier.wait()
        counts.append(stalls.send_check_ins())
        close_old_connections()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 3
    assert Notification.objects.filter(template="screening_check_in").count() == 3


def test_i_need_help_opens_a_request_once(client):
    candidate = quiet(8)
    stalls.send_check_ins()
    link = Notification.objects.get(template="screening_check_in").context["need_help"]
    assert "I need help" in client.get(link).content.decode()
    client.post(link)
    client.post(link)
    assert HelpRequest.objects.filter(candidate=candidate, kind="check_in").count() == 1
    assert not stalls.stalled(timezone.now()).exists()


def test_staff_list_filters_by_state_and_stage_in_few_queries(
    client_for, staff, django_assert_num_queries
):
    quiet(8, state="NY", city="Albany", zip_code="12207")
    quiet(9, state="DC")
    on_ballot = quiet(10, state="DC")
    Candidate.objects.filter(pk=on_ballot.pk).update(stage=Stage.ON_BALLOT)
    client = client_for(staff)
    url = reverse("stalled_candidates")
    client.get(url)
    # user, count, page of rows
    with django_assert_num_queries(3):
        page = client.get(url)
    assert page.content.decode().count("stalled-row") == 3
    assert client.get(url, {"state": "DC"}).content.decode().count("stalled-row") == 2
    only = client.get(url, {"state": "DC", "stage": "on_ballot"}).content.decode()
    assert only.count("stalled-row") == 1 and on_ballot.display_name in only
