"""The daily counts kept by database triggers, in the transaction of every write to their
table whoever writes it (services, the admin, bulk loads): answered requests per kind and
duration bucket (ResponseDay), signups per state (SignupDay). Their recount from the rows.

The days are the organisation's (settings.RFS_TIME_ZONE), written into the trigger
functions; a recount with fix=True writes the functions again for the zone now set."""

from django.conf import settings
from django.db import connection

from candidates.models import Candidate, HelpRequest, ResponseDay, SignupDay

REQUESTS = HelpRequest._meta.db_table
RESPONSE_DAYS = ResponseDay._meta.db_table
CANDIDATES = Candidate._meta.db_table
SIGNUP_DAYS = SignupDay._meta.db_table


def _add_response(row: str, sign: str) -> str:
    """PL/pgSQL: add `row`'s count (sign 1) or take it away (-1), if it has been answered."""
    return f"""
        IF {row}.first_response_at IS NOT NULL THEN
            INSERT INTO {RESPONSE_DAYS} AS d (day, kind, bucket, answered, within_due)
            VALUES (({row}.opened_at AT TIME ZONE %(zone)s)::date, {row}.kind,
                    {row}.response_bucket, {sign},
                    {sign} * ({row}.first_response_at <= {row}.due_at)::integer)
            ON CONFLICT (day, kind, bucket) DO UPDATE
            SET answered = d.answered + EXCLUDED.answered,
                within_due = d.within_due + EXCLUDED.within_due;
        END IF;
    """  # noqa: S608 - names are constants


def _add_signup(row: str, sign: str) -> str:
    return f"""
        INSERT INTO {SIGNUP_DAYS} AS d (day, state, signups)
        VALUES (({row}.created_at AT TIME ZONE %(zone)s)::date, {row}.state, {sign})
        ON CONFLICT (day, state) DO UPDATE SET signups = d.signups + EXCLUDED.signups;
    """  # noqa: S608 - names are constants


def _trigger(name: str, table: str, columns: str, add) -> str:
    """A row trigger on `table` that takes the old row's count away and adds the new one's
    (an UPDATE only when one of `columns` changed)."""
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns.split(", "))
    return f"""
        CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN {add("OLD", "-1")} END IF;
            IF TG_OP <> 'DELETE' THEN {add("NEW", "1")} END IF;
            RETURN NULL;
        END $$;
        DROP TRIGGER IF EXISTS {name} ON {table};
        DROP TRIGGER IF EXISTS {name}_update ON {table};
        CREATE TRIGGER {name} AFTER INSERT OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {name}();
        CREATE TRIGGER {name}_update AFTER UPDATE OF {columns} ON {table}
        FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {name}();
    """


TRIGGERS = _trigger(
    f"{RESPONSE_DAYS}_count",
    REQUESTS,
    "opened_at, kind, first_response_at, due_at",
    _add_response,
) + _trigger(f"{SIGNUP_DAYS}_count", CANDIDATES, "created_at, state", _add_signup)

EXPECTED_RESPONSES = f"""
    SELECT (opened_at AT TIME ZONE %(zone)s)::date AS day, kind, response_bucket AS bucket,
           count(*) AS answered, count(*) FILTER (WHERE first_response_at <= due_at) AS within_due
    FROM {REQUESTS} WHERE first_response_at IS NOT NULL
    GROUP BY 1, 2, 3
"""  # noqa: S608 - names are constants
EXPECTED_SIGNUPS = f"""
    SELECT (created_at AT TIME ZONE %(zone)s)::date AS day, state, count(*) AS signups
    FROM {CANDIDATES} GROUP BY 1, 2
"""  # noqa: S608 - names are constants
# (name in the recount's answer, table, key, counts, expected rows)
COUNTS = [
    (
        "responses",
        RESPONSE_DAYS,
        "day, kind, bucket",
        ["answered", "within_due"],
        EXPECTED_RESPONSES,
    ),
    ("signups", SIGNUP_DAYS, "day, state", ["signups"], EXPECTED_SIGNUPS),
]


def recount_daily_counts(*, fix: bool = False) -> dict[str, int]:
    """Recount the trigger-kept daily counts from their rows: how many differ, per table
    ("responses", "signups"). With fix=True, rewrite them (and the triggers)."""
    params = {"zone": settings.RFS_TIME_ZONE}
    found = {}
    with connection.cursor() as cursor:
        for name, table, key, counts, expected in COUNTS:
            stored, recounted = (", ".join(f"{a}.{c}" for c in counts) for a in ("d", "e"))
            nonzero = " OR ".join(f"{c} <> 0" for c in counts)
            cursor.execute(
                f"""
                WITH expected AS ({expected})
                SELECT count(*) FROM expected e
                FULL JOIN (SELECT * FROM {table} WHERE {nonzero}) d USING ({key})
                WHERE ({recounted}) IS DISTINCT FROM ({stored})
                """,  # noqa: S608 - names are constants
                params,
            )
            found[name] = cursor.fetchone()[0]
        if fix and any(found.values()):
            cursor.execute(TRIGGERS, params)
            for _name, table, key, counts, expected in COUNTS:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a constant name
                columns = f"{key}, {', '.join(counts)}"
                cursor.execute(f"INSERT INTO {table} ({columns}) {expected}", params)
    return found
