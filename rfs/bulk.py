"""Rows of one model written in one INSERT, for the paths every signup and lead runs.

Django's bulk_create builds its statement anew on every call, field by field and value by
value through the SQL compiler: on a signup, which writes one row of each of several models,
that cost more CPU than the rows' round trips. This keeps each model's columns per process
and prepares each value as bulk_create does (the field's pre_save, then get_db_prep_save),
so the rows stored are the same; it gives each row its id and the columns the database
fills in (generated ones, database defaults) as bulk_create does.
"""

from collections.abc import Sequence
from typing import TypeVar

from django.db import connection
from django.db.models import AutoField, Model
from django.db.models.expressions import DatabaseDefault

M = TypeVar("M", bound=Model)

# (model, whether the rows bring their own id) -> (fields written, the statement's head).
_COLUMNS: dict[tuple[type, bool], tuple[list, str]] = {}


def _columns(model: type[Model], with_pk: bool) -> tuple[list, str]:
    key = (model, with_pk)
    if key not in _COLUMNS:
        fields = [
            f
            for f in model._meta.concrete_fields
            if not f.generated and (with_pk or not isinstance(f, AutoField))
        ]
        names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        table = connection.ops.quote_name(model._meta.db_table)
        head = f"INSERT INTO {table} ({names}) VALUES "  # noqa: S608 - a model's own table
        _COLUMNS[key] = (fields, head)
    return _COLUMNS[key]


def insert(rows: Sequence[M], *, unless_exists: Sequence[str] = ()) -> list[M]:
    """INSERT `rows` (instances of one model, all with an id or all without) in one
    statement; each gets its id and the columns the database fills in. `unless_exists`:
    the fields of a unique constraint (text or ids); a row whose values are stored already
    is skipped (ON CONFLICT DO NOTHING) and keeps no id. Returns `rows`."""
    if not rows:
        return list(rows)
    model = type(rows[0])
    meta = model._meta
    with_pk = rows[0].pk is not None
    fields, head = _columns(model, with_pk)
    values, placeholders = [], []
    for row in rows:
        if (row.pk is not None) != with_pk or type(row) is not model:
            raise ValueError("rows of one model, all with an id or all without")
        # A related object given before it had its id (ids drawn later): its id now.
        row._prepare_related_fields_for_save(operation_name="insert")
        marks = []
        for field in fields:
            value = field.pre_save(row, True)
            if isinstance(value, DatabaseDefault):
                marks.append("DEFAULT")
            else:
                marks.append("%s")
                values.append(field.get_db_prep_save(value, connection))
        placeholders.append(f"({', '.join(marks)})")
    returning = meta.db_returning_fields
    key_fields = [meta.get_field(name) for name in unless_exists]
    conflict = ""
    if key_fields:
        conflict = f" ON CONFLICT ({', '.join(f.column for f in key_fields)}) DO NOTHING"
    sql = (
        head
        + ", ".join(placeholders)
        + conflict
        + " RETURNING "
        + ", ".join(connection.ops.quote_name(f.column) for f in [*returning, *key_fields])
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        returned = cursor.fetchall()
    # PostgreSQL returns the rows in the order of VALUES (bulk_create counts on it too); a
    # conflict leaves its row out, so each row is paired with the next one if it has its key.
    waiting = iter(returned)
    found = next(waiting, None)
    for row in rows:
        key = tuple(getattr(row, f.attname) for f in key_fields)
        if found is None or tuple(found[len(returning) :]) != key:
            continue  # its key was stored already (before, or by a row before it here)
        for field, value in zip(returning, found[: len(returning)], strict=True):
            setattr(row, field.attname, value)
        row._state.adding, row._state.db = False, connection.alias
        found = next(waiting, None)
    return list(rows)
