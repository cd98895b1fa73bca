"""Calendar invitations (RFC 5545 iCalendar text) to attach to an email.

One event per invitation, under a UID that stays the same for the thing it describes (a
booked call, a registration), so a calendar replaces it when SEQUENCE grows (a moved call)
and removes it on METHOD:CANCEL.
"""

from datetime import UTC, datetime

from django.conf import settings

REQUEST, CANCEL = "REQUEST", "CANCEL"
CONTENT_TYPE = "text/calendar"


def _text(value: str) -> str:
    """A TEXT value, escaped (RFC 5545 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, start = [], 0
    while start < len(data):
        end = min(start + (75 if not parts else 74), len(data))
        # Never cut a UTF-8 character in two.
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1
        parts.append(data[start:end].decode())
        start = end
    return "\r\n ".join(parts)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event(
    *,
    uid: str,
    sequence: int,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    description: str = "",
    location: str = "",
    attendee: str = "",
    method: str = REQUEST,
    stamp: datetime | None = None,
) -> str:
    """The iCalendar text of one event; `method` CANCEL withdraws an event sent before."""
    organizer = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">")
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Run for Something//Candidate pipeline//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"SEQUENCE:{sequence}",
        f"DTSTAMP:{_utc(stamp or datetime.now(UTC))}",
        f"DTSTART:{_utc(starts_at)}",
        f"DTEND:{_utc(ends_at)}",
        f"SUMMARY:{_text(summary)}",
        f"ORGANIZER:mailto:{organizer}",
        f"STATUS:{'CANCELLED' if method == CANCEL else 'CONFIRMED'}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{_text(description)}")
    if location:
        lines.append(f"LOCATION:{_text(location)}")
    if attendee:
        lines.append(f"ATTENDEE;RSVP=FALSE:mailto:{attendee}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def attachment(text: str, *, method: str = REQUEST, name: str = "invite.ics") -> dict:
    """The outbox's form of an attachment (services.record(attachments=[...]))."""
    return {
        "filename": name,
        "content_type": CONTENT_TYPE,
        "params": {"method": method},
        "content": text,
    }
