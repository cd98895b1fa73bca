"""Staff work on candidate records: notes, the timeline, CSV export (logged) and CSV import
(run batch by batch by a Celery task, resolved through intake like any other signup)."""

import csv
import io
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import capfirst

from candidates.models import (
    Candidate,
    CandidateExport,
    CandidateImport,
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
from candidates.services.intake import resolve_submission
from rfs.notify.models import Notification

logger = logging.getLogger(__name__)


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


def timeline(*, candidate: Candidate) -> list[TimelineEntry]:
    """Everything that happened to a candidate, newest first: submissions, stage changes,
    requests, notes and the emails the system sent them. One query per kind."""
    entries: list[TimelineEntry] = []
    for sub in Submission.objects.filter(candidate=candidate).order_by():
        entries.append(
            TimelineEntry(
                at=sub.received_at,
                kind="submission",
                title=f"{sub.get_channel_display()}: {sub.get_outcome_display().lower()}",
                detail=sub.reason,
                data=_payload_items(sub.payload),
            )
        )
    for change in StageChange.objects.filter(candidate=candidate).select_related("by").order_by():
        to = Stage(change.to_stage).label
        title = (
            f"Moved from {Stage(change.from_stage).label} to {to}"
            if change.from_stage
            else f"Entered the pipeline at {to}"
        )
        entries.append(
            TimelineEntry(
                at=change.at,
                kind="stage",
                title=title,
                detail=change.reason,
                by=str(change.by or ""),
            )
        )
    for request in HelpRequest.objects.filter(candidate=candidate).select_related("owner"):
        name = request.kind_label
        subject = request.subject
        owner = str(request.owner) if request.owner else "staff"
        due = timezone.localtime(request.due_at)
        entries.append(
            TimelineEntry(
                at=request.opened_at,
                kind="request",
                title=f"{name} requested",
                detail=f"{subject + ' · ' if subject else ''}Due {due:%b} {due.day}, "
                f"{due:%H:%M}, for {owner} to answer",
            )
        )
        if request.first_response_at:
            entries.append(
                TimelineEntry(
                    at=request.first_response_at, kind="request", title=f"{name}: first response"
                )
            )
        if request.resolved_at:
            entries.append(
                TimelineEntry(at=request.resolved_at, kind="request", title=f"{name} resolved")
            )
    for note in Note.objects.filter(candidate=candidate).select_related("author").order_by():
        entries.append(
            TimelineEntry(
                at=note.created_at,
                kind="note",
                title="Note",
                detail=note.body,
                by=str(note.author or ""),
            )
        )
    emails = Notification.objects.filter(ref=candidate.ref).defer("body_text", "body_html")
    for email in emails.order_by():
        entries.append(
            TimelineEntry(
                at=email.created_at,
                kind="email",
                title=f"Email: {email.subject}",
                detail=f"To {email.to_email} · {email.get_status_display()}",
                url=email.get_absolute_url(),
            )
        )
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries


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


# --- CSV: cells a spreadsheet never runs ------------------------------------

# A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """Cell text that a spreadsheet shows as typed: a formula-like start gets an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class _Line:
    """A write-only file for csv.writer that hands back what was written."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable]) -> Iterator[str]:
    """Neutralised CSV text for `rows`, a few hundred rows per piece."""
    writer = csv.writer(_Line())
    chunk: list[str] = []
    for row in rows:
        chunk.append(writer.writerow([neutralise(cell) for cell in row]))
        if len(chunk) >= 500:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


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


# --- Import: reading the file -------------------------------------------------


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def iter_csv(text: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and an iterator of (row number, cells) for every non-blank row. Row numbers
    are what a spreadsheet shows: the header is row 1."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header = [cell.strip() for cell in next(reader, [])]

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, cells in enumerate(reader, start=2):
            if any(cell.strip() for cell in cells):
                yield number, cells

    return header, rows()


def read_csv(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    header, rows = iter_csv(text)
    return header, list(rows)


def column_names(header: list[str]) -> list[str]:
    """Unique, non-blank names for the file's columns (blank ones become "Column 3")."""
    names: list[str] = []
    for index, name in enumerate(header):
        name = name or f"Column {index + 1}"
        candidate, n = name, 2
        while candidate in names:
            candidate, n = f"{name} ({n})", n + 1
        names.append(candidate)
    return names


# Other names earlier forms used for each field (compared without case or punctuation).
ALIASES: dict[str, set[str]] = {
    "first_name": {"first", "firstname", "givenname", "fname", "forename"},
    "last_name": {"last", "lastname", "surname", "familyname", "lname"},
    "preferred_name": {"preferredname", "nickname", "goesby"},
    "pronouns": {"pronoun", "pronouns"},
    "email": {"email", "emailaddress", "mail"},
    "phone": {"phone", "phonenumber", "mobile", "mobilephone", "cell", "cellphone", "telephone"},
    "zip_code": {"zip", "zipcode", "postalcode", "postcode", "zip5"},
    "state": {"state", "st", "statecode"},
    "city": {"city", "town", "cityortown"},
    "birth_year": {"birthyear", "yearofbirth", "yob", "born"},
    "office_level": {"officelevel", "level", "levelofoffice"},
    "office": {"office", "officesought", "position", "seat"},
    "district": {"district", "ward"},
    "election_year": {"electionyear", "year", "electiondate"},
    "has_filed": {"hasfiled", "filed", "alreadyfiled"},
    "party": {"party", "partyregistration"},
    "source": {"source", "howdidyouhearaboutus", "howheard", "heardabout", "referral"},
    "source_detail": {"sourcedetail", "referraldetail"},
    "why_run": {"whyrun", "why", "whydoyouwanttorun", "motivation"},
    "needs": {"needs", "help", "helpneeded", "whathelpdoyouneed"},
    "gender": {"gender"},
    "race_ethnicity": {"race", "ethnicity", "raceethnicity", "raceandethnicity"},
    "lgbtq": {"lgbtq", "lgbt", "lgbtqplus", "lgbtqia"},
}


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def guess_mapping(*, header: list[str], field_names: list[str]) -> dict[str, int]:
    """For each field, the column whose heading names it (by field name, label or a common
    alias), each column used once."""
    squashed = [_squash(name) for name in header]
    guess: dict[str, int] = {}
    for name in field_names:
        known = {_squash(name), _squash(_field_label(name)), *ALIASES.get(name, set())}
        for index, heading in enumerate(squashed):
            if heading in known and index not in guess.values():
                guess[name] = index
                break
    return guess


def _field_label(name: str) -> str:
    try:
        return str(Candidate._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a form-only field
        return name.replace("_", " ")


# --- Import: the form each row must pass ----------------------------------------


def row_form_class() -> type[forms.Form]:
    # Imported here: the staff forms use this module's CSV reading.
    from candidates.forms.staff import ImportRowForm

    return ImportRowForm


def import_fields() -> list[tuple[str, str]]:
    """(name, label) of every field a file's column can fill, in the signup form's order."""
    return [(name, capfirst(_field_label(name))) for name in row_form_class().base_fields]


_TRUE = {"yes", "y", "true", "t", "1", "x", "on", "filed"}
_SPLIT = re.compile(r"\s*[;,|/]\s*")


def _choice_value(field: forms.ChoiceField, text: str) -> str:
    """The choice `text` names by value or by label, ignoring case; else `text` unchanged
    (so the form reports it)."""
    wanted = text.strip().lower()
    for value, label in field.choices:
        if isinstance(label, list | tuple):  # an option group
            continue
        if wanted in (str(value).lower(), str(label).lower()):
            return value
    return text.strip()


def row_data(*, form_class: type[forms.Form], mapping: dict[str, int], cells: list[str]) -> dict:
    """Form data for one file row: each mapped column's text, read the way the form expects
    (choices by value or label, several needs in one cell, yes/no for ticks)."""
    fields = form_class.base_fields
    data: dict = {}
    for name, index in mapping.items():
        if name not in fields:
            continue
        text = cells[index].strip() if index < len(cells) else ""
        formfield = fields[name]
        if isinstance(formfield, forms.MultipleChoiceField):
            data[name] = [_choice_value(formfield, part) for part in _SPLIT.split(text) if part]
        elif isinstance(formfield, forms.ChoiceField):
            data[name] = _choice_value(formfield, text) if text else ""
        elif isinstance(formfield, forms.BooleanField):
            data[name] = "true" if text.lower() in _TRUE else "false"
        else:
            data[name] = text
    return data


def describe_errors(form: forms.Form) -> str:
    parts = []
    for name, errors in form.errors.items():
        # The names the mapping page uses, so staff can find the column to fix.
        label = _field_label(name).capitalize() if name in form.fields else ""
        text = " ".join(str(error) for error in errors)
        parts.append(f"{label}: {text}" if label else text)
    return "; ".join(parts)[:1000]


# --- Import: the run ------------------------------------------------------------


def create_import(*, by, file_name: str, text: str) -> CandidateImport:
    """Keep an uploaded file's text, waiting for its column mapping."""
    _, rows = iter_csv(text)
    return CandidateImport.objects.create(
        by=by, file_name=file_name[:255], content=text, total_rows=sum(1 for _ in rows)
    )


def start_import(*, candidate_import: CandidateImport, mapping: dict[str, int]) -> bool:
    """Save the mapping and queue the run, once: False if the import had already started."""
    with transaction.atomic():
        started = CandidateImport.objects.filter(
            pk=candidate_import.pk, status=CandidateImport.Status.MAPPING
        ).update(mapping=mapping, status=CandidateImport.Status.QUEUED)
        if started:
            transaction.on_commit(lambda: queue_batch(import_id=candidate_import.pk, start=0))
    candidate_import.refresh_from_db()
    return bool(started)


def queue_batch(*, import_id: int, start: int) -> None:
    """Hand a batch to a worker. If the broker is unreachable, the import waits for the
    sweep (resume_imports) rather than failing the page that started it."""
    from candidates.tasks import run_import

    try:
        run_import.delay(import_id, start)
    except Exception as exc:  # the broker's outage must not break the caller
        logger.warning("could not queue import %s, the sweep will: %s", import_id, exc)


def resume_imports() -> int:
    """Queue the next batch of every unfinished import: one whose task was lost (a broker
    outage, a worker killed) goes on. A batch already under way ignores the extra task."""
    unfinished = list(
        CandidateImport.objects.filter(
            status__in=[CandidateImport.Status.QUEUED, CandidateImport.Status.RUNNING]
        ).values_list("pk", "processed_rows")
    )
    for pk, processed in unfinished:
        queue_batch(import_id=pk, start=processed)
    return len(unfinished)


def run_import_batch(*, import_id: int, start: int = 0) -> bool:
    """Resolve the import's rows from `start` on, one batch in one transaction, and return
    True if rows remain (the task then queues the next batch). Safe to run twice: a batch
    runs only if the import's processed count is still `start`."""
    # First run: claim the import. A second delivery of the same task finds it running.
    CandidateImport.objects.filter(pk=import_id, status=CandidateImport.Status.QUEUED).update(
        status=CandidateImport.Status.RUNNING
    )
    try:
        with transaction.atomic():
            job = (
                CandidateImport.objects.select_for_update(skip_locked=True)
                .filter(pk=import_id, status=CandidateImport.Status.RUNNING, processed_rows=start)
                .first()
            )
            if job is None:
                return False  # done, failed, or this batch is in other hands or already done
            form_class = row_form_class()
            header, rows = iter_csv(job.content)
            names = column_names(header)
            batch = list(islice(rows, start, start + settings.RFS_IMPORT_BATCH_ROWS))
            for number, cells in batch:
                outcome, reason = _import_row(job=job, form_class=form_class, cells=cells)
                if outcome == "imported":
                    job.imported += 1
                elif outcome == "merged":
                    job.merged += 1
                else:
                    job.rejected += 1
                    job.rejections.append(
                        {
                            "row": number,
                            "reason": reason,
                            "values": dict(zip(names, cells, strict=False)),
                        }
                    )
            job.processed_rows = start + len(batch)
            more = bool(batch) and job.processed_rows < job.total_rows
            if not more:
                job.status = CandidateImport.Status.DONE
                job.finished_at = timezone.now()
            job.save()
            if more:
                next_start = job.processed_rows
                transaction.on_commit(lambda: queue_batch(import_id=import_id, start=next_start))
            return more
    except Exception as exc:
        # Each row's own failure is a rejection; this is the batch itself failing.
        logger.exception("import %s failed", import_id)
        CandidateImport.objects.filter(pk=import_id).update(
            status=CandidateImport.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        return False


def _import_row(*, job: CandidateImport, form_class, cells: list[str]) -> tuple[str, str]:
    """Validate and resolve one row: ("imported" | "merged" | "rejected", reason)."""
    data = row_data(form_class=form_class, mapping=job.mapping, cells=cells)
    form = form_class(data=data)
    if not form.is_valid():
        return "rejected", describe_errors(form)
    cleaned = dict(form.cleaned_data)
    if not cleaned.get("source"):
        cleaned["source"] = Source.IMPORT
    payload = {**data, "import": str(job.uuid)}
    try:
        with transaction.atomic():
            submission = resolve_submission(
                data=cleaned, channel=Submission.Channel.IMPORT, payload=payload, by=job.by
            )
    except Exception as exc:
        logger.warning("import %s: a row could not be saved: %s", job.pk, exc)
        return "rejected", f"Could not be saved: {type(exc).__name__}"
    if submission.outcome == Submission.Outcome.CREATED:
        return "imported", ""
    if submission.outcome in (
        Submission.Outcome.UPDATED,
        Submission.Outcome.MERGE_REVIEW,
        Submission.Outcome.MERGED,
    ):
        return "merged", ""
    return "rejected", submission.reason or submission.get_outcome_display()


def rejection_report(*, candidate_import: CandidateImport) -> Iterator[str]:
    """The rejected rows as CSV: row number, reason, then the row as it was in the file."""
    header, _ = iter_csv(candidate_import.content)
    names = column_names(header)

    def rows() -> Iterator[list]:
        yield ["Row", "Reason", *names]
        for rejection in candidate_import.rejections:
            values = rejection.get("values", {})
            yield [rejection["row"], rejection["reason"], *(values.get(n, "") for n in names)]

    yield "\ufeff"
    yield from csv_lines(rows())
