"""Log lines without personal data.

Exceptions carry the values that caused them: PostgreSQL names the duplicate email in a
unique violation ("Key (email)=(ada@example.org) already exists"), an SMTP server names the
recipient it refused. Every log line, tracebacks included, goes through this formatter
(settings.LOGGING), so whatever a caller logs, addresses and phone numbers do not reach it.
"""

import logging
import re

REDACTIONS = [
    # PostgreSQL's DETAIL of a constraint violation: keep the column, drop the value.
    (
        re.compile(r"(Key \([^)]*\)=\().*?(\) (?:already exists|is not present|conflicts))"),
        r"\1…\2",
    ),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    (re.compile(r"\+\d{8,15}\b"), "[phone]"),
]


def redact(text: str) -> str:
    for pattern, replacement in REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
