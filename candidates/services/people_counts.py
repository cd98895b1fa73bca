"""The exact live count of unique people (a compliance duty): a row per day and source,
kept in the transaction that creates or merges a person, and a recount from the records
that proves it."""

from collections.abc import Iterator
from datetime import date, timedelta

from django.db import connection
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from candidates.models import Candidate, LeadSource, PeopleCount


def count_people(sources: list[int | None], *, day, add: int = 1) -> None:
    """Add `add` (or take away, if negative) to the day's count of unique people for each
    source named (None: our own form or an import), in the caller's transaction."""
    per_source: dict[int | None, int] = {}
    for source in sources:
        per_source[source] = per_source.get(source, 0) + add
    if not per_source:
        return
    table = PeopleCount._meta.db_table
    rows = ", ".join(["(%s, %s, %s)"] * len(per_source))
    values = [v for source, n in per_source.items() for v in (day, source, n)]
    with connection.cursor() as cursor:
        # One statement whatever the batch; concurrent batches add to the same row safely.
        cursor.execute(
            f"INSERT INTO {table} (day, source_id, people) VALUES {rows} "  # noqa: S608 - our table
            "ON CONFLICT (day, source_id) DO UPDATE SET people = "
            f"{table}.people + EXCLUDED.people",
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


def kept_counts() -> dict[tuple[date, int | None], int]:
    return {(row.day, row.source_id): row.people for row in PeopleCount.objects.exclude(people=0)}


def differences() -> dict[tuple[date, int | None], tuple[int, int]]:
    """(day, source) -> (kept, recounted) wherever the kept count is wrong."""
    kept, counted = kept_counts(), recount()
    return {
        key: (kept.get(key, 0), counted.get(key, 0))
        for key in kept.keys() | counted.keys()
        if kept.get(key, 0) != counted.get(key, 0)
    }


def rewrite() -> None:
    """Replace the kept counts by a recount (the command's --fix), under a table lock so no
    intake adds to a row while it is rewritten."""
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {PeopleCount._meta.db_table} IN EXCLUSIVE MODE")
    PeopleCount.objects.all().delete()
    PeopleCount.objects.bulk_create(
        PeopleCount(day=day, source_id=source, people=people)
        for (day, source), people in recount().items()
    )


def total() -> int:
    return PeopleCount.objects.aggregate(total=Sum("people"))["total"] or 0


def by_source() -> list[dict]:
    """Unique people per source (None: our own form and imports), most first."""
    names = dict(LeadSource.objects.values_list("pk", "name"))
    rows = PeopleCount.objects.values("source").annotate(total=Sum("people")).order_by("-total")
    return [
        {"source": names.get(row["source"], ""), "source_id": row["source"], "people": row["total"]}
        for row in rows
        if row["total"]
    ]


def by_day(*, days: int = 30) -> list[dict]:
    """Unique people per day, the latest `days` days, newest first."""
    since = timezone.localdate() - timedelta(days=days - 1)
    rows = (
        PeopleCount.objects.filter(day__gte=since)
        .values("day")
        .annotate(total=Sum("people"))
        .order_by("-day")
    )
    return [{"day": row["day"], "people": row["total"]} for row in rows]


def csv_rows() -> Iterator[list]:
    """Every day and source with its count, for the compliance download."""
    names = dict(LeadSource.objects.values_list("pk", "name"))
    yield ["Day", "Source", "Unique people"]
    for row in PeopleCount.objects.exclude(people=0).order_by("day", "source_id"):
        source = names.get(row.source_id, "Our own form or an import")
        yield [row.day.isoformat(), source, row.people]
