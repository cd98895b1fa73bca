"""Rows of one model written in one INSERT, for the paths every signup and lead runs.

Django's bulk_create builds its statement anew on every call, field by field and value by
value through the SQL compiler: on a signup, which writes one row of each of several models,
that cost more CPU than the rows' round trips. This keeps each model's statement per process
and prepares each value as bulk_create does (the field's pre_save, then get_db_prep_save),
so the rows stored are the same; it gives each row its id and the columns the database
fills in (generated ones, database defaults) as bulk_create does.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.db import connection
from django.db.models import AutoField, Field, Model
from django.db.models.expressions import DatabaseDefault

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class _Statement:
    fields: list[Field]  # the columns written, in order
    head: str  # INSERT INTO table (columns) VALUES
    row: str  # one row's placeholders
    tail: str  # ON CONFLICT ... RETURNING ...
    returning: list[Field]  # what the database fills in, the id first
    keys: list[Field]  # the unique fields a conflict is judged on


_STATEMENTS: dict[tuple[type, bool, tuple[str, ...]], _Statement] = {}


def _statement(model: type[Model], with_pk: bool, unless_exists: tuple[str, ...]) -> _Statement:
    key = (model, with_pk, unless_exists)
    if key not in _STATEMENTS:
        meta, quote = model._meta, connection.ops.quote_name
        fields = [
            f
            for f in meta.concrete_fields
            if not f.generated and (with_pk or not isinstance(f, AutoField))
        ]
        keys = [meta.get_field(name) for name in unless_exists]
        conflict = f" ON CONFLICT ({', '.join(quote(f.column) for f in keys)}) DO NOTHING"
        returning = list(meta.db_returning_fields)
        _STATEMENTS[key] = _Statement(
            fields=fields,
            head=f"INSERT INTO {quote(meta.db_table)} "  # noqa: S608 - a model's own table
            f"({', '.join(quote(f.column) for f in fields)}) VALUES ",
            row=f"({', '.join(['%s'] * len(fields))})",
            tail=(conflict if keys else "")
            + f" RETURNING {', '.join(quote(f.column) for f in [*returning, *keys])}",
            returning=returning,
            keys=keys,
        )
    return _STATEMENTS[key]


def insert(rows: Sequence[M], *, unless_exists: Sequence[str] = ()) -> list[M]:
    """INSERT `rows` (instances of one model, all with an id or all without) in one
    statement; each gets its id and the columns the database fills in. `unless_exists`:
    the fields of a unique constraint (text or ids); a row whose values are stored already
    is skipped (ON CONFLICT DO NOTHING) and keeps no id. Returns `rows`."""
    if not rows:
        return list(rows)
    model, with_pk = type(rows[0]), rows[0].pk is not None
    statement = _statement(model, with_pk, tuple(unless_exists))
    fields, values, placeholders = statement.fields, [], []
    for row in rows:
        if (row.pk is not None) != with_pk or type(row) is not model:
            raise ValueError("rows of one model, all with an id or all without")
        # A related object given before it had its id (ids drawn later): its id now.
        row._prepare_related_fields_for_save(operation_name="insert")
        saved = [field.pre_save(row, True) for field in fields]
        if any(isinstance(value, DatabaseDefault) for value in saved):
            # A field left to its database default: DEFAULT in its place.
            marks = ("DEFAULT" if isinstance(v, DatabaseDefault) else "%s" for v in saved)
            placeholders.append(f"({', '.join(marks)})")
        else:
            placeholders.append(statement.row)
        values.extend(
            field.get_db_prep_save(value, connection)
            for field, value in zip(fields, saved, strict=True)
            if not isinstance(value, DatabaseDefault)
        )
    with connection.cursor() as cursor:
        cursor.execute(statement.head + ", ".join(placeholders) + statement.tail, values)
        returned = cursor.fetchall()
    # PostgreSQL returns the rows in the order of VALUES (bulk_create counts on it too); a
    # conflict leaves its row out, so each row is paired with the next one if it has its key.
    returning, keys = statement.returning, statement.keys
    waiting = iter(returned)
    found = next(waiting, None)
    for row in rows:
        if found is None or (
            keys and tuple(found[len(returning) :]) != tuple(getattr(row, f.attname) for f in keys)
        ):
            continue  # its key was stored already (before, or by a row before it here)
        for field, value in zip(returning, found, strict=False):
            setattr(row, field.attname, value)
        row._state.adding, row._state.db = False, connection.alias
        found = next(waiting, None)
    return list(rows)
