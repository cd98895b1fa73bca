"""Response-time figures against a fixture computed by hand.

Organisation zone: New York. "Now" is Saturday 20 June 2026, 08:00 there. Times below are
hours after opening. percentile_cont interpolates: for sorted values v0..v(n-1), the p-th
percentile sits at position p*(n-1).

Week of Monday 1 June:
  Q1 question, mentor A: first response 2 h, resolved 10 h, due 48 h
  Q2 question, mentor A: first response 4 h, resolved 20 h, due 48 h
  Q3 question, mentor B: first response 10 h, still open, due 48 h (past: overdue)
  Q4 question, mentor A: first response 60 h (late), resolved 70 h, due 48 h
  Q5 question, staff pool: opened Sunday 7 June 23:30 New York (already Monday 8 June in
     UTC, still the week of 1 June here), no answer, due 48 h (past: overdue)
  F1 first contact, screener: first response 1 h, resolved 1 h, due 72 h
Week of Monday 8 June:
  Q6 question, staff pool: first response 1 h, resolved 1 h, due 48 h
  F2 first contact, screener: first response 3 h, still open, due 72 h (answered: not overdue)
Week of Monday 15 June:
  Q7 question, staff pool: opened Friday 19 June 10:00, no answer, due 48 h (not yet due)
Before the period (week of 25 May): one question, ignored.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pytest import approx

from candidates import request_kinds
from candidates.models import HelpRequest
from candidates.services.response_times import (
    default_period,
    overdue_requests,
    owner_response_times,
    response_times_by_kind,
    weekly_response_times,
)
from rfs.accounts.models import User
from tests.factories.accounts import UserFactory
from tests.factories.candidates import CandidateFactory
from tests.factories.mentors import MentorFactory

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 6, 20, 8, tzinfo=NY)
SINCE = datetime(2026, 6, 1, tzinfo=NY)


def make(kind, opened, *, due, first=None, resolved=None, owner=None, open_=False):
    hours = timedelta(hours=1)
    return HelpRequest.objects.create(
        candidate=CandidateFactory(),
        kind=kind,
        owner=owner,
        opened_at=opened,
        due_at=opened + due * hours,
        first_response_at=opened + first * hours if first is not None else None,
        resolved_at=opened + resolved * hours if resolved is not None else None,
        status="resolved" if resolved is not None else "open",
    )


@pytest.fixture
def fixture_requests():
    a = MentorFactory(name="Mentor A")
    b = MentorFactory(name="Mentor B")
    screener = UserFactory(role="screener")
    q, f = request_kinds.QUESTION, request_kinds.FIRST_CONTACT
    rows = {
        "Q1": make(
            q, datetime(2026, 6, 1, 10, tzinfo=NY), due=48, first=2, resolved=10, owner=a.user
        ),
        "Q2": make(
            q, datetime(2026, 6, 2, 10, tzinfo=NY), due=48, first=4, resolved=20, owner=a.user
        ),
        "Q3": make(q, datetime(2026, 6, 3, 10, tzinfo=NY), due=48, first=10, owner=b.user),
        "Q4": make(
            q, datetime(2026, 6, 4, 10, tzinfo=NY), due=48, first=60, resolved=70, owner=a.user
        ),
        "Q5": make(q, datetime(2026, 6, 7, 23, 30, tzinfo=NY), due=48),
        "F1": make(
            f, datetime(2026, 6, 2, 9, tzinfo=NY), due=72, first=1, resolved=1, owner=screener
        ),
        "Q6": make(q, datetime(2026, 6, 8, 10, tzinfo=NY), due=48, first=1, resolved=1),
        "F2": make(f, datetime(2026, 6, 9, 10, tzinfo=NY), due=72, first=3, owner=screener),
        "Q7": make(q, datetime(2026, 6, 19, 10, tzinfo=NY), due=48),
        "old": make(q, datetime(2026, 5, 28, 10, tzinfo=NY), due=48, first=1, resolved=1),
    }
    return {"a": a, "b": b, **rows}


def test_default_period_is_twelve_weeks_from_a_monday_in_the_organisations_zone():
    since, until = default_period(weeks=3, now=NOW)
    assert since == SINCE and until == NOW


def test_weekly_figures_per_kind(fixture_requests):
    rows = weekly_response_times(since=SINCE, now=NOW)
    table = {(row["week"], row["kind"]): row for row in rows}
    assert list(table) == [
        (date(2026, 6, 1), "first_contact"),
        (date(2026, 6, 1), "question"),
        (date(2026, 6, 8), "first_contact"),
        (date(2026, 6, 8), "question"),
        (date(2026, 6, 15), "question"),
    ]
    week1 = table[(date(2026, 6, 1), "question")]
    assert (week1["opened"], week1["answered"], week1["resolved"]) == (5, 4, 3)
    # First responses 2, 4, 10, 60: median (4 + 10) / 2; p90 at 2.7: 10 + 0.7 * 50.
    assert week1["median_first_response_hours"] == approx(7)
    assert week1["p90_first_response_hours"] == approx(45)
    # Resolutions 10, 20, 70: median 20; p90 at 1.8: 20 + 0.8 * 50.
    assert week1["median_resolution_hours"] == approx(20)
    assert week1["p90_resolution_hours"] == approx(60)
    # Q1, Q2, Q3 on time; Q4 late; Q5 unanswered past due: 3 of 5.
    assert (week1["within_due"], week1["decided"]) == (3, 5)
    assert week1["share_within_due"] == approx(0.6)
    assert week1["overdue"] == 2

    f_week2 = table[(date(2026, 6, 8), "first_contact")]
    assert f_week2["median_first_response_hours"] == approx(3)
    assert f_week2["median_resolution_hours"] is None
    assert f_week2["overdue"] == 0

    week3 = table[(date(2026, 6, 15), "question")]
    assert week3["answered"] == 0 and week3["decided"] == 0
    assert week3["share_within_due"] is None
    assert week3["median_first_response_hours"] is None


def test_weekly_figures_for_all_kinds_together(fixture_requests):
    rows = weekly_response_times(since=SINCE, now=NOW, by_kind=False)
    week1 = rows[0]
    assert (week1["week"], week1["kind"], week1["opened"]) == (date(2026, 6, 1), "", 6)
    # First responses 1, 2, 4, 10, 60: median 4; p90 at 3.6: 10 + 0.6 * 50.
    assert week1["median_first_response_hours"] == approx(4)
    assert week1["p90_first_response_hours"] == approx(40)
    questions_only = weekly_response_times(since=SINCE, now=NOW, kind="question", by_kind=False)
    assert [row["opened"] for row in questions_only] == [5, 1, 1]


def test_figures_per_kind_over_the_period(fixture_requests):
    rows = {row["kind"]: row for row in response_times_by_kind(since=SINCE, now=NOW)}
    assert list(rows) == ["first_contact", "question"]
    question = rows["question"]
    assert question["opened"] == 7
    # First responses 1, 2, 4, 10, 60: median 4, p90 40.
    assert question["median_first_response_hours"] == approx(4)
    assert question["p90_first_response_hours"] == approx(40)
    # Resolutions 1, 10, 20, 70: median 15; p90 at 2.7: 20 + 0.7 * 50.
    assert question["median_resolution_hours"] == approx(15)
    assert question["p90_resolution_hours"] == approx(55)
    # On time: Q1, Q2, Q3, Q6. Decided: those, Q4 and Q5 (Q7 is not due yet).
    assert (question["within_due"], question["decided"]) == (4, 6)
    assert question["overdue"] == 2
    first = rows["first_contact"]
    # 1 and 3: median 2; p90 at 0.9: 1 + 0.9 * 2.
    assert first["median_first_response_hours"] == approx(2)
    assert first["p90_first_response_hours"] == approx(2.8)
    assert first["share_within_due"] == approx(1)
    assert first["kind_label"] == "First contact"


def test_figures_per_owner(fixture_requests):
    rows = owner_response_times(since=SINCE, now=NOW)
    # Slowest median first: B (10 h), A (4 h), the screener's first contacts (1 h, 3 h: 2 h).
    assert [row["owner_id"] for row in rows] == [
        fixture_requests["b"].user_id,
        fixture_requests["a"].user_id,
        fixture_requests["F1"].owner_id,
    ]
    b, a, screener = rows
    assert b["owner_name"] == "Mentor B"
    assert b["median_first_response_hours"] == approx(10) and b["overdue"] == 1
    # 2, 4, 60: median 4; p90 at 1.8: 4 + 0.8 * 56.
    assert a["median_first_response_hours"] == approx(4)
    assert a["p90_first_response_hours"] == approx(48.8)
    assert (a["within_due"], a["decided"], a["overdue"]) == (2, 3, 0)
    assert screener["median_first_response_hours"] == approx(2)
    mentors = User.objects.filter(pk__in=[fixture_requests["a"].user_id])
    only_a = owner_response_times(since=SINCE, now=NOW, owners=mentors)
    assert [row["owner_name"] for row in only_a] == ["Mentor A"]


def test_overdue_list(fixture_requests):
    rows = overdue_requests(now=NOW)
    assert [row["uuid"] for row in rows] == [
        fixture_requests["Q3"].uuid,
        fixture_requests["Q5"].uuid,
    ]
    q3, q5 = rows
    assert q3["owner_name"] == "Mentor B" and q5["owner_name"] is None
    # Q3 was due 5 June 10:00; now is 20 June 08:00: 14 days and 22 hours late.
    assert q3["hours_overdue"] == approx(14 * 24 + 22)
    assert q3["candidate_name"] == fixture_requests["Q3"].candidate.display_name
