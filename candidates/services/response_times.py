"""Response-time figures, computed by PostgreSQL: percentiles per week, per kind, per mentor.

Plain functions returning lists of dicts, for the requests page and the dashboard.
Times are hours (floats). Weeks start on Monday in the organisation's zone and are
keyed by the week a request was opened. "Within due" counts requests whose first
response came by their due time, out of those already decided: answered, or
unanswered past their due time. A request still inside its window is undecided, and
so is one the candidate closed unanswered before it was due.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.utils import timezone

from candidates.models import Candidate, HelpRequest
from rfs.accounts.models import Role, User

_TABLE = HelpRequest._meta.db_table

# The figures every grouping shares; %(now)s decides which open requests are overdue.
_FIGURES = """
    count(*) AS opened,
    count(r.first_response_at) AS answered,
    count(r.resolved_at) AS resolved,
    percentile_cont(0.5) WITHIN GROUP (
        ORDER BY extract(epoch FROM r.first_response_at - r.opened_at)) / 3600
        AS median_first_response_hours,
    percentile_cont(0.9) WITHIN GROUP (
        ORDER BY extract(epoch FROM r.first_response_at - r.opened_at)) / 3600
        AS p90_first_response_hours,
    percentile_cont(0.5) WITHIN GROUP (
        ORDER BY extract(epoch FROM r.resolved_at - r.opened_at)) / 3600
        AS median_resolution_hours,
    percentile_cont(0.9) WITHIN GROUP (
        ORDER BY extract(epoch FROM r.resolved_at - r.opened_at)) / 3600
        AS p90_resolution_hours,
    count(*) FILTER (WHERE r.first_response_at <= r.due_at) AS within_due,
    count(*) FILTER (
        WHERE r.first_response_at IS NOT NULL
           OR (r.due_at < %(now)s AND (r.resolved_at IS NULL OR r.resolved_at > r.due_at)))
        AS decided,
    count(*) FILTER (
        WHERE r.status = 'open' AND r.due_at < %(now)s
          AND (r.first_response_at IS NULL OR r.kind NOT IN %(by_first)s)) AS overdue
"""


def _zone() -> str:
    return settings.RFS_TIME_ZONE


def week_start(moment: datetime) -> datetime:
    """The instant the organisation's week (Monday 00:00 local) containing `moment` began."""
    zone = ZoneInfo(_zone())
    local = moment.astimezone(zone)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, datetime.min.time(), tzinfo=zone)


def default_period(*, weeks: int = 12, now: datetime | None = None) -> tuple[datetime, datetime]:
    """The last `weeks` weeks including the current one: (start, now)."""
    now = now or timezone.now()
    this_week = week_start(now)
    # Step back whole local weeks by date, so a DST change between them moves nothing.
    first_monday = this_week.date() - timedelta(weeks=weeks - 1)
    return datetime.combine(first_monday, datetime.min.time(), tzinfo=this_week.tzinfo), now


def _params(since, until, now, kind) -> dict:
    from candidates.services.help_requests import ANSWERED_BY_FIRST_RESPONSE

    return {
        "tz": _zone(),
        "since": since,
        "until": until,
        "now": now,
        "kind": kind,
        "by_first": tuple(str(k) for k in ANSWERED_BY_FIRST_RESPONSE),
    }


def _rows(sql: str, params: dict) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [col.name for col in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        row["share_within_due"] = row["within_due"] / row["decided"] if row["decided"] else None
    return rows


def _period(since, until, weeks, now) -> tuple[datetime, datetime, datetime]:
    now = now or timezone.now()
    if since is None:
        since, _ = default_period(weeks=weeks, now=now)
    return since, until or now, now


def weekly_response_times(
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    weeks: int = 12,
    kind: str | None = None,
    by_kind: bool = True,
    now: datetime | None = None,
) -> list[dict]:
    """Per week (and per kind unless by_kind=False) of requests opened in [since, until):
    week (date of its Monday), kind ("" when all kinds), opened, answered, resolved,
    median/p90 first response and resolution hours, within_due, decided, share_within_due,
    overdue (still open past due)."""
    since, until, now = _period(since, until, weeks, now)
    kind_column = "r.kind" if by_kind else "''"
    sql = f"""
        SELECT (date_trunc('week', r.opened_at AT TIME ZONE %(tz)s))::date AS week,
               {kind_column} AS kind,
               {_FIGURES}
        FROM {_TABLE} r
        WHERE r.opened_at >= %(since)s AND r.opened_at < %(until)s
          AND (%(kind)s::text IS NULL OR r.kind = %(kind)s::text)
        GROUP BY 1, 2
        ORDER BY 1, 2
    """  # noqa: S608 - table and column names are ours; values are parameters
    return _rows(sql, _params(since, until, now, kind))


def response_times_by_kind(
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    weeks: int = 12,
    now: datetime | None = None,
) -> list[dict]:
    """The same figures per kind over the whole period, kinds in the order of HelpRequest.Kind."""
    since, until, now = _period(since, until, weeks, now)
    sql = f"""
        SELECT r.kind AS kind, {_FIGURES}
        FROM {_TABLE} r
        WHERE r.opened_at >= %(since)s AND r.opened_at < %(until)s
        GROUP BY 1
    """  # noqa: S608 - table and column names are ours; values are parameters
    order = {kind: n for n, kind in enumerate(HelpRequest.Kind.values)}
    rows = _rows(sql, _params(since, until, now, None))
    labels = dict(HelpRequest.Kind.choices)
    for row in rows:
        row["kind_label"] = labels.get(row["kind"], row["kind"])
    return sorted(rows, key=lambda row: order.get(row["kind"], 99))


def mentor_response_times(
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    weeks: int = 12,
    now: datetime | None = None,
    user_id: int | None = None,
) -> list[dict]:
    """The same figures per mentor, for requests owned by a mentor's login: mentor_user_id,
    mentor_name, mentor_uuid (their profile, if any) and the figures; slowest median first
    response first. `user_id` narrows it to one mentor's login."""
    since, until, now = _period(since, until, weeks, now)
    # The profile table is found through the relation, so this app imports no mentors code.
    profile = _mentor_profile_table()
    profile_join = f"LEFT JOIN {profile} m ON m.user_id = u.id" if profile else ""
    profile_uuid = "m.uuid" if profile else "NULL::uuid"
    profile_name = "m.name, " if profile else ""
    sql = f"""
        SELECT u.id AS mentor_user_id,
               coalesce({profile_name}nullif(u.name, ''), u.email) AS mentor_name,
               {profile_uuid} AS mentor_uuid,
               {_FIGURES}
        FROM {_TABLE} r
        JOIN {User._meta.db_table} u ON u.id = r.owner_id AND u.role = %(mentor_role)s
        {profile_join}
        WHERE r.opened_at >= %(since)s AND r.opened_at < %(until)s
          AND (%(user_id)s::bigint IS NULL OR u.id = %(user_id)s::bigint)
        GROUP BY 1, 2, 3
        ORDER BY median_first_response_hours DESC NULLS LAST, 2
    """  # noqa: S608 - table and column names are ours; values are parameters
    params = {
        **_params(since, until, now, None),
        "mentor_role": str(Role.MENTOR),
        "user_id": user_id,
    }
    return _rows(sql, params)


def _mentor_profile_table() -> str | None:
    try:
        return User._meta.get_field("mentor_profile").related_model._meta.db_table
    except FieldDoesNotExist:
        return None


def overdue_requests(*, now: datetime | None = None, limit: int = 200) -> list[dict]:
    """Open requests past their due time that still wait on the helping side, most overdue
    first: uuid, kind, candidate_uuid, candidate_name, owner_name (None: staff pool),
    opened_at, due_at, hours_overdue, escalated_at."""
    now = now or timezone.now()
    sql = f"""
        SELECT r.uuid, r.kind, c.uuid AS candidate_uuid,
               coalesce(nullif(c.preferred_name, ''), c.first_name) || ' ' || c.last_name
                   AS candidate_name,
               coalesce(nullif(u.name, ''), u.email) AS owner_name,
               r.opened_at, r.due_at, r.escalated_at,
               extract(epoch FROM %(now)s - r.due_at) / 3600 AS hours_overdue
        FROM {_TABLE} r
        JOIN {Candidate._meta.db_table} c ON c.id = r.candidate_id
        LEFT JOIN {User._meta.db_table} u ON u.id = r.owner_id
        WHERE r.status = 'open' AND r.due_at < %(now)s
          AND (r.first_response_at IS NULL OR r.kind NOT IN %(by_first)s)
        ORDER BY r.due_at, r.id
        LIMIT %(limit)s
    """  # noqa: S608 - table and column names are ours; values are parameters
    params = {**_params(None, None, now, None), "limit": limit}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [col.name for col in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    labels = dict(HelpRequest.Kind.choices)
    for row in rows:
        row["kind_label"] = labels.get(row["kind"], row["kind"])
    return rows
