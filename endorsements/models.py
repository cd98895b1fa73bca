"""Facts about races and endorsements: elections, offices, candidacies, endorsement classes
and their rules, applications and their review, contribution limits and contributions.

A candidacy's filing, endorsement and result move the candidate's pipeline stage, always
through candidates.services.pipeline.move_stage (see endorsements.services).
"""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from candidates.geography import STATE_CHOICES
from candidates.models import Candidate, HelpRequest, OfficeLevel
from rfs.accounts.models import Role

# ocd-division/country:us/state:va/place:arlington (Open Civic Data division ids).
OCD_DIVISION = RegexValidator(
    r"^ocd-division/country:us(/[a-z_]+:[a-z0-9_.~'-]+)*$",
    "An Open Civic Data division id, like ocd-division/country:us/state:va/place:arlington.",
)


class ElectionKind(models.TextChoices):
    PRIMARY = "primary", _("Primary")
    GENERAL = "general", _("General")
    SPECIAL = "special", _("Special")
    RUNOFF = "runoff", _("Runoff")


class Election(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    state = models.CharField(max_length=2, choices=STATE_CHOICES)
    date = models.DateField()
    kind = models.CharField(max_length=8, choices=ElectionKind.choices)
    # The election cycle (a year) the organisation counts it in.
    cycle = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-date", "state"]
        constraints = [
            models.UniqueConstraint(fields=["state", "date", "kind"], name="election_once"),
        ]

    def __str__(self) -> str:
        day = f"{self.date:%b} {self.date.day}, {self.date:%Y}"
        return f"{self.state} {self.get_kind_display().lower()} {day}"


class OfficeQuerySet(models.QuerySet):
    def in_state(self, state: str) -> "OfficeQuerySet":
        return self.filter(division_id__startswith=f"ocd-division/country:us/state:{state.lower()}")


class Office(models.Model):
    """An office, keyed by its Open Civic Data division id and name."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    division_id = models.CharField(max_length=200, validators=[OCD_DIVISION])
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=24, choices=OfficeLevel.choices)
    # How the district is shown ("District 49", "At large").
    district = models.CharField(max_length=100, blank=True)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        ordering = ["division_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["division_id", "name"], name="office_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name}{f' ({self.district})' if self.district else ''}"

    @property
    def state(self) -> str:
        """The state code read from the division id ("" for federal divisions)."""
        for part in self.division_id.split("/"):
            if part.startswith("state:"):
                return part.removeprefix("state:").upper()
        return ""


class Candidacy(models.Model):
    """One candidate running for one office in one election (a primary and the general
    are two candidacies)."""

    class Status(models.TextChoices):
        CONSIDERING = "considering", _("Considering")
        FILED = "filed", _("Filed")
        QUALIFIED = "qualified", _("Qualified for the ballot")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        WRITE_IN = "write_in", _("Write-in")

    class Result(models.TextChoices):
        WON = "won", "Won"
        LOST = "lost", "Lost"
        ADVANCED = "advanced", "Advanced to the general"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="candidacies")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="candidacies")
    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="candidacies")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CONSIDERING)
    incumbent = models.BooleanField(default=False)
    # The campaign committee's id (FEC or state) and whether an opponent has announced.
    committee_id = models.CharField("committee id", max_length=40, blank=True)
    has_opponent = models.BooleanField("an opponent has announced", default=False)
    result = models.CharField(max_length=8, choices=Result.choices, blank=True)
    vote_share = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="Percent of the vote"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-election__date"]
        verbose_name_plural = "candidacies"
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "office", "election"], name="candidacy_once"
            ),
            models.CheckConstraint(
                condition=Q(vote_share__isnull=True) | Q(vote_share__gte=0, vote_share__lte=100),
                name="candidacy_vote_share_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} for {self.office} ({self.election})"

    def get_absolute_url(self) -> str:
        return reverse("endorsements:candidacy", args=[self.uuid])

    @property
    def on_ballot(self) -> bool:
        return self.status in (self.Status.QUALIFIED, self.Status.WRITE_IN)


class BallotRule(models.TextChoices):
    # Shown to the candidate as a rule of the class ("To be qualified for the ballot").
    NONE = "none", pgettext_lazy("ballot rule", "No ballot rule")
    ON_BALLOT = "on_ballot", pgettext_lazy("ballot rule", "Qualified for the ballot")
    BALLOT_OR_COMMITTEE = (
        "ballot_or_committee",
        pgettext_lazy(
            "ballot rule", "Qualified for the ballot, or a committee and an announced opponent"
        ),
    )


class EndorsementClass(models.Model):
    """A round of endorsements staff open (a cycle's primaries, say), with its deadline,
    its elections and the eligibility rules every application is checked against."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    cycle = models.PositiveSmallIntegerField()
    deadline = models.DateTimeField(help_text="Applications close at this moment.")
    elections = models.ManyToManyField(Election, related_name="endorsement_classes")
    # Eligibility rules; empty means no such rule.
    born_in_or_after = models.PositiveSmallIntegerField(null=True, blank=True)
    max_age_on_election_day = models.PositiveSmallIntegerField(null=True, blank=True)
    max_run_number = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="3: a first, second or third run."
    )
    office_levels = ArrayField(
        models.CharField(max_length=24, choices=OfficeLevel.choices), default=list, blank=True
    )
    ballot_rule = models.CharField(
        max_length=24, choices=BallotRule.choices, default=BallotRule.BALLOT_OR_COMMITTEE
    )
    reapply_after_decline = models.BooleanField(
        default=True, help_text="A candidate turned down may apply again before the deadline."
    )

    class Meta:
        ordering = ["-cycle", "deadline"]
        verbose_name_plural = "endorsement classes"

    def __str__(self) -> str:
        return self.name

    @property
    def office_level_labels(self) -> list[str]:
        return [OfficeLevel(level).label for level in self.office_levels]


class Question(models.Model):
    endorsement_class = models.ForeignKey(
        EndorsementClass, on_delete=models.CASCADE, related_name="questions"
    )
    text = models.CharField(max_length=500)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class RubricCriterion(models.Model):
    endorsement_class = models.ForeignKey(
        EndorsementClass, on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=500, blank=True)
    max_score = models.PositiveSmallIntegerField(default=5)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name_plural = "rubric criteria"

    def __str__(self) -> str:
        return self.name


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ApplicationQuerySet":
        """Staff see every application; an outside reviewer, those assigned to them."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_role(Role.STAFF):
            return self
        if user.has_role(Role.REVIEWER):
            return self.filter(reviewers=user)
        return self.none()

    def undecided(self) -> "ApplicationQuerySet":
        return self.filter(status__in=Application.UNDECIDED)

    def published(self) -> "ApplicationQuerySet":
        """Endorsed, and the candidate approved publishing their story."""
        return self.filter(status=Application.Status.ENDORSED, publish_consent=True)


class Application(models.Model):
    """A candidate's application for one class's endorsement of one candidacy."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        IN_REVIEW = "in_review", _("In review")
        DEFERRED = "deferred", _("Deferred")
        ENDORSED = "endorsed", _("Endorsed")
        NOT_ENDORSED = "not_endorsed", _("Not endorsed")

    UNDECIDED = (Status.SUBMITTED, Status.IN_REVIEW, Status.DEFERRED)
    DECISIONS = (Status.ENDORSED, Status.NOT_ENDORSED, Status.DEFERRED)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="applications")
    endorsement_class = models.ForeignKey(
        EndorsementClass, on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the age and run rules read; staff and reviewers only.
    date_of_birth = models.DateField(null=True, blank=True)
    previous_runs = models.PositiveSmallIntegerField(default=0)
    # Published only with the candidate's consent: their story, in their own words, and link.
    story = models.TextField(max_length=3000)
    campaign_url = models.URLField(blank=True)
    publish_consent = models.BooleanField(default=False)
    # The 30-day answer the organisation promises, as a help request.
    help_request = models.OneToOneField(
        HelpRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="assigned_applications"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.TextField(max_length=2000, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        permissions = [("decide_application", "Can record endorsement decisions")]
        constraints = [
            # One live application per candidacy and class; a declined one may be followed
            # by another if the class allows it.
            models.UniqueConstraint(
                fields=["candidacy", "endorsement_class"],
                condition=~Q(status="not_endorsed"),
                name="application_one_live",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"], name="application_status_idx")]

    def __str__(self) -> str:
        return f"{self.endorsement_class} application of {self.candidacy.candidate}"

    def get_absolute_url(self) -> str:
        return reverse("endorsements:application", args=[self.uuid])

    @property
    def is_decided(self) -> bool:
        return self.status in (self.Status.ENDORSED, self.Status.NOT_ENDORSED)


class Answer(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=4000)

    class Meta:
        ordering = ["question__order", "question__pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="answer_once"),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question_id}"


class BackgroundCheck(models.Model):
    """Staff research: one row per kind of check (no files, a note only)."""

    class Kind(models.TextChoices):
        CRIMINAL = "criminal", "Criminal record"
        LEXISNEXIS = "lexisnexis", "LexisNexis"
        FEC = "fec", "FEC filings"
        SOCIAL_MEDIA = "social_media", "Social media"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        CLEAR = "clear", "Clear"
        FLAGGED = "flagged", "Flagged"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    note = models.TextField(max_length=2000, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["application", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="check_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_status_display()}"


class RubricScore(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "criterion"], name="score_once"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"


class Vote(models.Model):
    """A reviewer's vote: one each per application (the database holds it), changeable
    until the decision."""

    class Choice(models.TextChoices):
        ENDORSE = "endorse", "Endorse"
        DO_NOT_ENDORSE = "do_not_endorse", "Do not endorse"
        ABSTAIN = "abstain", "Abstain"
        RECUSE = "recuse", "Recuse"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="votes")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="endorsement_votes"
    )
    choice = models.CharField(max_length=16, choices=Choice.choices)
    comment = models.CharField(max_length=1000, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["updated_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="vote_once"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id}: {self.choice}"


class ContributionLimit(models.Model):
    """How much the organisation may give one candidacy: per state, office level and kind
    of election (a primary and the general are separate), with the source staff read it in."""

    state = models.CharField(max_length=2, choices=STATE_CHOICES)
    office_level = models.CharField(max_length=24, choices=OfficeLevel.choices)
    election_kind = models.CharField(max_length=8, choices=ElectionKind.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    source = models.CharField(max_length=500, help_text="The law or guidance it comes from.")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["state", "office_level", "election_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["state", "office_level", "election_kind"], name="limit_once"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="limit_not_negative"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.state} {self.get_office_level_display().lower()} "
            f"{self.get_election_kind_display().lower()}: ${self.amount:,.2f}"
        )


class Contribution(models.Model):
    """Money the organisation gave a candidacy's committee. Kept for compliance (a person's
    erasure keeps its amount, date and candidacy)."""

    class Method(models.TextChoices):
        CHECK = "check", "Check"
        ACH = "ach", "Bank transfer"
        WIRE = "wire", "Wire"
        IN_KIND = "in_kind", "In kind"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidacy = models.ForeignKey(Candidacy, on_delete=models.PROTECT, related_name="contributions")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    date = models.DateField()
    method = models.CharField(max_length=8, choices=Method.choices)
    committee_id = models.CharField("committee id", max_length=40)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="contribution_positive"),
        ]

    def __str__(self) -> str:
        return f"${self.amount:,.2f} to {self.candidacy_id} on {self.date}"
