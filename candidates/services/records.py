"""Staff work on candidate records: notes, the timeline, and the CSV export (logged)."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from candidates.csv_files import csv_lines
from candidates.models import (
    Candidate,
    CandidateExport,
    HelpRequest,
    Need,
    Note,
    OfficeLevel,
    Party,
    Source,
    Stage,
    StageChange,
    Submission,
)
from candidates.services import request_filters
from rfs.notify.models import Notification

# --- Notes and the timeline ---------------------------------------------------


def add_note(*, candidate: Candidate, author, body: str) -> Note:
    """A staff note on the candidate's timeline."""
    return Note.objects.create(candidate=candidate, author=author, body=body.strip()[:5000])


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # submission, stage, request, note, email
    title: str
    detail: str = ""
    by: str = ""
    url: str = ""
    data: list[tuple[str, str]] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return TIMELINE_KINDS[self.kind]


TIMELINE_KINDS = {
    "submission": "Submission",
    "stage": "Stage",
    "request": "Request",
    "note": "Note",
    "email": "Email",
}


def candidate_requests(*, candidate: Candidate, now=None) -> list[HelpRequest]:
    """A candidate's requests: the open ones first, due soonest first, then the resolved ones,
    newest first; each with `overdue` and `owner_name`."""
    rows = list(
        HelpRequest.objects.filter(candidate=candidate)
        .with_overdue(now or timezone.now())
        .select_related("owner")
        .order_by("-opened_at", "-pk")
    )
    request_filters.name_owners(rows)
    open_rows = sorted((row for row in rows if row.is_open), key=lambda row: row.due_at)
    return open_rows + [row for row in rows if not row.is_open]


def timeline(
    *, candidate: Candidate, help_requests: list[HelpRequest] | None = None
) -> list[TimelineEntry]:
    """Everything that happened to a candidate, newest first: submissions, stage changes,
    requests (`help_requests` if the caller has them: candidate_requests), notes and the
    emails the system sent them. One query per kind."""
    if help_requests is None:
        help_requests = candidate_requests(candidate=candidate)
    entries = [
        *_submission_entries(candidate),
        *_stage_entries(candidate),
        *_request_entries(help_requests),
        *_note_entries(candidate),
        *_email_entries(candidate),
    ]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries


def _submission_entries(candidate: Candidate) -> Iterator[TimelineEntry]:
    for sub in Submission.objects.filter(candidate=candidate).order_by():
        yield TimelineEntry(
            at=sub.received_at,
            kind="submission",
            title=f"{sub.get_channel_display()}: {sub.get_outcome_display().lower()}",
            detail=sub.reason,
            data=_payload_items(sub.payload),
        )


def _stage_entries(candidate: Candidate) -> Iterator[TimelineEntry]:
    for change in StageChange.objects.filter(candidate=candidate).select_related("by").order_by():
        to = Stage(change.to_stage).label
        title = (
            f"Moved from {Stage(change.from_stage).label} to {to}"
            if change.from_stage
            else f"Entered the pipeline at {to}"
        )
        yield TimelineEntry(
            at=change.at, kind="stage", title=title, detail=change.reason, by=str(change.by or "")
        )


def _request_entries(help_requests: list[HelpRequest]) -> Iterator[TimelineEntry]:
    """Each request's opening, first response and resolution."""
    for request in help_requests:
        name = request.kind_label
        subject = request.subject
        owner = "staff" if request.owner_name == request_filters.STAFF_POOL else request.owner_name
        due = timezone.localtime(request.due_at)
        yield TimelineEntry(
            at=request.opened_at,
            kind="request",
            title=f"{name} requested",
            detail=f"{subject + ' · ' if subject else ''}Due {due:%b} {due.day}, "
            f"{due:%H:%M}, for {owner} to answer",
            url=request.get_absolute_url(),
        )
        if request.first_response_at:
            yield TimelineEntry(
                at=request.first_response_at, kind="request", title=f"{name}: first response"
            )
        if request.resolved_at:
            yield TimelineEntry(at=request.resolved_at, kind="request", title=f"{name} resolved")


def _note_entries(candidate: Candidate) -> Iterator[TimelineEntry]:
    for note in Note.objects.filter(candidate=candidate).select_related("author").order_by():
        yield TimelineEntry(
            at=note.created_at,
            kind="note",
            title="Note",
            detail=note.body,
            by=str(note.author or ""),
        )


def _email_entries(candidate: Candidate) -> Iterator[TimelineEntry]:
    emails = Notification.objects.filter(ref=candidate.ref).defer(
        "body_text", "body_html", "context"
    )
    for email in emails.order_by():
        yield TimelineEntry(
            at=email.created_at,
            kind="email",
            title=f"Email: {email.subject}",
            detail=f"To {email.to_email} · {email.get_status_display()}",
            url=email.get_absolute_url(),
        )


# Shown only in the page's personal-data section, never in the timeline.
PERSONAL_FIELDS = {"phone", "birth_year", "gender", "race_ethnicity", "lgbtq"}


def _payload_items(payload) -> list[tuple[str, str]]:
    """What a submission carried, as (name, value) text pairs for display, without the
    personal data (phone, birth year, demographics)."""
    if not isinstance(payload, dict):
        return [("payload", str(payload)[:500])]
    items = []
    for key, value in payload.items():
        if key in PERSONAL_FIELDS or key.startswith(("csrf", "website")):
            continue
        if isinstance(value, list):
            value = ", ".join(str(item) for item in value)
        items.append((str(key)[:100], str(value)[:500]))
    return items


# --- Export -------------------------------------------------------------------

# (column heading, Candidate field). Self-identified demographics are not exported.
EXPORT_COLUMNS = [
    ("ID", "uuid"),
    ("First name", "first_name"),
    ("Last name", "last_name"),
    ("Preferred name", "preferred_name"),
    ("Pronouns", "pronouns"),
    ("Email", "email"),
    ("Phone", "phone"),
    ("ZIP code", "zip_code"),
    ("State", "state"),
    ("City", "city"),
    ("Birth year", "birth_year"),
    ("Office level", "office_level"),
    ("Office", "office"),
    ("District", "district"),
    ("Election year", "election_year"),
    ("Already filed", "has_filed"),
    ("Party", "party"),
    ("Heard about us", "source"),
    ("Source detail", "source_detail"),
    ("Why they want to run", "why_run"),
    ("Help needed", "needs"),
    ("Stage", "stage"),
    ("In stage since", "stage_changed_at"),
    ("Signed up", "created_at"),
]
_NEED_LABELS = dict(Need.choices)


def _text(value) -> str:
    return "" if value is None else str(value)


def _labels(choices) -> Callable[[str], str]:
    labels = dict(choices)
    return lambda value: str(labels.get(value, value or ""))


def _local_time(value: datetime | None) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


# How each column is written; anything not listed is plain text.
_EXPORT_CELLS: dict[str, Callable] = {
    "office_level": _labels(OfficeLevel.choices),
    "party": _labels(Party.choices),
    "source": _labels(Source.choices),
    "stage": _labels(Stage.choices),
    "needs": lambda value: "; ".join(str(_NEED_LABELS.get(n, n)) for n in value or []),
    "has_filed": lambda value: "yes" if value else "no",
    "stage_changed_at": _local_time,
    "created_at": _local_time,
}


def record_export(*, by, filters: dict) -> CandidateExport:
    """Log an export before its first row leaves: who, when and which filters."""
    return CandidateExport.objects.create(by=by, filters=filters)


def export_csv(*, export: CandidateExport, queryset: QuerySet[Candidate]) -> Iterator[str]:
    """The CSV text of `queryset`, streamed from a server-side cursor 2,000 rows at a time;
    when the stream ends (or the download is cut off) the export's row count is saved."""
    names = [name for _, name in EXPORT_COLUMNS]
    cells = [_EXPORT_CELLS.get(name, _text) for name in names]
    # The phone as stored (E.164 text): parsing 100,000 numbers back would take longer
    # than the rest of the export together.
    columns = [("phone_text" if name == "phone" else name) for name in names]
    queryset = queryset.annotate(phone_text=Cast("phone", output_field=TextField()))
    count = 0

    def rows() -> Iterator[list[str]]:
        nonlocal count
        yield [heading for heading, _ in EXPORT_COLUMNS]
        for values in queryset.values_list(*columns).iterator(chunk_size=2000):
            count += 1
            yield [cell(value) for cell, value in zip(cells, values, strict=True)]

    try:
        # A byte order mark, so spreadsheet programs read the UTF-8 names correctly.
        yield "\ufeff"
        yield from csv_lines(rows())
    finally:
        CandidateExport.objects.filter(pk=export.pk).update(rows=count)
