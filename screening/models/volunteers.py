"""Volunteers: their applications, and the profile of each approved volunteer screener."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from candidates.geography import STATE_CHOICES
from rfs.accounts.models import Application

# This module is loaded at the end of screening.models, once these are defined.
from screening.models import Claim, ScreeningCall

# The US zones a volunteer may work in, as people name them.
TIME_ZONE_CHOICES = [
    ("America/New_York", _("Eastern")),
    ("America/Chicago", _("Central")),
    ("America/Denver", _("Mountain")),
    ("America/Phoenix", _("Arizona")),
    ("America/Los_Angeles", _("Pacific")),
    ("America/Anchorage", _("Alaska")),
    ("Pacific/Honolulu", _("Hawaii")),
    ("America/Puerto_Rico", _("Atlantic (Puerto Rico)")),
]


class VolunteerApplication(Application):
    """Someone offering to screen candidates, from the public page."""

    phone = models.CharField(max_length=32)
    state = models.CharField(max_length=2, choices=STATE_CHOICES)
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES)
    hours_per_week = models.PositiveSmallIntegerField()
    languages = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    experience = models.TextField(max_length=4000, blank=True)

    class Meta(Application.Meta):
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(status__in=["pending", "asked"]),
                name="volunteerapp_open_idx",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("screening:application", args=[self.uuid])


class VolunteerQuerySet(models.QuerySet):
    def active(self) -> "VolunteerQuerySet":
        """Volunteers who may work: neither paused nor deactivated."""
        return self.filter(paused_at__isnull=True, deactivated_at__isnull=True)

    def with_activity(self) -> "VolunteerQuerySet":
        """Annotate `calls`, `minutes` (of calls logged), and `last_active_at`: the latest of
        their last login, last call, last claim and approval. Subqueries, so the two sums
        never multiply each other."""
        calls = (
            ScreeningCall.objects.filter(screener=OuterRef("user")).order_by().values("screener")
        )
        last_claim = (
            Claim.objects.filter(screener=OuterRef("user"))
            .order_by("-claimed_at")
            .values("claimed_at")[:1]
        )
        return self.annotate(
            calls=Coalesce(Subquery(calls.annotate(n=Count("pk")).values("n")), 0),
            minutes=Coalesce(Subquery(calls.annotate(m=Sum("duration_minutes")).values("m")), 0),
            last_call_at=Subquery(calls.annotate(at=Max("happened_at")).values("at")),
            last_claim_at=Subquery(last_claim),
        ).annotate(
            last_active_at=Greatest(
                "created_at",
                Coalesce("user__last_login", "created_at"),
                Coalesce("last_call_at", "created_at"),
                Coalesce("last_claim_at", "created_at"),
            )
        )


class Volunteer(models.Model):
    """An approved volunteer screener: what they offered and whether they work now."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer"
    )
    application = models.ForeignKey(
        VolunteerApplication, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    phone = models.CharField(max_length=32, blank=True)
    state = models.CharField(max_length=2, choices=STATE_CHOICES, blank=True)
    time_zone = models.CharField(max_length=64, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(default=0)
    languages = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A paused volunteer claims nobody until they resume; a deactivated one cannot log in.
    paused_at = models.DateTimeField(null=True, blank=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    objects = VolunteerQuerySet.as_manager()

    class Meta:
        ordering = ["user__name"]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def status(self) -> str:
        if self.deactivated_at:
            return "Deactivated"
        return "Paused" if self.paused_at else "Active"
