import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.csv_files import neutralise as csv_cell
from screening.models import ContactAttempt, ScreeningCall
from screening.services import claims
from tests.factories.candidates import CandidateFactory
from tests.factories.screening import ScreenerFactory, ScreeningCallFactory, waiting_candidate

pytestmark = pytest.mark.django_db


def _month_start():
    return timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def test_a_screeners_page_shows_their_hours_this_month_and_overall(
    client_for, screener, other_screener
):
    this_month = max(_month_start() + timedelta(hours=1), timezone.now() - timedelta(hours=1))
    ScreeningCallFactory(screener=screener, duration_minutes=45, happened_at=this_month)
    ScreeningCallFactory(screener=screener, duration_minutes=30, happened_at=this_month)
    ScreeningCallFactory(
        screener=screener, duration_minutes=60, happened_at=_month_start() - timedelta(days=3)
    )
    ScreeningCallFactory(screener=other_screener, duration_minutes=200)

    html = client_for(screener).get(reverse("screening:mine")).content.decode()

    assert '<p class="h4 mb-0" id="hours-month">1 h 15 min</p>' in html
    assert '<p class="h4 mb-0" id="hours-total">2 h 15 min</p>' in html
    assert '<p class="h4 mb-0" id="calls-total">3</p>' in html


def test_a_screeners_page_lists_their_open_claims(client_for, screener, other_screener):
    mine = waiting_candidate(first_name="Mine")
    theirs = waiting_candidate(first_name="Theirs")
    claims.claim_candidate(candidate=mine, screener=screener)
    claims.claim_candidate(candidate=theirs, screener=other_screener)

    html = client_for(screener).get(reverse("screening:mine")).content.decode()

    assert mine.display_name in html and theirs.display_name not in html


def test_the_screeners_page_runs_a_fixed_number_of_queries(
    client_for, screener, django_assert_num_queries
):
    for _ in range(3):
        claims.claim_candidate(candidate=waiting_candidate(), screener=screener)
        ScreeningCallFactory(screener=screener)
    client = client_for(screener)
    client.get(reverse("screening:mine"))
    with django_assert_num_queries(7):
        # user, onboarding done, hours, claims, their booked calls, count of calls, page of calls
        client.get(reverse("screening:mine"))
    ScreeningCallFactory.create_batch(4, screener=screener)
    with django_assert_num_queries(7):
        client.get(reverse("screening:mine"))


def test_staff_filter_all_calls(client_for, staff, screener, other_screener):
    ohio = CandidateFactory(first_name="Ohioan", state="OH")
    texas = CandidateFactory(first_name="Texan", state="TX")
    ScreeningCallFactory(candidate=ohio, screener=screener)
    ScreeningCallFactory(
        candidate=texas,
        screener=other_screener,
        outcome=ScreeningCall.Outcome.NOT_A_FIT,
        happened_at=timezone.now() - timedelta(days=40),
    )
    client = client_for(staff)
    url = reverse("screening:calls")

    assert "Texan" not in client.get(url, {"screener": screener.pk}).content.decode()
    assert "Ohioan" not in client.get(url, {"outcome": "not_a_fit"}).content.decode()
    assert "Ohioan" not in client.get(url, {"state": "TX"}).content.decode()
    recent = client.get(
        url, {"start": (timezone.localdate() - timedelta(days=7)).isoformat()}
    ).content.decode()
    assert "Ohioan" in recent and "Texan" not in recent
    bad = client.get(url, {"start": "2026-05-02", "end": "2026-05-01"}).content.decode()
    assert "cannot be before the start date" in bad


def test_the_calls_list_runs_a_fixed_number_of_queries(
    client_for, staff, django_assert_num_queries
):
    ScreeningCallFactory.create_batch(3)
    client = client_for(staff)
    client.get(reverse("screening:calls"))
    with django_assert_num_queries(4):
        # user, screeners for the filter, count, page of calls with candidates and screeners
        client.get(reverse("screening:calls"))
    ScreeningCallFactory.create_batch(5)
    with django_assert_num_queries(4):
        client.get(reverse("screening:calls"))


def test_csv_export_neutralises_formulas(client_for, staff):
    sneaky = CandidateFactory(first_name="=HYPERLINK(1)", last_name="@SUM(A1)")
    ScreeningCallFactory(candidate=sneaky, notes="never exported")

    response = client_for(staff).get(reverse("screening:calls_export"))

    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["happened_at", "screener", "candidate"]
    assert rows[1][2] == "'=HYPERLINK(1) @SUM(A1)"
    assert "never exported" not in body
    assert response["Content-Disposition"].startswith('attachment; filename="screening-calls-')


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-2", "'-2"), ("@x", "'@x"), ("plain", "plain"), (3, "3")],
)
def test_csv_cells(value, expected):
    assert csv_cell(value) == expected


def test_staff_hours_per_volunteer_per_month_calls_per_week_and_outcomes(
    client_for, staff, screener, other_screener
):
    recent = timezone.now() - timedelta(hours=2)
    ScreeningCallFactory(screener=screener, duration_minutes=90, happened_at=recent)
    ScreeningCallFactory(
        screener=screener,
        duration_minutes=30,
        happened_at=recent,
        outcome=ScreeningCall.Outcome.NOT_YET,
    )
    ScreeningCallFactory(screener=other_screener, duration_minutes=15, happened_at=recent)

    response = client_for(staff).get(reverse("screening:hours"))

    rows = {(r["screener__name"], r["calls"], r["minutes"]) for r in response.context["by_month"]}
    assert rows == {("Bob Screener", 2, 120), ("Carol Screener", 1, 15)}
    assert [w["calls"] for w in response.context["per_week"]] == [3]
    mix = {row["value"]: (row["calls"], row["share"]) for row in response.context["outcomes"]}
    assert mix["advance"] == (2, 67) and mix["not_yet"] == (1, 33)
    html = response.content.decode()
    assert "2 h" in html and "2 h 15 min" in html  # Bob's month, and the period's total


def test_average_time_from_signup_to_first_contact_per_screener(
    client_for, staff, screener, other_screener
):
    quick = waiting_candidate(signed_up_ago=timedelta(hours=10))
    slow = waiting_candidate(signed_up_ago=timedelta(hours=30))
    shared = waiting_candidate(signed_up_ago=timedelta(hours=50))
    now = timezone.now()
    for candidate, who, hours_after_signup in [
        (quick, screener, 2),
        (slow, screener, 6),
        (shared, other_screener, 20),
    ]:
        ContactAttempt.objects.create(
            candidate=candidate,
            screener=who,
            kind=ContactAttempt.Kind.NO_ANSWER,
            at=candidate.created_at + timedelta(hours=hours_after_signup),
        )
    # A later attempt by someone else is not a first contact.
    ContactAttempt.objects.create(
        candidate=shared, screener=screener, kind="emailed", at=now - timedelta(hours=1)
    )

    rows = {
        row["screener__email"]: (row["contacts"], row["average_wait"])
        for row in ContactAttempt.objects.time_to_first_contact_by_screener()
    }

    assert rows == {
        screener.email: (2, timedelta(hours=4)),
        other_screener.email: (1, timedelta(hours=20)),
    }
    html = client_for(staff).get(reverse("screening:hours")).content.decode()
    assert "4 h 0 min" in html and "20 h 0 min" in html


def test_staff_navigation_and_the_staff_candidate_page_reach_screening(client_for, staff, screener):
    candidate = waiting_candidate()
    html = client_for(staff).get(reverse("candidates:detail", args=[candidate.uuid])).content
    assert reverse("screening:panel", args=[candidate.uuid]).encode() in html
    assert reverse("screening:calls").encode() in html  # the staff menu entry
    mine = client_for(ScreenerFactory()).get(reverse("screening:queue")).content
    assert reverse("screening:mine").encode() in mine
