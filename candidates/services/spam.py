"""Anonymous posts cannot fill the database.

A post turned away (honeypot, rate limit) is counted per day and reason; only the first
settings.RFS_REJECTED_EXTRACTS_PER_DAY of a day and reason keep a short extract as a
Submission. Every payload kept from a public form is capped in field count and size, with
a "_cut" entry saying what was left out.
"""

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.utils import timezone

from candidates.models import RejectedPostCount, Submission
from candidates.services import intake


@dataclass(frozen=True)
class Cap:
    fields: int  # names kept
    chars: int  # characters of each value (and of each item of a list)
    items: int  # items of a list
    bytes: int  # the whole payload as UTF-8 JSON


# A signup that is resolved: every field of the form, whole (why_run is 4,000 characters).
ACCEPTED = Cap(fields=40, chars=4000, items=20, bytes=32_000)
# A post turned away: enough to see who or what it was.
EXTRACT = Cap(fields=10, chars=200, items=5, bytes=4_000)
EXTRACT_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "state",
    "city",
    "office",
    "why_run",
    "website",
)
NAME_CHARS = 100
MARKER = "_cut"


def today() -> date:
    """The organisation's calendar day, which the counts are kept by."""
    return timezone.localdate(timezone=ZoneInfo(settings.RFS_TIME_ZONE))


def capped(payload: dict, cap: Cap, *, fields: Collection[str] | None = None) -> dict:
    """`payload` within `cap`: only the names in `fields` (when given), at most cap.fields
    of them in posted order, each value shortened, fields dropped from the end until the
    whole fits cap.bytes. A "_cut" entry counts the fields dropped and values shortened."""
    dropped = shortened = 0
    kept: dict[str, Any] = {}
    for name, value in payload.items():
        if (fields is not None and name not in fields) or len(kept) >= cap.fields:
            dropped += 1
            continue
        short_value = _shortened(value, cap)
        shortened += short_value != value or len(str(name)) > NAME_CHARS
        kept[str(name)[:NAME_CHARS]] = short_value
    while kept and _size(kept, dropped, shortened) > cap.bytes:
        kept.popitem()
        dropped += 1
    if dropped or shortened:
        kept[MARKER] = {"fields": dropped, "values": shortened}
    return kept


def _shortened(value: Any, cap: Cap) -> Any:
    if isinstance(value, list):
        return [_shortened(item, cap) for item in value[: cap.items]]
    text = value if isinstance(value, str) else str(value)
    return text[: cap.chars]


def _size(kept: dict, dropped: int, shortened: int) -> int:
    marker = {MARKER: {"fields": dropped, "values": shortened}}
    return len(json.dumps({**kept, **marker}, ensure_ascii=False).encode())


def reject_post(
    *, reason: str, channel: str, payload: dict, ip_hash: str = "", user_agent: str = ""
) -> Submission | None:
    """Count one post turned away for `reason`; keep a short extract of it while today's
    extracts for that reason are under settings.RFS_REJECTED_EXTRACTS_PER_DAY."""
    if count_rejected(reason=reason) > settings.RFS_REJECTED_EXTRACTS_PER_DAY:
        return None
    if reason == RejectedPostCount.Reason.HONEYPOT:
        outcome, why = Submission.Outcome.SPAM, "Honeypot filled."
    else:
        outcome = Submission.Outcome.REJECTED
        why = (
            f"Rate limit: more than {settings.RFS_SIGNUP_RATE_LIMIT} signups "
            "from this address in an hour."
        )
    return intake.keep_rejected(
        channel=channel,
        payload=capped(payload, EXTRACT, fields=EXTRACT_FIELDS),
        outcome=outcome,
        reason=why,
        ip_hash=ip_hash,
        user_agent=user_agent,
    )


def count_rejected(*, reason: str) -> int:
    """Add one to today's count for `reason`; returns the new count. One statement, so
    concurrent posts never lose a count."""
    table = RejectedPostCount._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, reason, count) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (day, reason) DO UPDATE SET count = {table}.count + 1 "
            "RETURNING count",
            [today(), reason],
        )
        return cursor.fetchone()[0]
