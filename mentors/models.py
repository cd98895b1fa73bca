"""Mentors, the states they lead, and the candidates they mentor.

Mentorships are never edited away: ending or changing one sets ended_at and a
reason, and a new mentor gets a new row, so the history stays.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from candidates.geography import STATE_CHOICES
from candidates.models import Need, OfficeLevel
from rfs.accounts.models import Application, Role

# The help-request kind of a new mentorship: the mentor's first contact with the mentee.
MENTOR_INTRO = "mentor_intro"
# Staff are asked to find a mentor for a candidate; a new mentorship resolves it.
MENTOR_MATCH = "mentor_match"


class Expertise(models.TextChoices):
    CAMPAIGN_PLAN = "campaign_plan", _("Campaign plan")
    FUNDRAISING = "fundraising", _("Fundraising")
    TREASURER = "treasurer", _("Treasurer and compliance")
    FIELD = "field", _("Field")
    DIGITAL = "digital", _("Digital")
    PRESS = "press", _("Press")
    POLICY = "policy", _("Policy")
    DATA = "data", _("Data")


# Which expertise answers each need a candidate names (at signup or in screening).
NEED_EXPERTISE: dict[str, set[str]] = {
    Need.CAMPAIGN_PLAN: {Expertise.CAMPAIGN_PLAN},
    Need.FUNDRAISING: {Expertise.FUNDRAISING},
    Need.TREASURER: {Expertise.TREASURER},
    Need.FIELD: {Expertise.FIELD, Expertise.DATA},
    Need.DIGITAL: {Expertise.DIGITAL, Expertise.PRESS},
    Need.POLICY: {Expertise.POLICY},
}


class ExperienceLevel(models.TextChoices):
    LOCAL = "local", _("Local campaigns")
    STATE = "state", _("State campaigns")
    NATIONAL = "national", _("National and presidential campaigns")


# How far up the ballot a mentor's experience reaches, and what each office needs.
EXPERIENCE_RANK = {ExperienceLevel.LOCAL: 1, ExperienceLevel.STATE: 2, ExperienceLevel.NATIONAL: 3}
OFFICE_NEEDS_RANK = {
    OfficeLevel.SCHOOL_BOARD: 1,
    OfficeLevel.CITY_COUNCIL: 1,
    OfficeLevel.COUNTY: 1,
    OfficeLevel.JUDICIAL: 1,
    OfficeLevel.OTHER: 1,
    OfficeLevel.STATE_LEGISLATURE: 2,
    OfficeLevel.STATEWIDE: 3,
    OfficeLevel.FEDERAL: 3,
}


class MentorQuerySet(models.QuerySet):
    def with_load(self) -> "MentorQuerySet":
        """Annotate `load`: the number of current mentees."""
        return self.annotate(
            load=Count("mentorships", filter=Q(mentorships__ended_at__isnull=True), distinct=True)
        )

    def matchable(self) -> "MentorQuerySet":
        """Available mentors with room for one more mentee."""
        return self.with_load().filter(is_available=True, load__lt=F("capacity"))

    def visible_to(self, user) -> "MentorQuerySet":
        """Staff see every mentor; a mentor, their own profile."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_role(Role.STAFF):
            return self
        if user.has_role(Role.MENTOR):
            return self.filter(user=user)
        return self.none()


class Mentor(models.Model):
    """A political operative who mentors candidates."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentor_profile",
    )
    name = models.CharField(max_length=150)
    email = models.EmailField(max_length=254, unique=True)
    bio = models.TextField(max_length=4000, blank=True)
    states = ArrayField(
        models.CharField(max_length=2, choices=STATE_CHOICES),
        default=list,
        blank=True,
        help_text="States the mentor knows well.",
    )
    expertise = ArrayField(
        models.CharField(max_length=16, choices=Expertise.choices), default=list, blank=True
    )
    experience_level = models.CharField(
        max_length=16, choices=ExperienceLevel.choices, default=ExperienceLevel.LOCAL
    )
    languages = ArrayField(
        models.CharField(max_length=40),
        default=list,
        blank=True,
        help_text="Languages the mentor can mentor in, separated by commas.",
    )
    capacity = models.PositiveSmallIntegerField(
        default=3, help_text="How many mentees the mentor can take at once."
    )
    is_available = models.BooleanField(
        "available", default=True, help_text="Paused mentors get no new mentees."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MentorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(email=Lower("email")), name="mentor_email_lowercase"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("mentors:detail", args=[self.uuid])

    def get_expertise_display(self) -> list[str]:
        return [Expertise(value).label for value in self.expertise if value in Expertise.values]


class StateLeadQuerySet(models.QuerySet):
    def active(self) -> "StateLeadQuerySet":
        return self.filter(ended_at__isnull=True)


class StateLead(models.Model):
    """A mentor leading the organisation's work in one state, for a time."""

    state = models.CharField(max_length=2, choices=STATE_CHOICES)
    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="lead_states")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = StateLeadQuerySet.as_manager()

    class Meta:
        ordering = ["state", "-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["state"],
                condition=Q(ended_at__isnull=True),
                name="statelead_one_active_per_state",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="statelead_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} leads {self.state}"


class MentorshipQuerySet(models.QuerySet):
    def active(self) -> "MentorshipQuerySet":
        return self.filter(ended_at__isnull=True)


class Mentorship(models.Model):
    """A mentor matched to a candidate, from started_at until ended_at."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="mentorships"
    )
    mentor = models.ForeignKey(Mentor, on_delete=models.PROTECT, related_name="mentorships")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_reason = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MentorshipQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            # A candidate has one mentor at a time; changing mentor ends the old row first.
            models.UniqueConstraint(
                fields=["candidate"],
                condition=Q(ended_at__isnull=True),
                name="mentorship_one_active_per_candidate",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="mentorship_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(
                fields=["mentor"], condition=Q(ended_at__isnull=True), name="mentorship_active_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} mentors {self.candidate_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class MentorApplication(Application):
    """Someone offering to mentor candidates, from the public page."""

    expertise = ArrayField(models.CharField(max_length=16, choices=Expertise.choices), default=list)
    experience_level = models.CharField(
        max_length=16, choices=ExperienceLevel.choices, default=ExperienceLevel.LOCAL
    )
    states = ArrayField(models.CharField(max_length=2, choices=STATE_CHOICES), default=list)
    capacity = models.PositiveSmallIntegerField(default=3)
    languages = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    bio = models.TextField(max_length=4000)

    def get_absolute_url(self) -> str:
        return reverse("mentors:application", args=[self.uuid])

    def get_expertise_display(self) -> list[str]:
        return [Expertise(value).label for value in self.expertise if value in Expertise.values]
