"""Facts about trainings: what is taught, when, who was invited, who registered and came.

Use-cases (inviting, registering, the waitlist, reminders, attendance) are in services.py.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse

from candidates.models import Candidate
from rfs.accounts.models import Role


def _own_or_staff(queryset, user):
    """Staff see every row; a candidate their own; everyone else none."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.has_role(Role.STAFF):
        return queryset
    if user.has_role(Role.CANDIDATE):
        return queryset.filter(candidate__user=user)
    return queryset.none()


class Training(models.Model):
    """A topic the organisation teaches, in sessions."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    topic = models.CharField(max_length=200)
    description = models.TextField(max_length=5000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["topic"]

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        return reverse("trainings:detail", args=[self.uuid])


class SessionQuerySet(models.QuerySet):
    def upcoming(self, now) -> "SessionQuerySet":
        return self.filter(starts_at__gt=now, cancelled_at__isnull=True)

    def with_counts(self) -> "SessionQuerySet":
        return self.annotate(
            registered=Count("registrations", filter=Q(registrations__status="registered")),
            waitlisted=Count("registrations", filter=Q(registrations__status="waitlisted")),
            attended=Count("registrations", filter=Q(registrations__attended=True)),
        )


class Session(models.Model):
    """One sitting of a training, online, at a time in a named zone, for so many people."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField()
    # The zone staff set the time in; each candidate's emails name it in their own zone.
    time_zone = models.CharField(max_length=64)
    duration_minutes = models.PositiveSmallIntegerField(default=90)
    capacity = models.PositiveIntegerField()
    # Shown only to people registered for the session.
    link = models.URLField(max_length=500)
    facilitator = models.CharField(max_length=200)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_positive")
        ]

    def __str__(self) -> str:
        return f"{self.training} on {self.starts_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("trainings:session", args=[self.uuid])


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InvitationQuerySet":
        return _own_or_staff(self, user)

    def waiting_for_session(self) -> "InvitationQuerySet":
        return self.filter(session__isnull=True, withdrawn_at__isnull=True)


class Invitation(models.Model):
    """A candidate invited to a training: to its next session, or to the first one staff add.
    `key` names what invited them (a screening call), so a second invitation for the same
    reason changes this one instead of adding another."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(max_length=100, unique=True)
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="invitations")
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="training_invitations"
    )
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    # When the invitation email to a session was recorded.
    sent_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["training"],
                condition=Q(session__isnull=True, withdrawn_at__isnull=True),
                name="invitation_waiting_idx",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.candidate_id} to {self.training}"


class RegistrationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RegistrationQuerySet":
        return _own_or_staff(self, user)

    def active(self) -> "RegistrationQuerySet":
        return self.exclude(status=Registration.Status.CANCELLED)


class Registration(models.Model):
    """A candidate's place in a session, or on its waitlist. Reminders are rows a beat sweep
    claims: the moment each falls due, and when it was recorded."""

    class Status(models.TextChoices):
        REGISTERED = "registered", "Registered"
        WAITLISTED = "waitlisted", "On the waitlist"
        CANCELLED = "cancelled", "Cancelled"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations")
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="training_registrations"
    )
    status = models.CharField(max_length=12, choices=Status.choices)
    created_at = models.DateTimeField()
    registered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Staff's mark after the session: None until marked.
    attended = models.BooleanField(null=True, blank=True)
    day_before_at = models.DateTimeField(null=True, blank=True)
    day_before_done_at = models.DateTimeField(null=True, blank=True)
    hour_before_at = models.DateTimeField(null=True, blank=True)
    hour_before_done_at = models.DateTimeField(null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "candidate"], name="registration_one_per_session"
            )
        ]
        indexes = [
            models.Index(
                fields=["day_before_at"],
                condition=Q(status="registered", day_before_done_at__isnull=True),
                name="registration_day_before_idx",
            ),
            models.Index(
                fields=["hour_before_at"],
                condition=Q(status="registered", hour_before_done_at__isnull=True),
                name="registration_hour_before_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.status} for {self.session_id}"
