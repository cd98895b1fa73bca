"""Every dashboard figure against a small hand-built organisation.

The period is the two weeks from Monday 6 April to Sunday 19 April 2026, in New York
(UTC-4 then); every time below is written in that zone.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from candidates import request_kinds
from candidates.models import PIPELINE, Candidate, HelpRequest, Stage
from candidates.services.pipeline import move_stage, record_entry
from mentors.models import StateLead
from rfs.dashboard import metrics
from rfs.dashboard.forms import DashboardForm, Period, cycle_start
from screening.models import Claim
from tests.factories.candidates import CandidateFactory
from tests.factories.mentors import MentorFactory
from tests.factories.screening import ScreenerFactory, ScreeningCallFactory

NY = ZoneInfo("America/New_York")
PERIOD = Period(date(2026, 4, 6), date(2026, 4, 19), NY)
NOW = datetime(2026, 4, 30, 12, tzinfo=NY)
HOUR = timedelta(hours=1)


@pytest.fixture(autouse=True)
def _organisation_zone(settings):
    settings.RFS_TIME_ZONE = "America/New_York"


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=NY)


def person(*moves: tuple[str, datetime], **fields) -> Candidate:
    """A candidate whose history is exactly `moves` (the first is the signup)."""
    (first, signed_up), *later = moves
    candidate = CandidateFactory(entry=False, stage=first, **fields)
    record_entry(candidate=candidate, at=signed_up)
    for stage, when in later:
        move_stage(candidate=candidate, to=stage, at=when)
    Candidate.objects.filter(pk=candidate.pk).update(created_at=signed_up)
    candidate.refresh_from_db()
    return candidate


def scope(**filters) -> metrics.Scope:
    return metrics.Scope(period=PERIOD, filters=filters, now=NOW)


@pytest.fixture
def pipeline(db):
    """Seven candidates; see each line for what they count towards."""
    return {
        # Signed up, screened and active inside the period.
        "a": person(
            (Stage.SIGNED_UP, at(4, 6)),
            (Stage.SCREENING, at(4, 7)),
            (Stage.SCREENED, at(4, 9)),
            (Stage.ACTIVE, at(4, 16)),
        ),
        # Screened out inside the period.
        "b": person(
            (Stage.SIGNED_UP, at(4, 8)),
            (Stage.SCREENING, at(4, 10)),
            (Stage.NOT_A_FIT, at(4, 12)),
        ),
        # Signed up before the period, moved on inside it.
        "c": person(
            (Stage.SIGNED_UP, at(3, 20)),
            (Stage.SCREENING, at(4, 7)),
            (Stage.SCREENED, at(4, 8)),
        ),
        # Signed up inside the period, nothing since.
        "d": person((Stage.SIGNED_UP, at(4, 10))),
        # Signed up inside the period, claimed after it.
        "e": person((Stage.SIGNED_UP, at(4, 18)), (Stage.SCREENING, at(4, 25))),
        # Everything before the period: counted nowhere.
        "f": person(
            (Stage.SIGNED_UP, at(3, 1)), (Stage.SCREENING, at(3, 2)), (Stage.SCREENED, at(3, 5))
        ),
        # Another state and level, for the filters.
        "g": person(
            (Stage.SIGNED_UP, at(4, 6)),
            (Stage.SCREENING, at(4, 7)),
            state="TX",
            office_level="school_board",
        ),
    }


def by_stage(rows: list[metrics.FunnelStage]) -> dict[str, metrics.FunnelStage]:
    return {row.stage: row for row in rows}


def test_funnel_counts_who_reached_each_stage_in_the_period(pipeline):
    rows = metrics.funnel(scope())
    assert [row.stage for row in rows] == [stage.value for stage in PIPELINE]
    funnel = by_stage(rows)
    assert funnel["signed_up"].reached == 5  # a, b, d, e, g
    assert funnel["screening"].reached == 4  # a, b, c, g
    assert funnel["screened"].reached == 2  # a, c
    assert funnel["active"].reached == 1
    assert funnel["on_ballot"].reached == 0
    assert funnel["won"].reached == 0


def test_funnel_conversion_is_whose_next_move_was_the_next_stage(pipeline):
    funnel = by_stage(metrics.funnel(scope()))
    # e moved on to screening after the period: still counts as having gone on. b left
    # screening for "not a fit", which is not the next stage.
    assert funnel["signed_up"].went_on == 4
    assert funnel["signed_up"].conversion == pytest.approx(0.8)
    assert funnel["screening"].conversion == pytest.approx(0.5)
    assert funnel["screened"].conversion == pytest.approx(0.5)
    assert funnel["active"].conversion == 0
    assert funnel["won"].conversion is None


def test_funnel_median_time_in_stage_over_stays_that_began_in_the_period(pipeline):
    funnel = by_stage(metrics.funnel(scope()))
    # Signed up: a 24 h, b 48 h, e 7 days (ended after the period), g 24 h; c's stay began
    # before the period and d's has not ended -> median of 24, 24, 48, 168 = 36 h.
    assert funnel["signed_up"].median_seconds == pytest.approx(36 * 3600)
    assert funnel["signed_up"].stays == 4
    # Screening: a 48 h, b 48 h, c 24 h; g is still in it.
    assert funnel["screening"].median_seconds == pytest.approx(48 * 3600)
    assert funnel["screened"].median_seconds == pytest.approx(7 * 24 * 3600)
    # Nobody has left "active" yet.
    assert funnel["active"].median_seconds is None


def test_funnel_counts_a_candidate_once_however_often_they_return(db):
    person(
        (Stage.SIGNED_UP, at(4, 6)),
        (Stage.SCREENING, at(4, 7)),
        (Stage.SIGNED_UP, at(4, 8)),  # the claim was released
        (Stage.SCREENING, at(4, 9)),
        (Stage.SCREENED, at(4, 10)),
    )
    funnel = by_stage(metrics.funnel(scope()))
    assert (funnel["signed_up"].reached, funnel["signed_up"].went_on) == (1, 1)
    # The first stay in screening led back to the queue, the second one on to screened.
    assert (funnel["screening"].reached, funnel["screening"].went_on) == (1, 1)
    assert funnel["screening"].stays == 2
    assert funnel["screening"].median_seconds == pytest.approx(24 * 3600)


def test_funnel_follows_the_filters(pipeline):
    texas = by_stage(metrics.funnel(scope(state="TX")))
    assert texas["signed_up"].reached == 1
    assert texas["screening"].reached == 1
    assert texas["screened"].reached == 0
    others = by_stage(metrics.funnel(scope(office_level="city_council", state="DC")))
    assert others["signed_up"].reached == 4


def test_signups_fall_in_the_local_week_at_midnight(db):
    # Sunday 23:30 in New York is already Monday in UTC: it belongs to the week of 6 April.
    person((Stage.SIGNED_UP, at(4, 12, 23, 30)))
    # Monday 00:30 in New York (04:30 UTC) starts the week of 13 April.
    person((Stage.SIGNED_UP, at(4, 13, 0, 30)))
    person((Stage.SIGNED_UP, at(4, 13, 9)))
    assert metrics.signups_per_week(scope()) == {date(2026, 4, 6): 1, date(2026, 4, 13): 2}


def test_period_is_whole_local_days(db):
    person((Stage.SIGNED_UP, at(4, 5, 23, 59)))  # the evening before: outside
    person((Stage.SIGNED_UP, at(4, 6, 0, 1)))  # first minute: inside
    person((Stage.SIGNED_UP, at(4, 19, 23, 59)))  # last evening (03:59 UTC next day): inside
    person((Stage.SIGNED_UP, at(4, 20, 0, 1)))  # the morning after: outside
    assert sum(metrics.signups_per_week(scope()).values()) == 2
    assert PERIOD.start == datetime(2026, 4, 6, 4, tzinfo=ZoneInfo("UTC"))
    assert PERIOD.end == datetime(2026, 4, 20, 4, tzinfo=ZoneInfo("UTC"))


def test_weeks_cover_the_period_and_mark_partial_ones():
    weeks = metrics.weeks(Period(date(2026, 4, 8), date(2026, 4, 20), NY))
    assert [w.monday for w in weeks] == [date(2026, 4, 6), date(2026, 4, 13), date(2026, 4, 20)]
    assert [w.partial for w in weeks] == [True, False, True]
    assert [w.partial for w in metrics.weeks(PERIOD)] == [False, False]


def test_screening_calls_and_volunteer_hours_per_week(db):
    screener = ScreenerFactory()
    texan = CandidateFactory(state="TX")
    ScreeningCallFactory(happened_at=at(4, 6), duration_minutes=30, screener=screener)
    ScreeningCallFactory(happened_at=at(4, 12, 23, 30), duration_minutes=45, screener=screener)
    ScreeningCallFactory(happened_at=at(4, 13, 0, 30), duration_minutes=20, candidate=texan)
    ScreeningCallFactory(happened_at=at(4, 20, 0, 30), duration_minutes=60)  # after
    weeks = metrics.screening_per_week(scope())
    assert weeks[date(2026, 4, 6)] == metrics.ScreeningWeek(calls=2, minutes=75, screeners=1)
    assert weeks[date(2026, 4, 6)].hours == pytest.approx(1.25)
    assert weeks[date(2026, 4, 13)].calls == 1
    assert metrics.screening_per_week(scope(state="TX")) == {
        date(2026, 4, 13): metrics.ScreeningWeek(1, 20, 1)
    }


def request(candidate, kind, opened, answered=None, due_hours=72, **fields) -> HelpRequest:
    return HelpRequest.objects.create(
        candidate=candidate,
        kind=kind,
        opened_at=opened,
        due_at=opened + due_hours * HOUR,
        first_response_at=answered,
        **fields,
    )


def test_time_to_first_contact_median_and_90th_percentile(db):
    # Ten signups in the week of 6 April answered after 1, 2, ... 10 hours.
    for hours in range(1, 11):
        candidate = CandidateFactory()
        opened = at(4, 7)
        request(candidate, request_kinds.FIRST_CONTACT, opened, opened + hours * HOUR)
    figures = metrics.response_figures(scope())
    week = figures.first_contact_by_week[date(2026, 4, 6)]
    assert week.opened == 10
    assert week.median_hours == pytest.approx(5.5)
    # percentile_cont interpolates: 9 + 0.1 * (10 - 9).
    assert week.p90_hours == pytest.approx(9.1)


def test_response_times_per_week_per_kind_and_within_due(db):
    candidate = CandidateFactory()
    # Week of 6 April: a question answered in 2 h (due 48 h), one answered late (60 h).
    request(candidate, "question", at(4, 7), at(4, 7) + 2 * HOUR, due_hours=48)
    request(candidate, "question", at(4, 8), at(4, 8) + 60 * HOUR, due_hours=48)
    # Week of 13 April: a partner introduction never answered and now past due (overdue).
    request(candidate, "partner_intro", at(4, 14), None, due_hours=120)
    # Opened after the period: not counted.
    request(candidate, "question", at(4, 21), at(4, 21) + HOUR, due_hours=48)
    figures = metrics.response_figures(scope())
    assert figures.total.opened == 3
    assert figures.total.answered == 2
    assert figures.total.within_due == 1
    assert figures.total.decided == 3
    assert figures.total.within_due_share == pytest.approx(1 / 3)
    assert figures.by_week[date(2026, 4, 6)].median_hours == pytest.approx(31)
    assert figures.by_week[date(2026, 4, 13)].answered == 0
    assert figures.by_kind["question"].p90_hours == pytest.approx(2 + 0.9 * 58)
    assert figures.by_kind["partner_intro"].overdue == 1
    assert set(figures.by_kind) == {"question", "partner_intro"}


def test_response_times_follow_the_filters(db):
    texan, other = CandidateFactory(state="TX"), CandidateFactory(state="DC")
    request(texan, "question", at(4, 7), at(4, 7) + 3 * HOUR, due_hours=48)
    request(other, "question", at(4, 7), at(4, 7) + 9 * HOUR, due_hours=48)
    texas = metrics.response_figures(scope(state="TX"))
    assert texas.by_kind["question"].median_hours == pytest.approx(3)
    assert texas.total.opened == 1
    assert metrics.response_figures(scope()).by_kind["question"].median_hours == pytest.approx(6)


def test_states_signups_lead_operatives_and_mentors(db):
    person((Stage.SIGNED_UP, at(4, 7)), state="TX")
    person((Stage.SIGNED_UP, at(4, 8)), state="TX", office_level="school_board")
    person((Stage.SIGNED_UP, at(4, 8)), state="OH")
    person((Stage.SIGNED_UP, at(3, 8)), state="OH")  # before the period
    lead = MentorFactory(name="Lena Lead", states=["TX", "OH"])
    MentorFactory(states=["TX"], is_available=False)
    StateLead.objects.create(state="TX", mentor=lead, started_at=at(1, 1))
    StateLead.objects.create(state="OH", mentor=lead, started_at=at(1, 1), ended_at=at(2, 1))
    states = metrics.states(scope())
    assert states["TX"] == metrics.StateFigures(signups=2, lead="Lena Lead", mentors=1)
    assert states["OH"] == metrics.StateFigures(signups=1, lead="", mentors=1)
    # The state filter is not applied to the map; the others are.
    filtered = metrics.states(scope(state="OH", office_level="school_board"))
    assert filtered["TX"].signups == 1
    assert "OH" not in filtered or filtered["OH"].signups == 0


def test_todays_work(db):
    now = NOW
    waiting_long = CandidateFactory()
    waiting_new = CandidateFactory(state="TX")
    request(waiting_long, "first_contact", now - 100 * HOUR)  # overdue too (72 h)
    request(waiting_new, "first_contact", now - 5 * HOUR)
    answered = CandidateFactory()
    request(answered, "first_contact", now - 50 * HOUR, now - 40 * HOUR)
    request(answered, "question", now - 60 * HOUR, None, due_hours=48)  # overdue
    request(answered, "question", now - 60 * HOUR, None, due_hours=48, status="resolved")
    screener = ScreenerFactory()
    Claim.objects.create(candidate=waiting_new, screener=screener, claimed_at=now - HOUR)
    Claim.objects.create(
        candidate=answered, screener=screener, claimed_at=now - 60 * HOUR, released_at=now
    )
    work = metrics.todays_work(scope())
    assert work.waiting == 2
    assert work.oldest_wait_since == now - 100 * HOUR
    assert work.overdue == 2
    assert work.open_claims == 1
    texas = metrics.todays_work(scope(state="TX"))
    assert (texas.waiting, texas.overdue, texas.open_claims) == (1, 0, 1)


def test_periods_from_the_form():
    today = date(2026, 4, 19)

    def period(**data) -> Period:
        form = DashboardForm(data)
        form.is_valid()
        return form.chosen_period(today=today)

    assert (period(period="7").first_day, period(period="7").last_day) == (date(2026, 4, 13), today)
    assert period(period="30").days == 30
    assert period().days == 30  # the default
    assert period(period="cycle").first_day == date(2025, 1, 1)
    custom = period(period="custom", start="2026-02-01", end="2026-02-14")
    assert (custom.first_day, custom.last_day) == (date(2026, 2, 1), date(2026, 2, 14))


def test_bad_period_input_falls_back_to_the_default_with_an_error():
    form = DashboardForm({"period": "custom", "start": "2026-02-14", "end": "2026-02-01"})
    assert not form.is_valid()
    assert "end" in form.errors
    assert form.chosen_period(today=date(2026, 4, 19)).days == 30
    form = DashboardForm({"period": "forever", "state": "XX", "election_year": "soon"})
    assert not form.is_valid()
    assert form.filters() == {}
    assert form.chosen_period(today=date(2026, 4, 19)).days == 30


def test_the_cycle_starts_in_the_odd_year_before_the_election():
    assert cycle_start(date(2026, 11, 27)) == date(2025, 1, 1)
    assert cycle_start(date(2027, 3, 1)) == date(2027, 1, 1)


def test_response_figures_agree_with_the_requests_page(db):
    """The dashboard narrows response times by the candidate filters in its own query; with
    no filter it must give exactly the requests page's figures."""
    from candidates.services import response_times

    candidate = CandidateFactory()
    for i, (kind, answered_after, due_hours, status) in enumerate(
        [
            ("first_contact", 2, 72, "resolved"),
            ("first_contact", 90, 72, "open"),
            ("first_contact", None, 72, "open"),
            ("mentor_intro", 30, 72, "open"),
            ("question", 5, 48, "open"),
            ("question", None, 48, "resolved"),
            ("partner_intro", 130, 120, "resolved"),
            ("funding", None, 120, "open"),
        ]
    ):
        opened = at(4, 7 + i)
        request(
            CandidateFactory() if kind == "first_contact" else candidate,
            kind,
            opened,
            opened + answered_after * HOUR if answered_after is not None else None,
            due_hours=due_hours,
            status=status,
            resolved_at=opened + 200 * HOUR if status == "resolved" else None,
        )
    ours = metrics.response_figures(scope())
    theirs = response_times.response_times_by_kind(since=PERIOD.start, until=PERIOD.end, now=NOW)
    assert {row["kind"] for row in theirs} == set(ours.by_kind)
    for row in theirs:
        stats = ours.by_kind[row["kind"]]
        assert stats.opened == row["opened"]
        assert stats.answered == row["answered"]
        assert stats.median_hours == pytest.approx(row["median_first_response_hours"])
        assert stats.p90_hours == pytest.approx(row["p90_first_response_hours"])
        assert (stats.within_due, stats.decided) == (row["within_due"], row["decided"])
        assert stats.overdue == row["overdue"]
    weekly = response_times.weekly_response_times(
        since=PERIOD.start, until=PERIOD.end, now=NOW, by_kind=False
    )
    for row in weekly:
        stats = ours.by_week[row["week"]]
        assert (stats.opened, stats.within_due, stats.decided) == (
            row["opened"],
            row["within_due"],
            row["decided"],
        )
        assert stats.median_hours == pytest.approx(row["median_first_response_hours"])
