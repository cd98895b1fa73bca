"""The dashboard's figures, each computed by one SQL query whatever the size of the data.

Every function takes a Scope (a period of whole days in the organisation's zone and the
candidate filters) and returns plain values. Weeks start on Monday at midnight in the
organisation's zone; durations are in seconds of elapsed time.
"""

import logging
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from candidates import request_kinds
from candidates.models import (
    PIPELINE,
    Candidate,
    HelpRequest,
    ResponseDay,
    SignupDay,
    StageChange,
    StageDay,
    StayDay,
    bucketed_percentiles_sql,
    percentile_from_ranks,
    percentile_sql,
)
from mentors.models import Mentor, StateLead
from rfs.dashboard.forms import FILTER_FIELDS, Period
from screening.models import Claim, ScreeningCall

logger = logging.getLogger(__name__)

CANDIDATE = Candidate._meta.db_table
STAGE_CHANGE = StageChange._meta.db_table
STAY_DAY = StayDay._meta.db_table
SIGNUP_DAY = SignupDay._meta.db_table
RESPONSE_DAY = ResponseDay._meta.db_table
REQUEST = HelpRequest._meta.db_table
CALL = ScreeningCall._meta.db_table
CLAIM = Claim._meta.db_table
STATE_LEAD = StateLead._meta.db_table
MENTOR = Mentor._meta.db_table


@dataclass(frozen=True)
class Scope:
    period: Period
    filters: dict = field(default_factory=dict)
    now: datetime = field(default_factory=timezone.now)

    def params(self, **extra) -> dict:
        return {
            "start": self.period.start,
            "end": self.period.end,
            "tz": self.period.zone.key,
            "week_starts": self.period.week_starts,
            "first_day": self.period.first_day,
            "last_day": self.period.last_day,
            "mondays": self.period.weeks,
            "now": self.now,
            **{f"f_{name}": value for name, value in self.filters.items()},
            **extra,
        }

    def candidate_condition(self, alias: str = "c", exclude: Iterable[str] = ()) -> str:
        """SQL conditions (each starting with AND) that apply the filters to a candidate row."""
        return "".join(
            f" AND {alias}.{name} = %(f_{name})s"
            for name in self.filters
            if name in FILTER_FIELDS and name not in exclude
        )

    def candidate_join(self, column: str, alias: str = "c") -> str:
        """Join the candidate table only when a filter needs it."""
        if not self.filters:
            return ""
        return f" JOIN {CANDIDATE} {alias} ON {alias}.id = {column}"


def week_of(column: str) -> str:
    """SQL for the number (from 1) of the period's week that the instant in `column` falls in.

    The weeks' first instants (Monday midnight in the organisation's zone, daylight saving
    included) are passed in, so rows are only compared, never converted to local time."""
    return f"width_bucket({column}, %(week_starts)s::timestamptz[])"


# The week (from 1) of a local day, from the Mondays passed in.
WEEK_OF_DAY = "width_bucket(d.day, %(mondays)s::date[])"
# The instants a week's rows fall between, within the period.
WEEK_LO = "greatest(%(start)s, (%(week_starts)s::timestamptz[])[week])"
WEEK_HI = "least(%(end)s, (%(week_starts)s::timestamptz[])[week + 1])"


class CountsDisagree(Exception):
    """The daily counts per bucket promise a row the table does not hold: they differ from
    the rows they count (`manage.py check_rollups` says where; `--fix` rewrites them)."""


def _percentiles(sql: str, params: dict, fractions: list[float]) -> dict[str, list[float]]:
    """Run bucketed_percentiles_sql: per group key, [total, percentile for each fraction]."""
    found: dict[str, tuple[int, dict]] = {}
    for key, total, rank, value in _rows(sql, params):
        ranks = found.setdefault(key, (total, {}))[1]
        if rank is not None:
            ranks[rank] = value
    try:
        return {
            key: [total, *(percentile_from_ranks(values, total, f) for f in fractions)]
            for key, (total, values) in found.items()
        }
    except KeyError as missing:
        raise CountsDisagree from missing


def _from_days_else_rows(what: str, from_days, from_rows, scope: "Scope"):
    """The figures from the daily counts; should those differ from the rows, the same
    figures from every row of the period (slower, still exact), and an error logged."""
    try:
        return from_days(scope)
    except CountsDisagree:
        logger.error(
            "The daily counts of %s differ from the rows: the dashboard reads the rows until "
            "`manage.py check_rollups --fix` rewrites them",
            what,
        )
        return from_rows(scope)


def _monday(scope: Scope, number: int) -> date:
    return scope.period.weeks[number - 1]


def _rows(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _dicts(sql: str, params: dict) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# --- The funnel ---------------------------------------------------------------


@dataclass(frozen=True)
class FunnelStage:
    stage: str
    label: str
    # Distinct candidates who moved into this stage during the period.
    reached: int
    # Of those, how many made their next move into the next stage of the pipeline (by now).
    went_on: int
    # Median time spent in this stage, over the stays that began in the period and have ended.
    median_seconds: float | None
    stays: int
    next_label: str = ""

    @property
    def conversion(self) -> float | None:
        return self.went_on / self.reached if self.reached and self.next_label else None


def funnel(scope: Scope) -> list[FunnelStage]:
    """How many candidates reached each pipeline stage in the period, how many of them moved
    on to the next stage, and the median time spent in each stage, from the stage history.

    Two queries on the period alone, however long the history grows: the counts add up the
    daily counts (StageDay), or, narrowed to some candidates, count the period's history rows
    by the same rule; the stays are the period's rows (stagechange_period_idx), each holding
    when it ended."""
    counts = {row["stage"]: row for row in _funnel_counts(scope)}
    stays = _stays(scope)
    nexts = [*PIPELINE[1:], None]
    return [
        FunnelStage(
            stage=stage.value,
            label=stage.label,
            reached=counts.get(stage, {}).get("reached", 0),
            went_on=counts.get(stage, {}).get("advanced", 0),
            median_seconds=stays[stage][1],
            stays=stays[stage][0],
            next_label=nxt.label if nxt else "",
        )
        for stage, nxt in zip(PIPELINE, nexts, strict=True)
    ]


# As candidates.models.seconds_between.
_SECONDS_IN_STAGE = "date_part('epoch', sc.left_at - sc.at)"


def _stays(scope: Scope) -> dict[str, tuple[int, float | None]]:
    """Per pipeline stage, of the stays begun in the period that have ended: how many, and
    the median time spent in seconds. Narrowed to some candidates, one pass over the
    period's rows (stagechange_period_idx); else from the daily counts per bucket (StayDay)
    and the rows of the buckets that hold the medians (stagechange_stay_bucket_idx)."""
    if scope.filters:
        return _stays_from_rows(scope)
    return _from_days_else_rows("ended stays", _stays_from_days, _stays_from_rows, scope)


def _stays_from_rows(scope: Scope) -> dict[str, tuple[int, float | None]]:
    columns = []
    for n, stage in enumerate(PIPELINE):
        only = f"FILTER (WHERE sc.to_stage = '{stage.value}')"  # a constant of the enum
        columns.append(
            f"count(sc.left_at) {only} AS ended_{n}, "
            f"{percentile_sql(_SECONDS_IN_STAGE, [0.5])} {only} AS median_{n}"
        )
    sql = f"""
        SELECT {", ".join(columns)}
        FROM {STAGE_CHANGE} sc {scope.candidate_join("sc.candidate_id")}
        WHERE sc.at >= %(start)s AND sc.at < %(end)s AND sc.left_at IS NOT NULL
              {scope.candidate_condition()}
    """  # noqa: S608 - table and filter names are constants; values are parameters
    row = _dicts(sql, scope.params())[0]
    return {
        stage: (row[f"ended_{n}"], (row[f"median_{n}"] or [None])[0])
        for n, stage in enumerate(PIPELINE)
    }


def _stays_from_days(scope: Scope) -> dict[str, tuple[int, float | None]]:
    histogram = f"""
        SELECT d.stage AS key, d.stage AS kind, %(start)s AS lo, %(end)s AS hi, d.bucket,
               sum(d.stays) AS n
        FROM {STAY_DAY} d
        WHERE d.day >= %(first_day)s AND d.day <= %(last_day)s AND d.stage = ANY(%(stages)s)
        GROUP BY d.stage, d.bucket
    """  # noqa: S608 - names are constants
    value = f"""
        SELECT {_SECONDS_IN_STAGE} AS value
        FROM {STAGE_CHANGE} sc
        WHERE sc.stay_bucket = h.bucket AND sc.at >= h.lo AND sc.at < h.hi
              AND sc.left_at IS NOT NULL AND sc.to_stage = h.kind
        ORDER BY 1 OFFSET h.k LIMIT h.count
    """  # noqa: S608 - names are constants
    params = scope.params(stages=[stage.value for stage in PIPELINE])
    found = _percentiles(bucketed_percentiles_sql(histogram, value, [0.5]), params, [0.5])
    return {stage: tuple(found.get(stage.value, (0, None))) for stage in PIPELINE}


def _moves_begun_in(scope: Scope) -> QuerySet:
    candidates = {f"candidate__{name}": value for name, value in scope.filters.items()}
    return StageChange.objects.begun_in(scope.period.start, scope.period.end).filter(**candidates)


def _funnel_counts(scope: Scope) -> list[dict]:
    """Per stage: reached and advanced (each candidate once), as StageChange.funnel_counts."""
    if scope.filters:
        rows = _moves_begun_in(scope).values("to_stage").order_by()
        return [{"stage": row["to_stage"], **row} for row in rows.funnel_counts(scope.period.start)]
    return list(StageDay.objects.funnel_counts(scope.period.first_day, scope.period.last_day))


# --- Weekly series ------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    monday: date
    # The period cuts this week short (its first or last week).
    partial: bool


def weeks(period: Period) -> list[Week]:
    return [
        Week(monday, monday < period.first_day or (monday - period.last_day).days > -6)
        for monday in period.weeks
    ]


def _by_state_only(scope: Scope) -> bool:
    """No filter but the state: the daily signups per state (SignupDay) hold the figure."""
    return set(scope.filters) <= {"state"}


def signups_per_week(scope: Scope) -> dict[date, int]:
    """New candidates per week (by signup time); weeks without any are absent."""
    if _by_state_only(scope):
        state = " AND d.state = %(f_state)s" if scope.filters else ""
        sql = f"""
            SELECT {WEEK_OF_DAY}, sum(d.signups)
            FROM {SIGNUP_DAY} d
            WHERE d.day >= %(first_day)s AND d.day <= %(last_day)s {state}
            GROUP BY 1 HAVING sum(d.signups) > 0
        """  # noqa: S608 - names are constants; values are parameters
        return {_monday(scope, week): n for week, n in _rows(sql, scope.params())}
    sql = f"""
        SELECT {week_of("c.created_at")}, count(*)
        FROM {CANDIDATE} c
        WHERE c.created_at >= %(start)s AND c.created_at < %(end)s
              {scope.candidate_condition()}
        GROUP BY 1
    """  # noqa: S608 - table and filter names are constants; values are parameters
    return {_monday(scope, week): n for week, n in _rows(sql, scope.params())}


@dataclass(frozen=True)
class ScreeningWeek:
    calls: int
    minutes: int
    screeners: int

    @property
    def hours(self) -> float:
        return self.minutes / 60


def screening_per_week(scope: Scope) -> dict[date, ScreeningWeek]:
    """Screening calls logged per week, the volunteer time they took, and how many volunteers
    made them; weeks without calls are absent."""
    sql = f"""
        SELECT {week_of("sc.happened_at")},
               count(*), coalesce(sum(sc.duration_minutes), 0), count(DISTINCT sc.screener_id)
        FROM {CALL} sc {scope.candidate_join("sc.candidate_id")}
        WHERE sc.happened_at >= %(start)s AND sc.happened_at < %(end)s
              {scope.candidate_condition()}
        GROUP BY 1
    """  # noqa: S608 - table and filter names are constants; values are parameters
    return {
        _monday(scope, week): ScreeningWeek(calls, int(minutes), screeners)
        for week, calls, minutes, screeners in _rows(sql, scope.params())
    }


# --- Response times -------------------------------------------------------------
# The definitions are the requests page's (candidates.services.response_times): percentiles of
# the time to first response; "within due" answered by the due time, out of the "decided"
# (answered, or unanswered past the due time and not closed before it); "overdue" still open
# past the due time and waiting on the helping side. That module computes one grouping per
# query over all candidates; here three groupings come from one query, narrowed by the
# candidate filters. A test holds both to the same numbers.

_DECIDED = """(r.first_response_at IS NOT NULL OR (r.due_at < %(now)s
    AND (r.resolved_at IS NULL OR r.resolved_at > r.due_at)))"""
_OVERDUE = """(r.status = 'open' AND r.due_at < %(now)s
    AND (r.first_response_at IS NULL OR NOT r.answered_by_first_response))"""
# As candidates.models.hours_between.
_HOURS = "date_part('epoch', r.first_response_at - r.opened_at) / 3600"


@dataclass(frozen=True)
class ResponseStats:
    opened: int
    answered: int
    median_hours: float | None
    p90_hours: float | None
    # Answered by the due time, out of the requests whose outcome is known.
    within_due: int
    decided: int
    # Still open past the due time, waiting on the helping side.
    overdue: int

    @property
    def within_due_share(self) -> float | None:
        return self.within_due / self.decided if self.decided else None


EMPTY_STATS = ResponseStats(0, 0, None, None, 0, 0, 0)


@dataclass(frozen=True)
class ResponseTimes:
    total: ResponseStats
    by_week: dict[date, ResponseStats]
    by_kind: dict[str, ResponseStats]
    # First contact: from signup to the first answer, per week of signup.
    first_contact_by_week: dict[date, ResponseStats]


def _response_params(scope: Scope) -> dict:
    return scope.params(first_contact=request_kinds.FIRST_CONTACT)


def _figure_columns(prefix: str, only: str = "TRUE") -> str:
    """The figures of the rows where `only` holds, as columns named with `prefix`."""
    return f"""
        count(*) FILTER (WHERE {only}) AS {prefix}opened,
        count(hours) FILTER (WHERE {only}) AS {prefix}answered,
        {percentile_sql("hours", [0.5, 0.9])} FILTER (WHERE {only}) AS {prefix}hours,
        count(*) FILTER (WHERE within_due AND {only}) AS {prefix}within_due,
        count(*) FILTER (WHERE decided AND {only}) AS {prefix}decided,
        count(*) FILTER (WHERE overdue AND {only}) AS {prefix}overdue
    """


def _opened_in_period(scope: Scope) -> str:
    """The requests opened in the period, each with its week and flags worked out once."""
    return f"""
        -- Kinds compared byte by byte: grouping needs no collation.
        SELECT r.kind COLLATE "C" AS kind, {week_of("r.opened_at")} AS week, {_HOURS} AS hours,
               r.first_response_at <= r.due_at AS within_due,
               {_DECIDED} AS decided,
               {_OVERDUE} AS overdue
        FROM {REQUEST} r {scope.candidate_join("r.candidate_id")}
        -- request_opened_idx
        WHERE r.opened_at >= %(start)s AND r.opened_at < %(end)s
              {scope.candidate_condition()}
    """  # noqa: S608 - table and filter names are constants; values are parameters


def response_figures(scope: Scope) -> ResponseTimes:
    """Time to first response of the requests opened in the period: per kind, per week, and
    per week for first contact (two queries: by kind, then by week; for every candidate,
    counts, then percentiles, from the daily counts)."""
    if scope.filters:
        return _response_figures_from_rows(scope)
    return _from_days_else_rows(
        "answered requests", _response_figures_from_days, _response_figures_from_rows, scope
    )


def _response_figures_from_rows(scope: Scope) -> ResponseTimes:
    params = _response_params(scope)
    period = _opened_in_period(scope)
    by_kind = {
        row["kind"]: _stats(row)
        for row in _dicts(
            f"SELECT kind, {_figure_columns('')} FROM ({period}) r GROUP BY kind",  # noqa: S608
            params,
        )
    }
    kinds = by_kind.values()
    total = ResponseStats(
        opened=sum(k.opened for k in kinds),
        answered=sum(k.answered for k in kinds),
        median_hours=None,
        p90_hours=None,
        within_due=sum(k.within_due for k in kinds),
        decided=sum(k.decided for k in kinds),
        overdue=sum(k.overdue for k in kinds),
    )
    by_week, first_contact = {}, {}
    weekly = f"""
        SELECT week, {_figure_columns("")}, {_figure_columns("fc_", "kind = %(first_contact)s")}
        FROM ({period}) r
        GROUP BY week
    """  # noqa: S608 - names are constants; values are parameters
    for row in _dicts(weekly, params):
        monday = _monday(scope, row["week"])
        by_week[monday] = _stats(row)
        if row["fc_opened"]:
            first_contact[monday] = _stats(row, "fc_")
    return ResponseTimes(total, by_week, by_kind, first_contact)


# The requests whose figures depend on the time: unanswered (decided once past due) or
# unresolved (overdue); request_live_opened_idx holds them. ResponseDay holds the answered.
_LIVE = "(r.first_response_at IS NULL OR NOT (r.status = 'resolved'))"


def _response_counts(scope: Scope) -> list[dict]:
    """Per kind and week: the answered requests (and how many in time) from the daily
    counts, and the figures of the live requests from their rows."""
    sql = f"""
        WITH answered AS (
            SELECT d.kind, {WEEK_OF_DAY} AS week,
                   sum(d.answered) AS answered, sum(d.within_due) AS within_due
            FROM {RESPONSE_DAY} d
            WHERE d.day >= %(first_day)s AND d.day <= %(last_day)s
            GROUP BY 1, 2
        ),
        live AS (
            SELECT r.kind, {week_of("r.opened_at")} AS week,
                   count(*) FILTER (WHERE r.first_response_at IS NULL) AS unanswered,
                   count(*) FILTER (WHERE r.first_response_at IS NULL AND {_DECIDED}) AS decided,
                   count(*) FILTER (WHERE {_OVERDUE}) AS overdue
            FROM {REQUEST} r
            WHERE r.opened_at >= %(start)s AND r.opened_at < %(end)s AND {_LIVE}
            GROUP BY 1, 2
        )
        SELECT kind, week, coalesce(a.answered, 0) AS answered,
               coalesce(a.within_due, 0) AS within_due,
               coalesce(l.unanswered, 0) AS unanswered, coalesce(l.decided, 0) AS decided,
               coalesce(l.overdue, 0) AS overdue
        FROM answered a FULL JOIN live l USING (kind, week)
    """  # noqa: S608 - names are constants; values are parameters
    return _dicts(sql, _response_params(scope))


def _response_percentiles(scope: Scope) -> dict[str, list[float]]:
    """Median and 90th percentile hours per kind ("k:<kind>"), per week ("w:<week>") and
    per week of first contact ("f:<week>"), from the daily counts per bucket."""
    histogram = f"""
        WITH days AS (
            SELECT d.kind, {WEEK_OF_DAY} AS week, d.bucket, sum(d.answered) AS n
            FROM {RESPONSE_DAY} d
            WHERE d.day >= %(first_day)s AND d.day <= %(last_day)s
            GROUP BY 1, 2, 3
        )
        SELECT 'k:' || kind AS key, kind, %(start)s AS lo, %(end)s AS hi, bucket, sum(n) AS n
        FROM days GROUP BY kind, bucket
        UNION ALL
        SELECT 'w:' || week, NULL, {WEEK_LO}, {WEEK_HI}, bucket, sum(n)
        FROM days GROUP BY week, bucket
        UNION ALL
        SELECT 'f:' || week, kind, {WEEK_LO}, {WEEK_HI}, bucket, n
        FROM days WHERE kind = %(first_contact)s
    """  # noqa: S608 - names are constants
    value = f"""
        SELECT {_HOURS} AS value
        FROM {REQUEST} r
        WHERE r.response_bucket = h.bucket AND r.opened_at >= h.lo AND r.opened_at < h.hi
              AND (h.kind IS NULL OR r.kind = h.kind)
        ORDER BY 1 OFFSET h.k LIMIT h.count
    """  # noqa: S608 - names are constants
    fractions = [0.5, 0.9]
    sql = bucketed_percentiles_sql(histogram, value, fractions)
    return _percentiles(sql, _response_params(scope), fractions)


def _response_figures_from_days(scope: Scope) -> ResponseTimes:
    """response_figures for every candidate: the same figures, from ResponseDay."""
    by_kind, by_week, first_contact = {}, {}, {}
    for row in _response_counts(scope):
        add = [
            row["answered"] + row["unanswered"],
            row["answered"],
            row["within_due"],
            row["answered"] + row["decided"],
            row["overdue"],
        ]
        groups = [(by_kind, row["kind"]), (by_week, row["week"])]
        if row["kind"] == request_kinds.FIRST_CONTACT:
            groups.append((first_contact, row["week"]))
        for into, key in groups:
            into[key] = [a + b for a, b in zip(into.get(key, [0] * 5), add, strict=True)]
    hours = _response_percentiles(scope)

    def stats(counts: list[int], key: str) -> ResponseStats:
        opened, answered, within_due, decided, overdue = counts
        median, p90 = hours.get(key, [0, None, None])[1:]
        return ResponseStats(opened, answered, median, p90, within_due, decided, overdue)

    kinds = {kind: stats(c, f"k:{kind}") for kind, c in by_kind.items() if c[0]}
    total = ResponseStats(
        opened=sum(k.opened for k in kinds.values()),
        answered=sum(k.answered for k in kinds.values()),
        median_hours=None,
        p90_hours=None,
        within_due=sum(k.within_due for k in kinds.values()),
        decided=sum(k.decided for k in kinds.values()),
        overdue=sum(k.overdue for k in kinds.values()),
    )
    return ResponseTimes(
        total,
        {_monday(scope, w): stats(c, f"w:{w}") for w, c in by_week.items() if c[0]},
        kinds,
        {_monday(scope, w): stats(c, f"f:{w}") for w, c in first_contact.items() if c[0]},
    )


def _stats(row: dict, prefix: str = "") -> ResponseStats:
    hours = row[f"{prefix}hours"] or [None, None]
    return ResponseStats(
        opened=row[f"{prefix}opened"],
        answered=row[f"{prefix}answered"],
        median_hours=hours[0],
        p90_hours=hours[1],
        within_due=row[f"{prefix}within_due"],
        decided=row[f"{prefix}decided"],
        overdue=row[f"{prefix}overdue"],
    )


# --- The map ----------------------------------------------------------------------


@dataclass(frozen=True)
class StateFigures:
    signups: int = 0
    lead: str = ""
    mentors: int = 0


def states(scope: Scope) -> dict[str, StateFigures]:
    """Per state: signups in the period (every filter but the state applies), the active lead
    operative, and the available mentors who know the state."""
    signups = f"""
        SELECT c.state, count(*) AS n
        FROM {CANDIDATE} c
        WHERE c.created_at >= %(start)s AND c.created_at < %(end)s
              {scope.candidate_condition(exclude=["state"])}
        GROUP BY c.state
    """  # noqa: S608 - table and filter names are constants; values are parameters
    if _by_state_only(scope):
        signups = f"""
            SELECT d.state, sum(d.signups) AS n
            FROM {SIGNUP_DAY} d
            WHERE d.day >= %(first_day)s AND d.day <= %(last_day)s
            GROUP BY d.state HAVING sum(d.signups) > 0
        """  # noqa: S608 - names are constants
    sql = f"""
        WITH signups AS ({signups}),
        leads AS (
            SELECT sl.state, min(m.name) AS name
            FROM {STATE_LEAD} sl JOIN {MENTOR} m ON m.id = sl.mentor_id
            WHERE sl.ended_at IS NULL
            GROUP BY sl.state
        ),
        mentors AS (
            SELECT unnest(m.states) AS state, count(*) AS n
            FROM {MENTOR} m WHERE m.is_available
            GROUP BY 1
        )
        SELECT coalesce(s.state, l.state, m.state), coalesce(s.n, 0), l.name, coalesce(m.n, 0)
        FROM signups s
        FULL JOIN leads l ON l.state = s.state
        FULL JOIN mentors m ON m.state = coalesce(s.state, l.state)
    """  # noqa: S608 - table and filter names are constants; values are parameters
    return {
        state: StateFigures(signups, lead or "", mentors)
        for state, signups, lead, mentors in _rows(sql, scope.params())
    }


# --- Today's work -----------------------------------------------------------------


@dataclass(frozen=True)
class TodaysWork:
    waiting: int
    oldest_wait_since: datetime | None
    open_claims: int
    overdue: int


def todays_work(scope: Scope) -> TodaysWork:
    """Right now, whatever the period: signups not yet answered (and since when the oldest has
    waited), candidates held by a screener, and requests overdue."""
    sql = f"""
        SELECT
            count(*) FILTER (
                WHERE r.kind = %(first_contact)s AND r.first_response_at IS NULL
            ) AS waiting,
            min(r.opened_at) FILTER (
                WHERE r.kind = %(first_contact)s AND r.first_response_at IS NULL
            ) AS oldest,
            count(*) FILTER (WHERE {_OVERDUE}) AS overdue,
            (SELECT count(*) FROM {CLAIM} cl {scope.candidate_join("cl.candidate_id", "cc")}
             WHERE cl.released_at IS NULL {scope.candidate_condition("cc")}) AS open_claims
        FROM {REQUEST} r {scope.candidate_join("r.candidate_id")}
        -- request_open_due_idx: only the open requests are read.
        WHERE r.status <> %(resolved)s {scope.candidate_condition()}
    """  # noqa: S608 - table and filter names are constants; values are parameters
    params = _response_params(scope) | {"resolved": HelpRequest.Status.RESOLVED.value}
    row = _dicts(sql, params)[0]
    return TodaysWork(row["waiting"], row["oldest"], row["open_claims"], row["overdue"])


@contextmanager
def reporting():
    """A transaction for the dashboard's queries, with room to sort and hash in memory and
    no JIT compilation (it costs more than it saves on queries of this size)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '32MB'; SET LOCAL jit = off")
        yield
