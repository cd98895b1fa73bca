"""CSV import of an earlier signup list: kept, mapped by staff, then resolved row by row
through intake like any other signup, one batch per Celery task (candidates.tasks)."""

import logging
from collections.abc import Iterator
from datetime import timedelta

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst

from candidates.csv_files import column_names, csv_lines, header_end, iter_csv, read_rows
from candidates.forms.answers import answers, describe_errors, field_label
from candidates.forms.staff import ImportRowForm
from candidates.models import CandidateImport, ImportRejection, Source, Submission
from candidates.services.intake import resolve_submission

logger = logging.getLogger(__name__)


# --- Import: the form each row must pass ----------------------------------------


def import_fields() -> list[tuple[str, str]]:
    """(name, label) of every field a file's column can fill, in the signup form's order."""
    return [(name, capfirst(field_label(name))) for name in ImportRowForm.base_fields]


def row_data(*, form_class: type[forms.Form], mapping: dict[str, int], cells: list[str]) -> dict:
    """Form data for one file row: each mapped column's text, read the way the form expects."""
    texts = {name: cells[index] if index < len(cells) else "" for name, index in mapping.items()}
    return answers(form_class=form_class, texts=texts)


# --- Import: the run ------------------------------------------------------------


def create_import(*, by, file_name: str, text: str) -> CandidateImport:
    """Keep an uploaded file's text, waiting for its column mapping."""
    header, rows = iter_csv(text)
    return CandidateImport.objects.create(
        by=by,
        file_name=file_name[:255],
        content=text,
        columns=column_names(header),
        read_offset=header_end(text),
        total_rows=sum(1 for _ in rows),
    )


def start_import(*, candidate_import: CandidateImport, mapping: dict[str, int]) -> bool:
    """Save the mapping and mark the import queued, once: False if it had already started.
    The caller hands the first batch to a worker (candidates.tasks.queue_import)."""
    started = CandidateImport.objects.filter(
        pk=candidate_import.pk, status=CandidateImport.Status.MAPPING
    ).update(mapping=mapping, status=CandidateImport.Status.QUEUED)
    candidate_import.refresh_from_db()
    return bool(started)


def unfinished_imports() -> list[tuple[int, int]]:
    """(import id, rows done) of every import still queued or running: the sweep queues each
    one's next batch, so an import whose task was lost (a broker outage, a worker killed)
    goes on. A batch already under way ignores the extra task."""
    return list(
        CandidateImport.objects.filter(
            status__in=[CandidateImport.Status.QUEUED, CandidateImport.Status.RUNNING]
        ).values_list("pk", "processed_rows")
    )


def run_import_batch(*, import_id: int, start: int = 0) -> int | None:
    """Resolve the import's rows from `start` on, one batch in one transaction. Returns where
    the next batch starts if rows remain (the task queues it), else None. Safe to run twice:
    a batch runs only if the import's processed count is still `start`."""
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
                return None  # done, failed, or this batch is in other hands or already done
            batch, job.read_offset, job.read_row = read_rows(
                job.content,
                offset=job.read_offset,
                number=job.read_row,
                limit=settings.RFS_IMPORT_BATCH_ROWS,
            )
            rejected = []
            for number, cells in batch:
                outcome, reason = _import_row(job=job, form_class=ImportRowForm, cells=cells)
                if outcome == "imported":
                    job.imported += 1
                elif outcome == "merged":
                    job.merged += 1
                else:
                    job.rejected += 1
                    values = dict(zip(job.columns, cells, strict=False))
                    rejected.append(
                        ImportRejection(
                            candidate_import=job, row=number, reason=reason, values=values
                        )
                    )
            ImportRejection.objects.bulk_create(rejected)
            job.processed_rows = start + len(batch)
            more = bool(batch) and job.processed_rows < job.total_rows
            fields = ["read_offset", "read_row", "processed_rows", "imported", "merged", "rejected"]
            if not more:
                _finish(job, status=CandidateImport.Status.DONE)
                fields += ["status", "finished_at", "content"]
            job.save(update_fields=fields)
            return job.processed_rows if more else None
    except Exception as exc:
        # Each row's own failure is a rejection; this is the batch itself failing. Its message
        # may quote a row (an address in a database error), so only its kind is kept.
        logger.error("import %s failed: %s", import_id, type(exc).__name__)
        CandidateImport.objects.filter(pk=import_id).update(
            status=CandidateImport.Status.FAILED,
            error=f"{type(exc).__name__}: the import stopped; rows before it were saved.",
            finished_at=timezone.now(),
            content="",
        )
        return None


def _finish(job: CandidateImport, *, status: str) -> None:
    # The file's rows are candidates (or rejections) now: its text is not kept.
    job.status, job.finished_at, job.content = status, timezone.now(), ""


def purge_rejections(*, now=None) -> int:
    """Delete the rejected rows of imports finished more than the set days ago (the counts
    stay on the import). Returns how many rows went."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.RFS_IMPORT_KEEP_REJECTED_DAYS)
    deleted, _ = ImportRejection.objects.filter(candidate_import__finished_at__lt=cutoff).delete()
    return deleted


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
        # Not the message: a database error quotes the row's values (an address).
        logger.warning("import %s: a row could not be saved: %s", job.pk, type(exc).__name__)
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
    names = candidate_import.columns

    def rows() -> Iterator[list]:
        yield ["Row", "Reason", *names]
        for rejection in candidate_import.rejections.all().iterator(chunk_size=1000):
            values = rejection.values
            yield [rejection.row, rejection.reason, *(values.get(n, "") for n in names)]

    yield "\ufeff"
    yield from csv_lines(rows())
