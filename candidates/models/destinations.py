"""Destinations: the organisation's other tools, told of events about people."""

import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Destination(models.Model):
    """Another tool (a CRM, a mailing list) told of events about people, as signed JSON."""

    class Event(models.TextChoices):
        PERSON_CREATED = "person.created", "A new person"
        STAGE_CHANGED = "person.stage_changed", "A stage change"
        CONSENT_WITHDRAWN = "person.consent_withdrawn", "Consent withdrawn"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, unique=True)
    url = models.URLField("address", max_length=500)
    # Signs every delivery (X-RFS-Signature), so the receiver knows it is from us.
    secret = models.CharField(max_length=64, editable=False)
    events = ArrayField(models.CharField(max_length=32, choices=Event.choices), default=list)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("candidates:destination", args=[self.uuid])


class DestinationEvent(models.Model):
    """One event on its way to one destination: recorded in the transaction of the change,
    delivered by a worker, retried with backoff under the same id until it is taken."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        SENT = "sent", "Delivered"
        FAILED = "failed", "Gave up"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    destination = models.ForeignKey(Destination, on_delete=models.CASCADE, related_name="log")
    event = models.CharField(max_length=32, choices=Destination.Event.choices)
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="destinationevent_due_idx",
            ),
            models.Index(fields=["destination", "-created_at"], name="destinationevent_log_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.destination} ({self.status})"
