"""Posts waiting to be resolved (leads from partner forms, signups from our own form): lead
sources and their secrets, the posts as they came, and the live count of unique people."""

import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from candidates.models.people import Submission


class LeadSource(models.Model):
    """One form (ours or a partner's) that posts leads to its own webhook endpoint."""

    class Preset(models.TextChoices):
        JSON = "json", "A JSON form with our field names"
        JOTFORM = "jotform", "Jotform webhook"
        AIRTABLE = "airtable", "Airtable automation"
        OSDI = "osdi", "OSDI person signup helper (Action Network)"

    class Auth(models.TextChoices):
        SIGNATURE = "signature", "HMAC-SHA256 signature in headers"
        TOKEN = "token", "Unguessable token in the URL"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, unique=True)
    owner = models.CharField(
        max_length=200, help_text="The person or organisation responsible for this form."
    )
    asks_contact = models.BooleanField(
        "the form asks people whether we may contact them",
        default=False,
        help_text="Only then does a lead enter the screening queue and get an email.",
    )
    consent_wording = models.TextField(
        blank=True, help_text="The words of the form's consent question, kept with every lead."
    )
    auth = models.CharField(max_length=16, choices=Auth.choices, default=Auth.SIGNATURE)
    preset = models.CharField(max_length=16, choices=Preset.choices, default=Preset.JSON)
    # Payload key (dotted for nested values) -> candidate field; on top of the preset's.
    field_map = models.JSONField(default=dict, blank=True)
    idempotency_field = models.CharField(
        max_length=100,
        blank=True,
        help_text="A payload key whose value is unique per submission (Jotform: submissionID).",
    )
    max_bytes = models.PositiveIntegerField("largest body (bytes)", default=64 * 1024)
    rate_per_minute = models.PositiveIntegerField("most leads a minute", default=600)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_bytes__gte=1024, max_bytes__lte=512 * 1024),
                name="leadsource_max_bytes_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("candidates:lead_source", args=[self.uuid])


class LeadSecret(models.Model):
    """A source's signing key or URL token. Rotating keeps the old one valid for a while,
    so a sender can switch without losing a lead."""

    source = models.ForeignKey(LeadSource, on_delete=models.CASCADE, related_name="secrets")
    value = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when a newer secret replaces it: valid until then.
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source} secret of {self.created_at:%Y-%m-%d}"


class Lead(models.Model):
    """A lead as it was posted, stored in one INSERT and resolved later by a worker."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RESOLVED = "resolved", "Resolved"
        DEAD = "dead", "Dead-lettered"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexed first in lead_source_status_idx and the others below, not on its own: a lead is
    # written twice (received, resolved), and each index more costs both writes.
    source = models.ForeignKey(
        LeadSource, on_delete=models.PROTECT, related_name="leads", db_index=False
    )
    received_at = models.DateTimeField(default=timezone.now)
    # Null when the sender gave none: the unique constraint then lets any number through.
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001
    payload = models.JSONField()
    # The consent question as the form put it when this lead came in.
    consent_wording = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(max_length=1000, blank=True)
    submission = models.OneToOneField(
        Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="lead"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            # A resend with the same key finds the first lead instead of making a second.
            models.UniqueConstraint(
                fields=["source", "idempotency_key"], name="lead_idempotency_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["id"], condition=Q(status="pending"), name="lead_pending_idx"),
            models.Index(fields=["source", "status"], name="lead_source_status_idx"),
            models.Index(fields=["source", "received_at"], name="lead_source_received_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.received_at:%Y-%m-%d %H:%M} ({self.status})"


class WaitingSignup(models.Model):
    """A signup from our own form, its answers already checked, stored in one INSERT and
    resolved by a worker moments later (candidates.services.intake.resolve_waiting_signups),
    which deletes it in the transaction that keeps its Submission. One that could not be
    saved stays, with the reason, for staff to see."""

    received_at = models.DateTimeField(default=timezone.now)
    # The form's answers as it checked them.
    data = models.JSONField(encoder=DjangoJSONEncoder)
    # What was posted, as it was posted (kept on the Submission).
    payload = models.JSONField()
    ip_hash = models.CharField(max_length=64, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    # The language of the page it was sent from.
    language = models.CharField(max_length=8, blank=True)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"signup of {self.received_at:%Y-%m-%d %H:%M:%S}" + (
            f" ({self.reason})" if self.reason else ""
        )


class PeopleCount(models.Model):
    """Unique people first known on one day through one source (none: our own form or an
    import), kept in the transaction that creates or merges them, so the live count reads
    a few rows at any size. `manage.py recount_people` checks it against the records."""

    day = models.DateField()
    source = models.ForeignKey(LeadSource, null=True, on_delete=models.PROTECT, related_name="+")
    people = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "source"], nulls_distinct=False, name="peoplecount_day_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.people}"


class PeopleBySource(models.Model):
    """PeopleCount summed over every day, one row per source: the overall count and the count
    per source read at most a row per source, however many people and days there are."""

    source = models.ForeignKey(LeadSource, null=True, on_delete=models.PROTECT, related_name="+")
    people = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source"], nulls_distinct=False, name="peoplebysource_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id or 'own'}: {self.people}"


class PeopleByDay(models.Model):
    """PeopleCount summed over every source, one row per day."""

    day = models.DateField(unique=True)
    people = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.people}"
