import uuid

from django.db import models
from django.urls import reverse


class Notification(models.Model):
    """One email the system sends, recorded in the transaction that caused it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The same follow-up is never recorded twice: callers build a key that names it.
    key = models.CharField(max_length=200, unique=True)
    template = models.CharField(max_length=100)
    to_email = models.EmailField(max_length=254)
    subject = models.CharField(max_length=250)
    # Bodies of messages recorded already written (allauth's account emails). A message from
    # one of our templates keeps its context instead, and is rendered when it is sent.
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    context = models.JSONField(default=dict, blank=True)
    # Files sent with it, as text: [{filename, content_type, content}] (a calendar invitation).
    attachments = models.JSONField(default=list, blank=True)
    # Carries a login code or a link that acts for the recipient (every account email, the
    # link confirming a proposed update): its body is never shown and is removed once it is
    # sent or given up on.
    secret = models.BooleanField(default=False)
    # When the body was removed: once sent for secret ones, after a while for all (retention).
    body_removed_at = models.DateTimeField(null=True, blank=True)
    # What the message is about, e.g. "candidate:<uuid>", so pages can list its emails.
    ref = models.CharField(max_length=100, blank=True, db_index=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the next delivery attempt may start; the sweep re-queues rows past it.
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status__in=["pending", "sending"]),
                name="notification_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="notification_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_email}"

    def get_absolute_url(self) -> str:
        return reverse("notify:detail", args=[self.uuid])
