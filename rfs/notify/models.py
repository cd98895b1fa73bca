import uuid

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Lower
from django.urls import reverse


class Notification(models.Model):
    """One email the system sends, recorded in the transaction that caused it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"
        # Not sent: its address is on the suppression list for its kind (see suppressions.py).
        SUPPRESSED = "suppressed", "Suppressed"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The same follow-up is never recorded twice: callers build a key that names it.
    key = models.CharField(max_length=200, unique=True)
    template = models.CharField(max_length=100)
    to_email = models.EmailField(max_length=254)
    subject = models.CharField(max_length=250)
    # The language it is written in (settings.LANGUAGES): its subject was rendered in it, and
    # its bodies are when it is sent. The caller says which: the recipient's.
    language = models.CharField(max_length=8, default=settings.LANGUAGE_CODE)
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
    ref = models.CharField(max_length=100, blank=True)
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
            # The latest email to an address, whatever its case: its unsubscribe page speaks
            # that email's language (suppressions.latest_language).
            models.Index(Lower("to_email"), F("created_at"), name="notification_address_idx"),
            # A record's emails, matched whole: one index, not the pattern one beside it that
            # db_index would add to every email's INSERT.
            models.Index(fields=["ref"], name="notification_ref_idx"),
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


class SuppressionQuerySet(models.QuerySet):
    def active(self) -> "SuppressionQuerySet":
        return self.filter(lifted_at__isnull=True)


class Suppression(models.Model):
    """An address the outbox stops sending to (all of it, or some kinds: suppressions.stops),
    until staff lift it. Kept after erasure on purpose: it is what keeps a person's "stop"."""

    class Reason(models.TextChoices):
        HARD_BOUNCE = "hard_bounce", "Hard bounce"
        COMPLAINT = "complaint", "Complaint"
        UNSUBSCRIBE = "unsubscribe", "Unsubscribe"

    class Source(models.TextChoices):
        PROVIDER = "provider", "Mail provider's event"
        BOUNCE_MESSAGE = "bounce_message", "Bounce message"
        UNSUBSCRIBE_LINK = "unsubscribe_link", "Unsubscribe link"
        UNSUBSCRIBE_EMAIL = "unsubscribe_email", "Unsubscribe email"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Lower-cased, so one address is one row whatever case a provider reports it in.
    email = models.EmailField(max_length=254)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    source = models.CharField(max_length=20, choices=Source.choices)
    # The email that bounced, was complained about or unsubscribed from, when known.
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the provider or the bounce said (a status code, a diagnostic).
    detail = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Why it was lifted.
    note = models.TextField(blank=True)

    objects = SuppressionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One standing suppression per address and reason; lifted ones stay as history.
            # Its index (email first) is the one the worker's check reads.
            models.UniqueConstraint(
                fields=["email", "reason"],
                condition=models.Q(lifted_at__isnull=True),
                name="suppression_one_active_per_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")), name="suppression_email_lower_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_reason_display()})"
