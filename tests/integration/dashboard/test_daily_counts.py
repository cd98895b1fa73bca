"""The dashboard's figures for every candidate come from daily counts per duration bucket
(StayDay, ResponseDay) and the rows of a few buckets: they must equal, to the last bit, the
same figures read from every row of the period, however the rows were written."""

import io
import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F
from django.db.models.functions import TruncWeek

from candidates import request_kinds
from candidates.models import Candidate, HelpRequest, ResponseDay, Stage, StageChange, StayDay
from candidates.services.daily_counts import recount_daily_counts
from candidates.services.pipeline import move_stage, record_entry
from rfs.dashboard import metrics
from rfs.dashboard.forms import Period
from tests.factories.candidates import CandidateFactory

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 4, 30, 12, tzinfo=NY)
KINDS = [request_kinds.FIRST_CONTACT, "question", "partner_intro"]


@pytest.fixture(autouse=True)
def _organisation_zone(settings):
    settings.RFS_TIME_ZONE = "America/New_York"


def scope(first: date, last: date) -> metrics.Scope:
    return metrics.Scope(period=Period(first, last, NY), now=NOW)


def organisation(seed: int) -> None:
    """Candidates moving through the pipeline and asking for help over March and April, at
    random times (some equal), with requests answered, late, unanswered, resolved."""
    rng = random.Random(seed)
    start = datetime(2026, 3, 1, tzinfo=NY)
    for _ in range(40):
        candidate = CandidateFactory(
            entry=False, stage=Stage.SIGNED_UP, state=rng.choice(["TX", "OH", "VA"])
        )
        when = start + timedelta(hours=rng.randrange(0, 24 * 58))
        Candidate.objects.filter(pk=candidate.pk).update(created_at=when)
        record_entry(candidate=candidate, at=when)
        for stage in (Stage.SCREENING, Stage.SIGNED_UP, Stage.SCREENING, Stage.SCREENED):
            if rng.random() < 0.3:
                break
            when += timedelta(seconds=rng.choice([3600, 3600, rng.randrange(1, 10**6)]))
            move_stage(candidate=candidate, to=stage, at=when)
        first_contact_open = False
        for _ in range(rng.randrange(0, 4)):
            opened = start + timedelta(seconds=rng.randrange(0, 58 * 86400))
            wait = rng.choice([None, 0, 7200, 7200, rng.randrange(1, 9 * 86400)])
            kind, status = rng.choice(KINDS), rng.choice(["open", "resolved"])
            if kind == request_kinds.FIRST_CONTACT:  # one open at a time
                status = "resolved" if first_contact_open else status
                first_contact_open = first_contact_open or status == "open"
            HelpRequest.objects.create(
                candidate=candidate,
                kind=kind,
                opened_at=opened,
                due_at=opened + timedelta(hours=rng.choice([24, 72])),
                first_response_at=None if wait is None else opened + timedelta(seconds=wait),
                status=status,
            )


def assert_the_same_figures(scope: metrics.Scope) -> None:
    assert metrics._response_figures_from_days(scope) == metrics._response_figures_from_rows(scope)
    assert metrics._stays_from_days(scope) == metrics._stays_from_rows(scope)


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_figures_from_the_daily_counts_equal_those_from_every_row(seed):
    organisation(seed)
    for first, last in [
        (date(2026, 3, 1), date(2026, 4, 30)),
        (date(2026, 3, 9), date(2026, 3, 22)),
        (date(2026, 3, 11), date(2026, 4, 2)),
        (date(2026, 4, 20), date(2026, 4, 20)),
    ]:
        assert_the_same_figures(scope(first, last))
    figures = metrics.response_figures(scope(date(2026, 3, 1), date(2026, 4, 30)))
    assert figures.total.opened == HelpRequest.objects.count()


@pytest.mark.django_db
def test_the_counts_follow_every_write_to_the_requests():
    organisation(4)
    rows = HelpRequest.objects.all()
    # Answered, re-timed, moved to another kind, deleted: by whatever code writes them.
    rows.filter(first_response_at__isnull=True).update(first_response_at=F("opened_at"))
    rows.filter(kind="question").update(due_at=F("due_at") + timedelta(hours=30))
    rows.filter(kind="partner_intro").update(kind="question")
    rows.filter(pk__in=rows.values("pk")[:3]).delete()
    assert recount_daily_counts() == {"responses": 0, "signups": 0}
    assert_the_same_figures(scope(date(2026, 3, 1), date(2026, 4, 30)))


@pytest.mark.django_db
def test_signups_per_week_and_state_follow_every_write_to_the_candidates():
    organisation(6)
    candidates = Candidate.objects.order_by("pk")
    first = candidates.first()
    Candidate.objects.filter(pk=first.pk).update(
        state="TX", created_at=datetime(2026, 3, 2, tzinfo=NY)
    )
    candidates.filter(pk__in=candidates.values("pk")[5:8]).update(state="OH")
    candidates.last().delete()
    assert recount_daily_counts() == {"responses": 0, "signups": 0}
    period = scope(date(2026, 3, 2), date(2026, 3, 31))
    rows = Candidate.objects.filter(
        created_at__gte=period.period.start, created_at__lt=period.period.end
    )
    weekly = (
        rows.annotate(week=TruncWeek("created_at", tzinfo=NY))
        .values("week")
        .annotate(n=Count("pk"))
    )
    assert metrics.signups_per_week(period) == {row["week"].date(): row["n"] for row in weekly}
    per_state = dict(rows.values_list("state").annotate(n=Count("pk")))
    assert {s: f.signups for s, f in metrics.states(period).items() if f.signups} == per_state
    texas = metrics.Scope(period=period.period, filters={"state": "TX"}, now=NOW)
    assert sum(metrics.signups_per_week(texas).values()) == per_state.get("TX", 0)


@pytest.mark.django_db
def test_the_median_of_equal_and_interpolated_values():
    # Four first contacts answered in 1, 2, 2 and 11 hours: the median is 2 hours and the 90th
    # percentile interpolates between the two largest, as percentile_cont does.
    opened = datetime(2026, 4, 7, 10, tzinfo=NY)
    for hours in (1, 2, 2, 11):
        HelpRequest.objects.create(
            candidate=CandidateFactory(),
            kind=request_kinds.FIRST_CONTACT,
            opened_at=opened,
            due_at=opened + timedelta(hours=72),
            first_response_at=opened + timedelta(hours=hours),
        )
    figures = metrics.response_figures(scope(date(2026, 4, 6), date(2026, 4, 19)))
    week = figures.first_contact_by_week[date(2026, 4, 6)]
    assert (week.opened, week.answered, week.median_hours) == (4, 4, 2.0)
    assert week.p90_hours == pytest.approx(2 + 0.7 * 9)


@pytest.mark.django_db
def test_check_rollups_reports_tampered_bucket_counts_and_fixes_them():
    organisation(5)
    out = io.StringIO()
    call_command("check_rollups", stdout=out)
    assert "match a recount" in out.getvalue()
    ResponseDay.objects.filter(pk=ResponseDay.objects.first().pk).update(answered=F("answered") + 1)
    StayDay.objects.filter(pk=StayDay.objects.first().pk).update(stays=F("stays") + 2)
    with pytest.raises(CommandError):
        call_command("check_rollups", stdout=out)
    assert "1 daily counts of ended stays, 1 of answered requests and 0 of signups" in (
        out.getvalue()
    )
    call_command("check_rollups", "--fix", stdout=out)
    out = io.StringIO()
    call_command("check_rollups", stdout=out)
    assert "match a recount" in out.getvalue()
    assert_the_same_figures(scope(date(2026, 3, 1), date(2026, 4, 30)))


@pytest.mark.django_db
def test_counts_that_promise_rows_the_table_lacks_give_way_to_the_rows(caplog):
    organisation(6)
    period = scope(date(2026, 3, 1), date(2026, 4, 30))
    stays, responses = metrics._stays_from_rows(period), metrics._response_figures_from_rows(period)
    # Far more counted in one bucket than it holds: the ranks fall on rows that are not there.
    ResponseDay.objects.filter(pk=ResponseDay.objects.first().pk).update(
        answered=F("answered") + 500
    )
    StayDay.objects.filter(pk=StayDay.objects.first().pk).update(stays=F("stays") + 500)
    with pytest.raises(metrics.CountsDisagree):
        metrics._stays_from_days(period)
    assert metrics._stays(period) == stays
    assert metrics.response_figures(period) == responses
    assert "The daily counts of ended stays differ from the rows" in caplog.text
    assert "The daily counts of answered requests differ from the rows" in caplog.text


@pytest.mark.django_db
def test_fixing_the_history_and_the_stays_together_reports_both():
    organisation(7)
    # A stay column and a daily count of ended stays, both wrong: the fix reports each.
    ended = StageChange.objects.filter(left_at__isnull=False).first()
    StageChange.objects.filter(pk=ended.pk).update(left_at=None, next_stage="")
    StayDay.objects.filter(pk=StayDay.objects.first().pk).update(stays=F("stays") + 2)
    out = io.StringIO()
    call_command("check_rollups", "--fix", stdout=out)
    assert "1 history rows with stay columns that differ" in out.getvalue()
    assert "daily counts of ended stays" in out.getvalue()
    assert "0 daily counts of ended stays" not in out.getvalue()
    out = io.StringIO()
    call_command("check_rollups", stdout=out)
    assert "match a recount" in out.getvalue()
