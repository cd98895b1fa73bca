"""The exact live count of unique people (a compliance duty): counters per day and source,
per source and per day, kept in the transaction that creates or merges a person, so every
figure reads a handful of rows at any size; and a recount from the records that proves
them."""

from collections.abc import Iterator
from datetime import date, timedelta

from django.db import connection
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from candidates.models import Candidate, LeadSource, PeopleByDay, PeopleBySource, PeopleCount

OWN = "Our own form or an import"


def count_people(sources: list[int | None], *, day, add: int = 1) -> None:
    """Add `add` (or take away, if negative) to the day's count of unique people for each
    source named (None: our own form or an import), in the caller's transaction."""
    per_source: dict[int | None, int] = {}
    for source in sources:
        per_source[source] = per_source.get(source, 0) + add
    if not per_source:
        return
    # Always in the same order, so concurrent batches lock the rows in the same order.
    ordered = sorted(per_source.items(), key=lambda item: item[0] or 0)
    cells, by_source = PeopleCount._meta.db_table, PeopleBySource._meta.db_table
    by_day = PeopleByDay._meta.db_table
    three = ", ".join(["(%s, %s, %s)"] * len(ordered))
    two = ", ".join(["(%s, %s)"] * len(ordered))
    values = [v for source, n in ordered for v in (day, source, n)]
    values += [v for source, n in ordered for v in (source, n)]
    values += [day, sum(per_source.values())]
    with connection.cursor() as cursor:
        # One statement (one round trip) for the three counters, whatever the batch.
        cursor.execute(
            f"WITH cells AS (INSERT INTO {cells} (day, source_id, people) VALUES {three} "  # noqa: S608 - our tables
            f"ON CONFLICT (day, source_id) DO UPDATE SET people = {cells}.people + "
            "EXCLUDED.people RETURNING 1), "
            f"sources AS (INSERT INTO {by_source} (source_id, people) VALUES {two} "
            f"ON CONFLICT (source_id) DO UPDATE SET people = {by_source}.people + "
            "EXCLUDED.people RETURNING 1) "
            f"INSERT INTO {by_day} (day, people) VALUES (%s, %s) "
            f"ON CONFLICT (day) DO UPDATE SET people = {by_day}.people + EXCLUDED.people",
            values,
        )


def recount() -> dict[tuple[date, int | None], int]:
    """(day, source) -> people, counted from the candidate records themselves."""
    rows = (
        Candidate.objects.annotate(
            day=TruncDate("created_at", tzinfo=timezone.get_current_timezone())
        )
        .values("day", "first_source")
        .annotate(people=Count("pk"))
        .order_by()
    )
    return {(row["day"], row["first_source"]): row["people"] for row in rows}


def _kept() -> dict[tuple, int]:
    """Every kept counter, under ("cell", day, source), ("source", source), ("day", day)."""
    kept: dict[tuple, int] = {}
    for row in PeopleCount.objects.exclude(people=0):
        kept["cell", row.day, row.source_id] = row.people
    for row in PeopleBySource.objects.exclude(people=0):
        kept["source", row.source_id] = row.people
    for row in PeopleByDay.objects.exclude(people=0):
        kept["day", row.day] = row.people
    return kept


def _expected(cells: dict[tuple[date, int | None], int]) -> dict[tuple, int]:
    expected: dict[tuple, int] = {}
    for (day, source), people in cells.items():
        expected["cell", day, source] = people
        expected["source", source] = expected.get(("source", source), 0) + people
        expected["day", day] = expected.get(("day", day), 0) + people
    return expected


def differences() -> dict[tuple, tuple[int, int]]:
    """Counter -> (kept, recounted) wherever a kept counter is wrong."""
    kept, counted = _kept(), _expected(recount())
    return {
        key: (kept.get(key, 0), counted.get(key, 0))
        for key in kept.keys() | counted.keys()
        if kept.get(key, 0) != counted.get(key, 0)
    }


def rewrite() -> None:
    """Replace the kept counters by a recount (the command's --fix), under table locks so no
    intake adds to a row while it is rewritten."""
    tables = [m._meta.db_table for m in (PeopleCount, PeopleBySource, PeopleByDay)]
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {', '.join(tables)} IN EXCLUSIVE MODE")
    for model in (PeopleCount, PeopleBySource, PeopleByDay):
        model.objects.all().delete()
    expected = _expected(recount())
    PeopleCount.objects.bulk_create(
        PeopleCount(day=key[1], source_id=key[2], people=n)
        for key, n in expected.items()
        if key[0] == "cell"
    )
    PeopleBySource.objects.bulk_create(
        PeopleBySource(source_id=key[1], people=n)
        for key, n in expected.items()
        if key[0] == "source"
    )
    PeopleByDay.objects.bulk_create(
        PeopleByDay(day=key[1], people=n) for key, n in expected.items() if key[0] == "day"
    )


def total() -> int:
    return PeopleBySource.objects.aggregate(total=Sum("people"))["total"] or 0


def by_source() -> list[dict]:
    """Unique people per source that first brought them (None: our own form and imports)."""
    rows = PeopleBySource.objects.filter(people__gt=0).select_related("source")
    return sorted(
        (
            {
                "source": row.source.name if row.source else "",
                "source_id": row.source_id,
                "people": row.people,
            }
            for row in rows
        ),
        key=lambda row: -row["people"],
    )


def by_day(*, days: int = 30) -> list[dict]:
    """Unique people per day, the latest `days` days, newest first."""
    since = timezone.localdate() - timedelta(days=days - 1)
    rows = PeopleByDay.objects.filter(day__gte=since, people__gt=0).order_by("-day")
    return [{"day": row.day, "people": row.people} for row in rows]


def csv_rows() -> Iterator[list]:
    """Every day and source with its count, for the compliance download."""
    names = dict(LeadSource.objects.values_list("pk", "name"))
    yield ["Day", "Source", "Unique people"]
    rows = PeopleCount.objects.exclude(people=0).order_by("day", "source_id")
    for row in rows.iterator(chunk_size=2000):
        yield [row.day.isoformat(), names.get(row.source_id, OWN), row.people]
