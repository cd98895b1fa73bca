"""The dashboard as a whole: the figures for a scope, the charts drawn from them, the tables
behind every chart (shown as text alternatives and downloadable as CSV), and the link from
every figure to the list behind it."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from candidates import request_kinds
from candidates.geography import BY_CODE, COVERAGE_CODES, STATES
from candidates.services.help_requests import response_target
from rfs.dashboard import charts, metrics
from rfs.dashboard.metrics import Scope

# Shown where a figure has no value (no data in the period).
NO_VALUE = "\N{EN DASH}"


def hours_text(hours: float | None) -> str:
    """A duration for people: minutes, hours or days."""
    if hours is None:
        return NO_VALUE
    if hours < 1:
        return f"{round(hours * 60)} min"
    if hours < 48:
        return f"{hours:.1f} h"
    if hours < 240:
        return f"{hours / 24:.1f} days"
    return f"{hours / 24:,.0f} days"


def share_text(share: float | None) -> str:
    return NO_VALUE if share is None else f"{share:.0%}"


@dataclass(frozen=True)
class Cell:
    text: str
    # The value written to CSV (defaults to the text).
    value: Any = None
    href: str = ""

    @property
    def csv(self) -> Any:
        return self.text if self.value is None else self.value


@dataclass
class Table:
    name: str
    caption: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    csv_url: str = ""


@dataclass(frozen=True)
class Figure:
    text: str
    href: str
    value: Any = None


@dataclass(frozen=True)
class Card:
    key: str
    label: str
    figure: Figure
    note: str


class Links:
    """URLs of the lists behind the figures, carrying the dashboard's filters."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.filters = {k: v for k, v in scope.filters.items() if v not in (None, "")}
        self.paths: dict[str, str] = {}

    def _url(self, name: str, params: dict) -> str:
        if name not in self.paths:
            self.paths[name] = reverse(name)
        query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
        return self.paths[name] + (f"?{query}" if query else "")

    def _days(self, first: date | None, last: date | None) -> dict:
        period = self.scope.period
        first = max(first or period.first_day, period.first_day)
        last = min(last or period.last_day, period.last_day)
        return {"start": first.isoformat(), "end": last.isoformat()}

    def drill(self, show: str, first: date | None = None, last: date | None = None, **extra):
        return self._url(
            "dashboard:list", {"show": show, **self._days(first, last), **self.filters, **extra}
        )

    def week(self, show: str, monday: date, **extra) -> str:
        return self.drill(show, monday, monday + timedelta(days=6), **extra)

    def candidates(self, **params) -> str:
        return self._url("candidates:list", {**self.filters, **params})

    def calls(self, first: date | None = None, last: date | None = None) -> str:
        return self._url(
            "screening:calls", {**self._days(first, last), "state": self.filters.get("state")}
        )

    def hours(self) -> str:
        return self._url("screening:hours", self._days(None, None))

    def requests(self, kind: str = "") -> str:
        return self._url("candidates:requests", {"kind": kind})


def week_label(monday: date) -> str:
    """A week's label, like "Sep 7": cheap enough for a hundred weeks (no locale lookups)."""
    return f"{monday:%b} {monday.day}"


def build(scope: Scope) -> dict:
    """Everything the dashboard shows for `scope`: a fixed number of queries, whatever the
    size of the data. One function below per section of the page."""
    links = Links(scope)
    weeks = metrics.weeks(scope.period)
    with metrics.reporting():
        funnel = metrics.funnel(scope)
        signups = metrics.signups_per_week(scope)
        screening = metrics.screening_per_week(scope)
        responses = metrics.response_figures(scope)
        states = metrics.states(scope)
        today = metrics.todays_work(scope)
        # Read inside the transaction: the first time, from the database.
        target = response_target(request_kinds.FIRST_CONTACT)
    tables: dict[str, Table] = {}
    tables["funnel"], funnel_chart = funnel_section(funnel, links)
    tables["signups"], signups_chart = signups_section(signups, weeks, links)
    tables["screening"], calls_chart, hours_chart = screening_section(screening, weeks, links)
    tables["first_contact"], tables["responses"], response_charts = response_sections(
        responses, weeks, links, target
    )
    tables["kinds"] = kinds_section(responses, links)
    tables["states"], tile_map, led = map_section(states, scope, links)
    tables["today"], figures, cards = today_section(
        scope, today, signups, screening, responses, links
    )
    return {
        "tables": tables,
        "figures": figures,
        "cards": cards,
        "oldest_wait_since": today.oldest_wait_since,
        "funnel_chart": funnel_chart,
        "signups_chart": signups_chart,
        "calls_chart": calls_chart,
        "hours_chart": hours_chart,
        **response_charts,
        "tile_map": tile_map,
        "coverage": (len(led & set(COVERAGE_CODES)), len(COVERAGE_CODES)),
        "any_partial": any(w.partial for w in weeks),
        "selected_state": BY_CODE.get(scope.filters.get("state", "")),
        "links": links,
    }


def weekly_title(week: metrics.Week, text: str) -> str:
    part = " (part of the week is outside the period)" if week.partial else ""
    return f"Week of {week.monday:%B} {week.monday.day}, {week.monday.year}: {text}{part}"


# --- Funnel -------------------------------------------------------------------------


def funnel_section(funnel: list[metrics.FunnelStage], links: Links) -> tuple[Table, str]:
    """The funnel's table and chart: reached, moved on, conversion and time in each stage."""
    table = Table(
        "funnel",
        "Funnel: candidates who reached each stage in the period",
        [
            "Stage",
            "Reached in the period",
            "Moved on to the next stage",
            "Conversion",
            "Median time in stage",
            "Stays begun in the period that have ended",
        ],
    )
    chart_rows = []
    for stage in funnel:
        href = links.drill("reached", stage=stage.stage)
        median_h = stage.median_seconds / 3600 if stage.median_seconds is not None else None
        conversion = (
            f"{share_text(stage.conversion)} moved on to {stage.next_label}"
            if stage.conversion is not None
            else ""
        )
        in_stage = f"median {hours_text(median_h)} in stage" if median_h is not None else ""
        note = "; ".join(part for part in (conversion, in_stage) if part)
        chart_rows.append(
            (stage.label, stage.reached, note, href, f"{stage.label}: {stage.reached:,}. {note}")
        )
        table.rows.append(
            [
                Cell(stage.label, stage.stage),
                Cell(f"{stage.reached:,}", stage.reached, href),
                Cell(f"{stage.went_on:,}" if stage.next_label else NO_VALUE, stage.went_on),
                Cell(share_text(stage.conversion), _round(stage.conversion, 4)),
                Cell(hours_text(median_h), _round(median_h)),
                Cell(f"{stage.stays:,}", stage.stays),
            ]
        )
    return table, charts.funnel_chart(chart_rows)


# --- Signups, screening calls and volunteer hours per week ----------------------------


def signups_section(
    signups: dict[date, int], weeks: list[metrics.Week], links: Links
) -> tuple[Table, str]:
    table = Table(
        "signups", "Signups per week", ["Week starting", "Signups", "Whole week in period"]
    )
    points = []
    for week in weeks:
        n = signups.get(week.monday, 0)
        href = links.week("signups", week.monday)
        title = weekly_title(week, f"{n:,} signups")
        points.append(charts.Point(week_label(week.monday), n, href, title, week.partial))
        table.rows.append(
            [
                Cell(week.monday.isoformat()),
                Cell(f"{n:,}", n, href),
                Cell("no" if week.partial else "yes"),
            ]
        )
    return table, charts.bar_chart(points, y_label="Signups")


def screening_section(
    screening: dict[date, metrics.ScreeningWeek], weeks: list[metrics.Week], links: Links
) -> tuple[Table, str, str]:
    table = Table(
        "screening",
        "Screening calls and volunteer hours per week",
        ["Week starting", "Screening calls", "Volunteer hours", "Volunteers"],
    )
    call_points, hour_points = [], []
    empty = metrics.ScreeningWeek(0, 0, 0)
    for week in weeks:
        figures = screening.get(week.monday, empty)
        href = links.calls(week.monday, week.monday + timedelta(days=6))
        label = week_label(week.monday)
        calls_title = weekly_title(week, f"{figures.calls:,} calls")
        hours_title = weekly_title(week, f"{figures.hours:,.1f} volunteer hours")
        call_points.append(charts.Point(label, figures.calls, href, calls_title, week.partial))
        hour_points.append(
            charts.Point(label, round(figures.hours, 1), href, hours_title, week.partial)
        )
        table.rows.append(
            [
                Cell(week.monday.isoformat()),
                Cell(f"{figures.calls:,}", figures.calls, href),
                Cell(f"{figures.hours:,.1f}", round(figures.hours, 2)),
                Cell(f"{figures.screeners:,}", figures.screeners),
            ]
        )
    return (
        table,
        charts.bar_chart(call_points, y_label="Calls", css="bar bar-calls"),
        charts.bar_chart(hour_points, y_label="Hours", css="bar bar-hours"),
    )


# --- Response times -------------------------------------------------------------------


def response_sections(
    responses: metrics.ResponseTimes, weeks: list[metrics.Week], links: Links, target
) -> tuple[Table, Table, dict]:
    """Time from signup to first contact, and time to first response of every request, per
    week: their tables and line charts (first contact with its due time drawn)."""
    first_contact, first_contact_series = _response_weeks(
        "first_contact",
        "Time from signup to first contact, per week of signup",
        weeks,
        responses.first_contact_by_week,
        lambda week: links.week("signups", week.monday),
        weekly_title,
    )
    all_requests, response_series = _response_weeks(
        "responses",
        "Time to first response of all requests, per week opened",
        weeks,
        responses.by_week,
        lambda week: links.week("requests", week.monday),
        weekly_title,
    )
    amount, clock = target
    # The chart's line sits at the target in hours, whatever clock staff count it on.
    in_hours = amount if clock == request_kinds.Clock.BUSINESS_HOURS else 24 * amount
    charts_ = {
        "first_contact_chart": charts.line_chart(
            first_contact_series,
            y_label="Hours",
            target=in_hours,
            target_label=f"due: {amount} {request_kinds.Clock(clock).label}",
        ),
        "response_chart": charts.line_chart(response_series, y_label="Hours"),
        "first_contact_target": in_hours,
    }
    return first_contact, all_requests, charts_


def kinds_section(responses: metrics.ResponseTimes, links: Links) -> Table:
    table = Table(
        "kinds",
        "Time to first response per kind of request opened in the period",
        [
            "Kind",
            "Requests",
            "Answered",
            "Median hours",
            "90th percentile hours",
            "Answered within due time",
            "Still overdue",
        ],
    )
    for kind, label in request_kinds.choices():
        stats = responses.by_kind.get(kind, metrics.EMPTY_STATS)
        table.rows.append(
            [
                Cell(label, kind, links.requests(kind)),
                Cell(f"{stats.opened:,}", stats.opened, links.drill("requests", kind=kind)),
                Cell(f"{stats.answered:,}", stats.answered),
                Cell(hours_text(stats.median_hours), _round(stats.median_hours)),
                Cell(hours_text(stats.p90_hours), _round(stats.p90_hours)),
                Cell(share_text(stats.within_due_share), _round(stats.within_due_share, 4)),
                Cell(f"{stats.overdue:,}", stats.overdue, links.requests(kind)),
            ]
        )
    return table


# --- The map --------------------------------------------------------------------------


def map_section(
    states: dict[str, metrics.StateFigures], scope: Scope, links: Links
) -> tuple[Table, str, set[str]]:
    """Signups per state and mentor coverage: the table, the tile map, the led states."""
    led = {code for code, figures in states.items() if figures.lead}
    table = Table(
        "states",
        "Signups per state in the period, and mentor coverage",
        ["State", "Signups", "Lead operative", "Available mentors"],
    )
    state_links, state_titles = {}, {}
    for state in STATES:
        figures = states.get(state.code, metrics.StateFigures())
        href = links.candidates(state=state.code)
        state_links[state.code] = href
        lead = f"lead: {figures.lead}" if figures.lead else "no lead operative"
        state_titles[state.code] = (
            f"{state.name}: {figures.signups:,} signups; {lead}; "
            f"{figures.mentors:,} available mentors"
        )
        table.rows.append(
            [
                Cell(state.name, state.code, href),
                Cell(f"{figures.signups:,}", figures.signups, href),
                Cell(figures.lead or NO_VALUE, figures.lead),
                Cell(f"{figures.mentors:,}", figures.mentors),
            ]
        )
    tile_map = charts.tile_map(
        {code: f.signups for code, f in states.items()},
        led,
        href=state_links,
        title=state_titles,
        selected=scope.filters.get("state", ""),
    )
    return table, tile_map, led


# --- Today's work and the headline figures ----------------------------------------------


def today_section(scope, today, signups, screening, responses, links) -> tuple:
    """The period's totals and today's work: their table, the figures by key, the cards."""
    oldest_hours = (
        (scope.now - today.oldest_wait_since).total_seconds() / 3600
        if today.oldest_wait_since
        else None
    )
    total_signups = sum(signups.values())
    total_calls = sum(w.calls for w in screening.values())
    total_hours = sum(w.hours for w in screening.values())
    first_contact = responses.by_kind.get(request_kinds.FIRST_CONTACT, metrics.EMPTY_STATS)
    within_due = responses.total.within_due_share
    table = Table("today", "Today's work and the period's totals", ["Figure", "Value"])
    figures: dict[str, Figure] = {}
    for key, label, value, text, href in [
        ("signups", "Signups in the period", total_signups, f"{total_signups:,}",
         links.drill("signups")),
        ("calls", "Screening calls in the period", total_calls, f"{total_calls:,}",
         links.calls()),
        ("hours", "Volunteer hours on calls in the period", round(total_hours, 1),
         f"{total_hours:,.0f}", links.hours()),
        ("first_contact_median", "Median time to first contact", first_contact.median_hours,
         hours_text(first_contact.median_hours), links.drill("signups")),
        ("first_contact_p90", "90th percentile time to first contact", first_contact.p90_hours,
         hours_text(first_contact.p90_hours), links.drill("signups")),
        ("within_due", "Requests answered within due time", within_due,
         share_text(within_due), links.drill("requests")),
        ("waiting", "Waiting for first contact now", today.waiting, f"{today.waiting:,}",
         links.drill("waiting")),
        ("oldest_wait_hours", "Oldest wait for first contact", oldest_hours,
         hours_text(oldest_hours), links.drill("waiting")),
        ("open_claims", "Open screening claims now", today.open_claims,
         f"{today.open_claims:,}", links.drill("claims")),
        ("overdue", "Overdue requests now", today.overdue, f"{today.overdue:,}",
         links.requests()),
    ]:  # fmt: skip
        figures[key] = Figure(text, href, value)
        table.rows.append([Cell(label, key), Cell(text, _round(value, 4), href)])
    return table, figures, _cards(figures, responses)


def _cards(figures: dict[str, Figure], responses: metrics.ResponseTimes) -> list[Card]:
    return [
        Card("signups", "Signups", figures["signups"], "new candidates in the period"),
        Card(
            "calls",
            "Screening calls",
            figures["calls"],
            f"{figures['hours'].text} volunteer hours on calls",
        ),
        Card(
            "first-contact",
            "Time to first contact",
            figures["first_contact_median"],
            f"median; 90th percentile {figures['first_contact_p90'].text}",
        ),
        Card(
            "within-due",
            "Answered within due time",
            figures["within_due"],
            f"of {responses.total.decided:,} requests answered or past due",
        ),
    ]


def _round(value, digits: int = 2):
    if value is None:
        return ""
    if isinstance(value, float):
        return round(value, digits)
    return value


def _hours_value(hours: float | None) -> float | None:
    return None if hours is None else round(hours, 1)


def _response_weeks(name, caption, weeks, by_week, href_for, title_for):
    """The per-week response table and the median / 90th percentile lines."""
    table = Table(
        name,
        caption,
        [
            "Week starting",
            "Requests",
            "Answered",
            "Median hours",
            "90th percentile hours",
            "Answered within due time",
        ],
    )
    medians, p90s = [], []
    for week in weeks:
        stats = by_week.get(week.monday, metrics.EMPTY_STATS)
        href = href_for(week)
        label = week_label(week.monday)
        medians.append(
            charts.Point(
                label,
                _hours_value(stats.median_hours),
                href,
                title_for(week, f"median {hours_text(stats.median_hours)}"),
            )
        )
        p90s.append(
            charts.Point(
                label,
                _hours_value(stats.p90_hours),
                href,
                title_for(week, f"90th percentile {hours_text(stats.p90_hours)}"),
            )
        )
        table.rows.append(
            [
                Cell(week.monday.isoformat()),
                Cell(f"{stats.opened:,}", stats.opened, href),
                Cell(f"{stats.answered:,}", stats.answered),
                Cell(hours_text(stats.median_hours), _round(stats.median_hours)),
                Cell(hours_text(stats.p90_hours), _round(stats.p90_hours)),
                Cell(share_text(stats.within_due_share), _round(stats.within_due_share, 4)),
            ]
        )
    series = [
        charts.Series("Median", "line-median", medians),
        charts.Series("90th percentile", "line-p90", p90s),
    ]
    return table, series
