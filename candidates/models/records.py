"""Staff's records of intake: exports, imports and their rejected rows, posts turned away."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse


class CandidateExport(models.Model):
    """A record of every CSV export: it carries personal data."""

    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)
    filters = models.JSONField(default=dict)
    rows = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"Export by {self.by} at {self.at:%Y-%m-%d %H:%M}"


class CandidateImport(models.Model):
    """An upload of an earlier signup list, mapped and run by a Celery task."""

    class Status(models.TextChoices):
        MAPPING = "mapping", "Waiting for column mapping"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255)
    # The file's text, deleted once the import has finished: its rows are candidates now.
    content = models.TextField()
    # The file's column names, kept for the report of rejected rows.
    columns = models.JSONField(default=list)
    # Where the next batch starts reading: a character offset and that row's number.
    read_offset = models.PositiveIntegerField(default=0)
    read_row = models.PositiveIntegerField(default=2)
    mapping = models.JSONField(default=dict)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.MAPPING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    merged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import of {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("candidates:import", args=[self.uuid])


class ImportRejection(models.Model):
    """A row of an import that could not be resolved, as it was in the file, for the report
    staff download; purged settings.RFS_IMPORT_KEEP_REJECTED_DAYS after the import ends."""

    candidate_import = models.ForeignKey(
        CandidateImport, on_delete=models.CASCADE, related_name="rejections"
    )
    row = models.PositiveIntegerField()
    reason = models.CharField(max_length=1000)
    # {column name: cell text}
    values = models.JSONField()

    class Meta:
        ordering = ["candidate_import", "row"]

    def __str__(self) -> str:
        return f"Row {self.row} of import {self.candidate_import_id}"


class RejectedPostCountQuerySet(models.QuerySet):
    def totals(self) -> dict[str, int]:
        """{reason: posts turned away} over these rows, every reason present (0 if none)."""
        counts = dict(self.order_by().values_list("reason").annotate(total=models.Sum("count")))
        return {reason: counts.get(reason, 0) for reason in RejectedPostCount.Reason.values}


class RejectedPostCount(models.Model):
    """How many anonymous posts were turned away, per day and reason. Every one is counted;
    only the first few of a day keep an extract (a Submission), so a flood fills nothing."""

    class Reason(models.TextChoices):
        HONEYPOT = "honeypot", "caught by the honeypot"
        RATE_LIMIT = "rate_limit", "over the rate limit"

    # The organisation's calendar day.
    day = models.DateField()
    reason = models.CharField(max_length=16, choices=Reason.choices)
    count = models.PositiveIntegerField(default=0)

    objects = RejectedPostCountQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "reason"]
        constraints = [
            models.UniqueConstraint(fields=["day", "reason"], name="rejected_post_count_once"),
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.count} {self.get_reason_display()}"
