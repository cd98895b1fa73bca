"""The daily counts of answered requests (ResponseDay): the trigger that keeps them with
every write to HelpRequest, in its transaction, and their recount from the requests."""

from django.conf import settings
from django.db import connection

from candidates.models import HelpRequest, ResponseDay

REQUESTS = HelpRequest._meta.db_table
DAYS = ResponseDay._meta.db_table


def _add(row: str, sign: str) -> str:
    """SQL: add `row`'s count (sign 1) or take it away (-1), if it has been answered."""
    return f"""
        IF {row}.first_response_at IS NOT NULL THEN
            INSERT INTO {DAYS} AS d (day, kind, bucket, answered, within_due)
            VALUES (({row}.opened_at AT TIME ZONE %(zone)s)::date, {row}.kind,
                    {row}.response_bucket, {sign},
                    {sign} * ({row}.first_response_at <= {row}.due_at)::integer)
            ON CONFLICT (day, kind, bucket) DO UPDATE
            SET answered = d.answered + EXCLUDED.answered,
                within_due = d.within_due + EXCLUDED.within_due;
        END IF;
    """  # noqa: S608 - names are constants


# The zone is written into the function: the days are the organisation's.
TRIGGER = f"""
    CREATE OR REPLACE FUNCTION {DAYS}_count() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN {_add("OLD", "-1")} END IF;
        IF TG_OP <> 'DELETE' THEN {_add("NEW", "1")} END IF;
        RETURN NULL;
    END $$;
    DROP TRIGGER IF EXISTS {DAYS}_count ON {REQUESTS};
    CREATE TRIGGER {DAYS}_count
    AFTER INSERT OR DELETE OR UPDATE OF opened_at, kind, first_response_at, due_at
    ON {REQUESTS} FOR EACH ROW EXECUTE FUNCTION {DAYS}_count();
"""

EXPECTED = f"""
    SELECT (opened_at AT TIME ZONE %(zone)s)::date AS day, kind, response_bucket AS bucket,
           count(*) AS answered, count(*) FILTER (WHERE first_response_at <= due_at) AS within_due
    FROM {REQUESTS} WHERE first_response_at IS NOT NULL
    GROUP BY 1, 2, 3
"""  # noqa: S608 - names are constants


def recount_response_days(*, fix: bool = False) -> int:
    """Recount the daily counts of answered requests from the requests: how many differ.
    With fix=True, rewrite them (and the trigger, for the zone now set)."""
    params = {"zone": settings.RFS_TIME_ZONE}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH expected AS ({EXPECTED})
            SELECT count(*) FROM expected e
            FULL JOIN (SELECT * FROM {DAYS} WHERE answered <> 0 OR within_due <> 0) d
                 USING (day, kind, bucket)
            WHERE (e.answered, e.within_due) IS DISTINCT FROM (d.answered, d.within_due)
            """,  # noqa: S608 - names are constants
            params,
        )
        (differ,) = cursor.fetchone()
        if fix and differ:
            cursor.execute(TRIGGER, params)
            cursor.execute(f"DELETE FROM {DAYS}")  # noqa: S608 - a constant name
            columns = "day, kind, bucket, answered, within_due"
            cursor.execute(f"INSERT INTO {DAYS} ({columns}) {EXPECTED}", params)
    return differ
