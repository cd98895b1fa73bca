from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from candidates.models import Candidate, OfficeLevel, Stage, StageChange, Submission
from screening.models import Claim, ScreeningCall, awaiting_contact
from screening.services import claims
from tests.factories.screening import ScreeningCallFactory, waiting_candidate

pytestmark = pytest.mark.django_db


def test_queue_lists_waiting_people_oldest_signup_first(client_for, screener):
    newer = waiting_candidate(
        first_name="Newer", city="Springfield", signed_up_ago=timedelta(hours=2)
    )
    # A last name that no filter option or page text holds: the page must not show it.
    oldest = waiting_candidate(
        first_name="Oldest", last_name="Zyxwvutsrq", signed_up_ago=timedelta(days=3)
    )
    held = waiting_candidate(first_name="Held", signed_up_ago=timedelta(days=9))
    claims.claim_candidate(candidate=held, screener=screener)
    closed = waiting_candidate(first_name="Closed", signed_up_ago=timedelta(days=12))
    Candidate.objects.filter(pk=closed.pk).update(stage=Stage.WITHDRAWN)

    page = client_for(screener).get(reverse("screening:queue")).content.decode()

    assert page.index("Oldest") < page.index("Newer")
    assert "Held" not in page and "Closed" not in page
    assert "3\xa0days" in page  # how long the oldest has waited
    assert oldest.last_name not in page and oldest.email not in page
    assert str(oldest.phone) not in page and newer.city not in page


def test_queue_filters_by_state_and_office_level(client_for, screener):
    waiting_candidate(first_name="Texan", state="TX", office_level=OfficeLevel.SCHOOL_BOARD)
    waiting_candidate(first_name="Ohioan", state="OH", office_level=OfficeLevel.SCHOOL_BOARD)
    waiting_candidate(first_name="Councillor", state="TX", office_level=OfficeLevel.CITY_COUNCIL)
    client = client_for(screener)

    page = client.get(reverse("screening:queue"), {"state": "TX"}).content.decode()
    assert "Texan" in page and "Councillor" in page and "Ohioan" not in page

    page = client.get(
        reverse("screening:queue"), {"state": "TX", "office_level": "school_board"}
    ).content.decode()
    assert "Texan" in page and "Councillor" not in page


def test_queue_page_runs_a_fixed_number_of_queries(client_for, screener, django_assert_num_queries):
    for n in range(3):
        waiting_candidate(first_name=f"Person{n}")
    client = client_for(screener)
    client.get(reverse("screening:queue"))  # warm the session
    with django_assert_num_queries(6):
        # user, onboarding done, the screener's languages, count, page of candidates,
        # the screener's open claims
        client.get(reverse("screening:queue"))
    for n in range(10):
        waiting_candidate(first_name=f"More{n}", language="es" if n % 2 else "en")
    with django_assert_num_queries(6):
        client.get(reverse("screening:queue"))


def test_claim_next_takes_the_longest_waiting_and_moves_them_to_screening(client_for, screener):
    waiting_candidate(first_name="Later", signed_up_ago=timedelta(hours=1))
    first = waiting_candidate(first_name="First", signed_up_ago=timedelta(days=2))

    response = client_for(screener).post(reverse("screening:claim_next"))

    assert response.url == reverse("screening:candidate", args=[first.uuid])
    first.refresh_from_db()
    assert first.stage == Stage.SCREENING
    assert first.owner == screener
    claim = Claim.objects.get(candidate=first)
    assert claim.screener == screener and claim.is_open
    move = StageChange.objects.filter(candidate=first).last()
    assert (move.from_stage, move.to_stage, move.by) == (Stage.SIGNED_UP, Stage.SCREENING, screener)


def test_claim_next_keeps_the_queue_filters(client_for, screener):
    waiting_candidate(first_name="Old", state="OH", signed_up_ago=timedelta(days=5))
    texan = waiting_candidate(first_name="Texan", state="TX")

    client_for(screener).post(reverse("screening:claim_next"), {"state": "TX"})

    assert Claim.objects.get().candidate == texan


def test_claim_next_with_nobody_waiting_says_so(client_for, screener):
    response = client_for(screener).post(reverse("screening:claim_next"), follow=True)
    assert "Nobody is waiting" in response.content.decode()
    assert not Claim.objects.exists()


def test_claiming_a_row_someone_just_claimed_is_refused_kindly(
    client_for, screener, other_screener
):
    candidate = waiting_candidate()
    claims.claim_candidate(candidate=candidate, screener=other_screener)

    response = client_for(screener).post(
        reverse("screening:claim", args=[candidate.uuid]), follow=True
    )

    assert "Someone else has just claimed" in response.content.decode()
    assert Claim.objects.get().screener == other_screener


def test_claiming_a_specific_row(client_for, screener):
    waiting_candidate(signed_up_ago=timedelta(days=4))
    chosen = waiting_candidate(first_name="Chosen")

    response = client_for(screener).post(reverse("screening:claim", args=[chosen.uuid]))

    assert response.url == reverse("screening:candidate", args=[chosen.uuid])
    assert Claim.objects.get().candidate == chosen


def test_a_not_yet_stays_out_of_the_queue_until_they_come_back(client_for, screener):
    candidate = waiting_candidate(first_name="Later")
    ScreeningCallFactory(candidate=candidate, outcome=ScreeningCall.Outcome.NOT_YET)
    assert client_for(screener).get(reverse("screening:queue")).content.decode().count("Later") == 0

    Submission.objects.create(candidate=candidate, payload={}, outcome=Submission.Outcome.UPDATED)

    assert "Later" in client_for(screener).get(reverse("screening:queue")).content.decode()


def test_a_second_not_yet_after_they_came_back_keeps_them_out_again(client_for, screener):
    candidate = waiting_candidate(first_name="Twice")
    ScreeningCallFactory(candidate=candidate, outcome=ScreeningCall.Outcome.NOT_YET)
    Submission.objects.create(candidate=candidate, payload={}, outcome=Submission.Outcome.UPDATED)
    assert awaiting_contact().filter(pk=candidate.pk).exists()

    ScreeningCallFactory(candidate=candidate, outcome=ScreeningCall.Outcome.NOT_YET)

    assert not awaiting_contact().filter(pk=candidate.pk).exists()
    assert "Twice" not in client_for(screener).get(reverse("screening:queue")).content.decode()


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def test_the_queues_count_looks_up_nothing_per_waiting_person():
    """The count reads the waiting rows once: claims, pauses and "not yet" calls are joined
    as sets, not looked up row by row (which at 30,000 waiting took 130 ms, and 0.8 s when
    PostgreSQL chose to compile it)."""
    for n in range(3):
        waiting_candidate(first_name=f"Person{n}")
    with CaptureQueriesContext(connection) as queries:
        assert awaiting_contact().count() == 3
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + queries[-1]["sql"])
        plan = cursor.fetchone()[0][0]["Plan"]

    scans = [node for node in _nodes(plan) if node.get("Relation Name") == "candidates_candidate"]
    assert scans
    for scan in scans:
        assert "SubPlan" not in scan.get("Filter", "")
        assert scan.get("Parent Relationship") != "SubPlan"


def test_release_puts_the_candidate_back_in_the_queue(client_for, screener):
    candidate = waiting_candidate(first_name="Returned")
    claim = claims.claim_candidate(candidate=candidate, screener=screener)

    client_for(screener).post(reverse("screening:release", args=[claim.uuid]))

    claim.refresh_from_db()
    candidate.refresh_from_db()
    assert claim.release_reason == Claim.ReleaseReason.RELEASED and not claim.is_open
    assert candidate.stage == Stage.SIGNED_UP and candidate.owner is None
    assert "Returned" in client_for(screener).get(reverse("screening:queue")).content.decode()
