"""Moves through the pipeline, and what they keep up to date in the same transaction: the
stay columns of the history rows and the daily counts (StageDay) the funnel adds up."""

import itertools

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from candidates.models import (
    ALLOWED_MOVES,
    PIPELINE,
    Candidate,
    Destination,
    Stage,
    StageChange,
    StageDay,
    StayDay,
    bucket_sql,
)
from candidates.services import destinations

HISTORY = StageChange._meta.db_table
DAYS = StageDay._meta.db_table
STAY_DAYS = StayDay._meta.db_table
# (stage, next stage) along the pipeline: constants from the Stage enum, not input.
_ADVANCED = "(s.to_stage, s.next_stage) IN ({})".format(
    ", ".join(f"('{a.value}', '{b.value}')" for a, b in itertools.pairwise(PIPELINE))
)


class StageMoveRefused(Exception):
    """The pipeline does not allow this move."""


def can_move(from_stage: str, to_stage: str) -> bool:
    return to_stage in ALLOWED_MOVES.get(from_stage, set())


@transaction.atomic
def move_stage(*, candidate: Candidate, to: str, by=None, reason: str = "", at=None) -> StageChange:
    """Move a candidate to stage `to` if the pipeline allows it, and write the history row.
    Raises StageMoveRefused otherwise."""
    at = at or timezone.now()
    # Lock the row so two concurrent moves cannot both start from the same stage.
    locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if not can_move(locked.stage, to):
        raise StageMoveRefused(
            f"A candidate cannot move from {Stage(locked.stage).label} to {Stage(to).label}."
        )
    change = StageChange.objects.create(
        candidate=locked, from_stage=locked.stage, to_stage=to, by=by, at=at, reason=reason[:500]
    )
    restate_history(candidate_ids=[locked.pk], uncounted=[change.pk])
    Candidate.objects.filter(pk=locked.pk).update(stage=to, stage_changed_at=at, updated_at=at)
    candidate.stage, candidate.stage_changed_at = to, at
    locked.stage = to
    destinations.record(
        event=Destination.Event.STAGE_CHANGED,
        candidates=[locked],
        at=at,
        extra={"from_stage": change.from_stage, "to_stage": to},
    )
    return change


def record_entry(
    *, candidate: Candidate, by=None, at=None, reason: str = "Signed up"
) -> StageChange:
    """The first history row of a new candidate: entering the pipeline at their current stage."""
    # Inside the caller's transaction when there is one (no savepoint), else one of its own.
    with transaction.atomic(savepoint=False):
        change = StageChange.objects.create(
            candidate=candidate,
            from_stage="",
            to_stage=candidate.stage,
            by=by,
            at=at or candidate.created_at or timezone.now(),
            reason=reason,
        )
        restate_history(candidate_ids=[candidate.pk], uncounted=[change.pk])
    return change


def record_entries(*, candidates: list[Candidate], at, reason: str, by=None) -> None:
    """record_entry for many new candidates at once, in one statement: their first history
    rows and what those add to the daily counts. A new person's only row has no stay before
    or after it, so its stay columns stay empty and it counts one entry, since never."""
    if not candidates:
        return
    sql = f"""
        WITH entries AS (
            INSERT INTO {HISTORY} (candidate_id, from_stage, to_stage, by_id, at, reason,
                left_at, next_stage, previous_entry_at, previous_advance_at)
            SELECT c.id, '', c.stage, %(by)s, %(at)s, %(reason)s, NULL, '', NULL, NULL
            FROM unnest(%(candidates)s::bigint[], %(stages)s::varchar[]) WITH ORDINALITY
                 AS c(id, stage, n)
            ORDER BY c.n
            RETURNING at, to_stage
        ),
        counts AS (
            SELECT {_local_day("s.at")} AS day, s.to_stage AS stage, NULL::date AS since,
                   1 AS entered, 0 AS advanced
            FROM entries s
        )
        {_ADD_COUNTS}
    """  # noqa: S608 - names are constants; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "candidates": [c.pk for c in candidates],
                "stages": [c.stage for c in candidates],
                "by": by.pk if by else None,
                "at": at,
                "reason": reason[:500],
                "zone": settings.RFS_TIME_ZONE,
            },
        )


# --- The stay columns and the daily counts --------------------------------------------
# Both follow from the history alone: _RESTATED works them out for some candidates' rows
# (or every row), and the counts change by what the rows counted before and count now.


def _local_day(column: str) -> str:
    return f"(({column}) AT TIME ZONE %(zone)s)::date"


# Each row's stay columns, from its candidate's whole history in order.
_RESTATED = f"""
    ordered AS (
        SELECT s.id, s.candidate_id, s.at, s.to_stage,
               lead(s.at) OVER w AS left_at,
               coalesce(lead(s.to_stage) OVER w, '') AS next_stage,
               max(s.at) OVER same AS previous_entry_at
        FROM {HISTORY} s
        WHERE %(every)s OR s.candidate_id = ANY(%(candidates)s)
        WINDOW w AS (PARTITION BY s.candidate_id ORDER BY s.at, s.id),
               same AS (PARTITION BY s.candidate_id, s.to_stage ORDER BY s.at, s.id
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
    ),
    restated AS (
        SELECT s.*, {_ADVANCED} AS advanced,
               CASE WHEN {_ADVANCED} THEN max(s.at) FILTER (WHERE {_ADVANCED}) OVER (
                   PARTITION BY s.candidate_id, s.to_stage ORDER BY s.at, s.id
                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) END AS previous_advance_at
        FROM ordered s
    )
"""  # noqa: S608 - table names and stages are constants; values are parameters

_COLUMNS = ["left_at", "next_stage", "previous_entry_at", "previous_advance_at"]


def _differ(a: str, b: str) -> str:
    """SQL: the stay columns of rows `a` and `b` are not the same."""
    left, right = (", ".join(f"{alias}.{c}" for c in _COLUMNS) for alias in (a, b))
    return f"({left}) IS DISTINCT FROM ({right})"


_SET_COLUMNS = ", ".join(f"{c} = r.{c}" for c in _COLUMNS)


def _counts(rows: str, sign: str) -> str:
    """What `rows` add to (sign 1) or take from (-1) the daily counts."""
    return f"""
        SELECT {_local_day("s.at")} AS day, s.to_stage AS stage,
               {_local_day("s.previous_entry_at")} AS since, {sign} AS entered, 0 AS advanced
        FROM {rows} s
        UNION ALL
        SELECT {_local_day("s.at")}, s.to_stage, {_local_day("s.previous_advance_at")}, 0, {sign}
        FROM {rows} s WHERE {_ADVANCED}
    """  # noqa: S608 - names are constants


def _stays(rows: str, sign: str) -> str:
    """What the ended stays of `rows` add to (sign 1) or take from (-1) StayDay."""
    return f"""
        SELECT {_local_day("s.at")} AS day, s.to_stage AS stage,
               {bucket_sql("date_part('epoch', s.left_at - s.at)")} AS bucket, {sign} AS stays
        FROM {rows} s WHERE s.left_at IS NOT NULL
    """  # noqa: S608 - names are constants


_ADD_STAYS = f"""
    INSERT INTO {STAY_DAYS} (day, stage, bucket, stays)
    SELECT day, stage, bucket, sum(stays) FROM stays
    GROUP BY day, stage, bucket
    HAVING sum(stays) <> 0
    ORDER BY day, stage, bucket
    ON CONFLICT (day, stage, bucket) DO UPDATE SET stays = {STAY_DAYS}.stays + EXCLUDED.stays
"""  # noqa: S608 - names are constants


_ADD_COUNTS = f"""
    INSERT INTO {DAYS} (day, stage, since, entered, advanced)
    SELECT day, stage, since, sum(entered), sum(advanced) FROM counts
    GROUP BY day, stage, since
    HAVING sum(entered) <> 0 OR sum(advanced) <> 0
    -- One order for every writer, so two transactions never wait on each other's rows.
    ORDER BY day, stage, since
    ON CONFLICT (day, stage, since) DO UPDATE
    SET entered = {DAYS}.entered + EXCLUDED.entered,
        advanced = {DAYS}.advanced + EXCLUDED.advanced
"""  # noqa: S608 - names are constants


def restate_history(
    *, candidate_ids: list[int], uncounted: list[int] = (), all_uncounted: bool = False
) -> None:
    """Work out the stay columns of these candidates' history rows again, and change the daily
    counts by the difference, in one statement. `uncounted`: rows (new ones) the counts do not
    hold yet; `all_uncounted`: none of these candidates' rows are counted yet."""
    sql = f"""
        WITH {_RESTATED},
        changed AS (
            UPDATE {HISTORY} h
            SET {_SET_COLUMNS}
            FROM restated r
            WHERE h.id = r.id
              AND {_differ("h", "r")}
            RETURNING h.id
        ),
        before AS (
            SELECT h.* FROM {HISTORY} h JOIN changed USING (id)
            WHERE NOT %(all_uncounted)s AND NOT h.id = ANY(%(uncounted)s)
        ),
        after AS (
            SELECT r.* FROM restated r
            WHERE %(all_uncounted)s OR r.id = ANY(%(uncounted)s)
                  OR r.id IN (SELECT id FROM changed)
        ),
        counts AS ({_counts("after", "1")} UNION ALL {_counts("before", "-1")}),
        stays AS ({_stays("after", "1")} UNION ALL {_stays("before", "-1")}),
        stays_added AS ({_ADD_STAYS})
        {_ADD_COUNTS}
    """  # noqa: S608 - names are constants; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "every": False,
                "candidates": list(candidate_ids),
                "uncounted": list(uncounted),
                "all_uncounted": all_uncounted,
                "zone": settings.RFS_TIME_ZONE,
            },
        )


def recount_history(*, fix: bool = False) -> dict[str, int]:
    """Recompute every stay column and daily count from the history and compare them with
    what is stored: {"rows": history rows that differ, "days": daily counts that differ}.
    With fix=True, rewrite both to the recomputed values (then recount_stays, whose counts
    follow the stay columns)."""
    params = {"every": True, "candidates": [], "zone": settings.RFS_TIME_ZONE}
    expected_days = f"""
        expected AS (
            SELECT day, stage, since, sum(entered) AS entered, sum(advanced) AS advanced
            FROM ({_counts("restated", "1")}) c
            GROUP BY day, stage, since
        )
    """  # noqa: S608 - names are constants
    differences = f"""
        WITH {_RESTATED}, {expected_days}
        SELECT
            (SELECT count(*) FROM restated r JOIN {HISTORY} h USING (id)
             WHERE {_differ("h", "r")}),
            (SELECT count(*) FROM expected e
             FULL JOIN (SELECT * FROM {DAYS} WHERE entered <> 0 OR advanced <> 0) d
                  ON (d.day, d.stage) = (e.day, e.stage) AND d.since IS NOT DISTINCT FROM e.since
             WHERE (e.entered, e.advanced) IS DISTINCT FROM (d.entered, d.advanced))
    """  # noqa: S608 - names are constants
    with connection.cursor() as cursor:
        cursor.execute(differences, params)
        rows, days = cursor.fetchone()
        if fix and (rows or days):
            _rewrite(cursor, params)
    return {"rows": rows, "days": days}


def recount_stays(*, fix: bool = False) -> int:
    """Recount the daily counts of ended stays (StayDay) from the history's stay columns:
    how many differ. With fix=True, rewrite them."""
    params = {"zone": settings.RFS_TIME_ZONE}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH expected AS (
                SELECT day, stage, bucket, sum(stays) AS stays
                FROM ({_stays(HISTORY, "1")}) c
                GROUP BY day, stage, bucket
            )
            SELECT count(*) FROM expected e
            FULL JOIN (SELECT * FROM {STAY_DAYS} WHERE stays <> 0) d USING (day, stage, bucket)
            WHERE e.stays IS DISTINCT FROM d.stays
            """,  # noqa: S608 - names are constants
            params,
        )
        (differ,) = cursor.fetchone()
        if fix and differ:
            cursor.execute(f"DELETE FROM {STAY_DAYS}")  # noqa: S608 - a constant name
            cursor.execute(f"WITH stays AS ({_stays(HISTORY, '1')}) {_ADD_STAYS}", params)
    return differ


def _rewrite(cursor, params: dict) -> None:
    """Every row's stay columns and every daily count, from the history (set-based)."""
    cursor.execute(
        f"""
        WITH {_RESTATED}
        UPDATE {HISTORY} h
        SET {_SET_COLUMNS}
        FROM restated r
        WHERE h.id = r.id
          AND {_differ("h", "r")}
        """,  # noqa: S608 - names are constants; values are parameters
        params,
    )
    cursor.execute(f"DELETE FROM {DAYS}")  # noqa: S608 - a constant name
    cursor.execute(
        f"WITH counts AS ({_counts(HISTORY, '1')}) {_ADD_COUNTS}",
        params,
    )
