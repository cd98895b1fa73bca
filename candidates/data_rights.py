"""What apps above this one hold about a person, for a person's data rights.

A person may ask for everything held about them, or for its erasure. The candidates app
knows its own rows; each app above it registers, in AppConfig.ready(), a section: how to
export its rows about a candidate (JSON-ready dicts) and how to erase what is personal in
them, keeping what the law or the counts need.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class Section:
    name: str
    label: str
    # candidate -> JSON-ready rows about them.
    export: Callable[[Any], list[dict]]
    # candidate -> None; runs in the erasure's transaction.
    erase: Callable[[Any], None]


_SECTIONS: dict[str, Section] = {}


def register(
    name: str,
    *,
    label: str,
    export: Callable[[Any], list[dict]],
    erase: Callable[[Any], None],
) -> None:
    _SECTIONS[name] = Section(name, label, export, erase)


def sections() -> list[Section]:
    """The registered sections, by name."""
    return [_SECTIONS[name] for name in sorted(_SECTIONS)]


def rows(queryset: QuerySet, *fields: str) -> list[dict]:
    """`fields` of each row, as dicts (what an export section usually returns)."""
    return list(queryset.order_by("pk").values(*fields))
