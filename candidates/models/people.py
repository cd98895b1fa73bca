"""Candidates, their stage history and daily counts, submissions, proposed updates, notes.

Every change of stage goes through candidates.services.pipeline.move_stage, which writes a
StageChange; reports read those rows.
"""

import itertools
import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Case, Count, F, Func, Q, Sum, Value, When
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from candidates import languages
from candidates.geography import STATE_CHOICES
from candidates.models.pipeline import (
    CLOSED_STAGES,
    PIPELINE,
    STAGE_RANK,
    Lgbtq,
    Need,
    OfficeLevel,
    Party,
    Source,
    Stage,
)
from rfs.accounts.models import Role


def _person(user) -> Q:
    return Q(user=user) | Q(email=user.email)


class CandidateQuerySet(models.QuerySet):
    def open(self) -> "CandidateQuerySet":
        return self.exclude(stage__in=CLOSED_STAGES)

    def visible_to(self, user) -> "CandidateQuerySet":
        """Staff see everyone; a candidate, themselves; the other roles, the candidates they
        hold (a screener's claims); someone in several roles, what each of them sees. Apps
        above this one widen it for their own people (a mentor's mentees) in their own
        querysets."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_role(Role.STAFF):
            return self
        seen = Q(pk__in=[])
        if user.has_role(Role.CANDIDATE):
            seen |= Q(user=user)
        if user.has_role_other_than(Role.CANDIDATE):
            seen |= Q(owner=user)
        return self.filter(seen)

    def of_person(self, user) -> "CandidateQuerySet":
        """The record of the person who logs in as `user`, if they are a candidate too: linked
        to their login, or at their address (before they first open the portal)."""
        return self.filter(_person(user))

    def not_of_person(self, user) -> "CandidateQuerySet":
        """Everyone but the person who logs in as `user` (nobody works on their own record)."""
        return self.exclude(_person(user))

    def speakers_first(self, codes: set[str]) -> "CandidateQuerySet":
        """Those who prefer one of these languages first, then everyone else; each group
        keeps the order set before. Nobody is left out."""
        if not codes:
            return self
        then = self.query.order_by or self.model._meta.ordering
        speaks = Case(When(language__in=sorted(codes), then=Value(0)), default=Value(1))
        return self.order_by(speaks, *then)


class Candidate(models.Model):
    """One person who might run. Email and phone are each unique: one person, one record."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Their portal login, made when they first log in by code.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidate",
    )

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    # Stored normalised (trimmed, lower case); a constraint holds it. Its unique index and
    # the varchar_pattern_ops one PostgreSQL gets beside it serve staff's prefix search
    # (LIKE 'ada@exa%') whatever the database collation.
    email = models.EmailField(_("email"), max_length=254, unique=True)
    # E.164; null for the few imported records that have none.
    phone = PhoneNumberField(_("phone"), null=True, blank=True, unique=True)
    zip_code = models.CharField(_("ZIP code"), max_length=5)
    state = models.CharField(_("state"), max_length=2, choices=STATE_CHOICES)
    city = models.CharField(_("city"), max_length=100)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)

    office_level = models.CharField(_("office level"), max_length=24, choices=OfficeLevel.choices)
    office = models.CharField(_("office"), max_length=200, blank=True)
    district = models.CharField(_("district"), max_length=100, blank=True)
    election_year = models.PositiveSmallIntegerField(_("election year"), null=True, blank=True)
    has_filed = models.BooleanField(_("already filed"), default=False)
    party = models.CharField(_("party"), max_length=24, choices=Party.choices, blank=True)
    source = models.CharField(
        _("heard about us through"), max_length=16, choices=Source.choices, blank=True
    )
    source_detail = models.CharField(_("source detail"), max_length=200, blank=True)
    why_run = models.TextField(_("why they want to run"), max_length=4000, blank=True)
    needs = ArrayField(
        models.CharField(max_length=24, choices=Need.choices),
        verbose_name=_("needs"),
        default=list,
        blank=True,
    )

    # Self-identified and optional; shown to staff only.
    gender = models.CharField(_("gender"), max_length=100, blank=True)
    race_ethnicity = models.CharField(_("race and ethnicity"), max_length=200, blank=True)
    lgbtq = models.CharField(_("LGBTQ+"), max_length=8, choices=Lgbtq.choices, blank=True)

    # The language they use the site in and receive email in (settings.LANGUAGES).
    language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, default="en", db_default="en"
    )

    consent_at = models.DateTimeField(_("consent to be contacted"), null=True, blank=True)
    # The partner form that first brought them (none: our own form or a staff import). The
    # count of unique people is attributed to it (PeopleCount).
    first_source = models.ForeignKey(
        "LeadSource", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.SIGNED_UP)
    stage_changed_at = models.DateTimeField(auto_now_add=True)
    # Who holds the candidate now: the screener who claimed them, later a staff owner.
    # Indexed first in candidate_owner_stage_idx, not on its own as well.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Staff search over names, email (whole and in parts), city and office, kept current by
    # PostgreSQL itself. "simple": names are not words to stem.
    search_vector = models.GeneratedField(
        expression=SearchVector(
            "first_name",
            "last_name",
            "preferred_name",
            "email",
            Func(F("email"), Value("@.-_+"), Value("     "), function="TRANSLATE"),
            "city",
            "office",
            config="simple",
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(email=Lower("email")), name="candidate_email_normalised"
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="candidate_birth_year_range",
            ),
            # Blank for a lead whose partner form did not ask for it.
            models.CheckConstraint(
                condition=Q(zip_code="") | Q(zip_code__regex=r"^[0-9]{5}$"),
                name="candidate_zip_5_digits",
            ),
        ]
        indexes = [
            models.Index(fields=["-created_at"], name="candidate_created_idx"),
            models.Index(fields=["stage", "created_at"], name="candidate_stage_created_idx"),
            models.Index(fields=["state", "created_at"], name="candidate_state_created_idx"),
            models.Index(fields=["office_level"], name="candidate_office_level_idx"),
            # The dashboard narrowed to a state and an office level: the candidates' ids
            # from the index alone, not from their scattered rows.
            models.Index(
                fields=["state", "office_level"], include=["id"], name="candidate_state_level_idx"
            ),
            models.Index(fields=["election_year"], name="candidate_election_year_idx"),
            models.Index(fields=["source"], name="candidate_source_idx"),
            models.Index(fields=["owner", "stage"], name="candidate_owner_stage_idx"),
            GinIndex(fields=["needs"], name="candidate_needs_gin"),
            GinIndex(fields=["search_vector"], name="candidate_search_gin"),
            models.Index(fields=["last_name", "first_name"], name="candidate_name_idx"),
            models.Index(STAGE_RANK, F("created_at").desc(), name="candidate_stage_rank_idx"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("candidates:detail", args=[self.uuid])

    @property
    def greeting_name(self) -> str:
        """The name to greet them by: the one they prefer, else their first name."""
        return self.preferred_name or self.first_name

    @property
    def display_name(self) -> str:
        return f"{self.greeting_name} {self.last_name}"

    @property
    def office_summary(self) -> str:
        """The office they consider, as one line: level · office · district."""
        parts = [self.get_office_level_display(), self.office, self.district]
        return " · ".join(part for part in parts if part)

    @property
    def language_name(self) -> str:
        """Their language as staff name it: "English", "Spanish"."""
        return languages.NAMES.get(self.language, self.language)

    @property
    def recipient(self) -> dict[str, str]:
        """Where and how their emails go, as the outbox takes it: their address, and their
        language, which every email to them is written in."""
        return {"to": self.email, "language": self.language}

    @property
    def language_preference(self) -> str:
        """The language they prefer when it is not the organisation's own ("Spanish"), else ""."""
        return languages.preference(self.language)

    @property
    def ref(self) -> str:
        """How outbox rows and other apps name this candidate."""
        return f"candidate:{self.uuid}"

    @property
    def is_open(self) -> bool:
        return self.stage not in CLOSED_STAGES


# Durations are counted in buckets a sixteenth of a natural log wide (about 6% apart), so a
# period's exact percentile is found from daily counts per bucket and the few rows of one
# bucket (bucketed_percentiles_sql), not by sorting every row of the period.
BUCKETS_PER_E = 16


def bucket_sql(seconds: str) -> str:
    """SQL: the bucket of a duration of `seconds`, floor(ln(1 + seconds) * BUCKETS_PER_E),
    rising with the duration."""
    return f"floor(ln(1 + greatest({seconds}, 0)) * {BUCKETS_PER_E})::integer"


def duration_bucket(start: str, end: str) -> Func:
    """The bucket of the time from one instant column to another (NULL while `end` is)."""
    return Func(
        F(end),
        F(start),
        template=bucket_sql("date_part('epoch', %(expressions)s)"),
        arg_joiner=" - ",
        output_field=models.IntegerField(),
    )


def advanced() -> Q:
    """A stay that moved on to the next stage of the pipeline (PIPELINE's order)."""
    condition = Q(pk__in=[])
    for stage, following in itertools.pairwise(PIPELINE):
        condition |= Q(to_stage=stage, next_stage=following)
    return condition


class StageChangeQuerySet(models.QuerySet):
    def begun_in(self, start, end) -> "StageChangeQuerySet":
        """The stays that began in [start, end)."""
        return self.filter(at__gte=start, at__lt=end)

    def funnel_counts(self, start) -> "StageChangeQuerySet":
        """Per stage entered (whatever .values() came before, grouped), of rows begun since
        `start`: `reached` counts each candidate once, `advanced` each candidate who moved on
        to the next pipeline stage at least once. The rule StageDay's counts add up to."""
        first_since = Q(previous_entry_at__isnull=True) | Q(previous_entry_at__lt=start)
        first_advance = Q(previous_advance_at__isnull=True) | Q(previous_advance_at__lt=start)
        # Counting a column of stagechange_period_idx lets the rows come from the index alone.
        return self.annotate(
            reached=Count("to_stage", filter=first_since),
            advanced=Count("to_stage", filter=advanced() & first_advance),
        )


class StageChange(models.Model):
    """One move through the pipeline: the history reports are built from."""

    # Indexed first in stagechange_candidate_at_idx, not on its own as well.
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="stage_changes", db_index=False
    )
    from_stage = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=Stage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField()
    reason = models.CharField(max_length=500, blank=True)
    # The stay this move began, as the candidate's next move ends it: when, and where to
    # (candidates.services.pipeline fills them in the transaction of that next move), so
    # time in stage and conversion are read from the rows of a period, not whole histories.
    left_at = models.DateTimeField(null=True, blank=True)
    next_stage = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    # When this candidate last entered the same stage before (None: never), and, for a stay
    # that moved on along the pipeline, the last earlier stay in it that did too: a figure
    # counting people once per period counts the rows whose predecessor began before it.
    previous_entry_at = models.DateTimeField(null=True, blank=True)
    previous_advance_at = models.DateTimeField(null=True, blank=True)
    # The bucket of the stay's length once it has ended (duration_bucket).
    stay_bucket = models.GeneratedField(
        expression=duration_bucket("at", "left_at"),
        output_field=models.IntegerField(),
        db_persist=True,
    )

    objects = StageChangeQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["candidate", "at"], name="stagechange_candidate_at_idx"),
            models.Index(fields=["to_stage", "at"], name="stagechange_to_at_idx"),
            # The staff dashboard's funnel and time in stage: the moves of a period, read
            # from the index alone.
            models.Index(
                fields=["at"],
                include=[
                    "to_stage",
                    "left_at",
                    "next_stage",
                    "previous_entry_at",
                    "previous_advance_at",
                    "candidate",
                ],
                name="stagechange_period_idx",
            ),
            # A period's median time in stage: the ended stays of one bucket.
            models.Index(
                fields=["stay_bucket", "at"],
                include=["to_stage", "left_at"],
                condition=Q(left_at__isnull=False),
                name="stagechange_stay_bucket_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id}: {self.from_stage or '∅'} → {self.to_stage}"


class StageDayQuerySet(models.QuerySet):
    def funnel_counts(self, first_day, last_day) -> "StageDayQuerySet":
        """Per stage, over the local days first_day to last_day: StageChange's funnel_counts
        for the same period, added up from the days instead of read from every move."""
        first_since = Q(since__isnull=True) | Q(since__lt=first_day)
        return (
            self.filter(day__gte=first_day, day__lte=last_day)
            .values("stage")
            .order_by("stage")
            .annotate(
                reached=Sum("entered", filter=first_since, default=0),
                advanced=Sum("advanced", filter=first_since, default=0),
            )
        )


class StageDay(models.Model):
    """Daily counts of the stage history, kept by candidates.services.pipeline in the same
    transaction as every change to it. On local `day` (the organisation's zone): `entered`,
    the moves into `stage` whose candidate last entered it on `since` (None: never before);
    `advanced`, the day's stays in it that moved on to the next pipeline stage, by the day of
    the candidate's last earlier stay that did too. `check_rollups` recounts them."""

    day = models.DateField()
    stage = models.CharField(max_length=16, choices=Stage.choices)
    since = models.DateField(null=True, blank=True)
    entered = models.IntegerField(default=0)
    advanced = models.IntegerField(default=0)

    objects = StageDayQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "stage", "since"], nulls_distinct=False, name="stageday_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.stage} (since {self.since}): {self.entered}, {self.advanced}"


class SignupDay(models.Model):
    """Daily counts of the candidates by state, kept by a database trigger on Candidate in
    the same transaction as every write to it (intake, edits, merges, bulk loads): on the
    local `day` of their signup (the organisation's zone), how many in `state`.
    `check_rollups` recounts them."""

    day = models.DateField()
    state = models.CharField(max_length=2, choices=STATE_CHOICES)
    signups = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "state"], name="signupday_key")]

    def __str__(self) -> str:
        return f"{self.day} {self.state}: {self.signups}"


class StayDay(models.Model):
    """Daily counts of the ended stays, kept with StageDay in the same statements: on local
    `day` (the organisation's zone) the stays in `stage` begun that day that have ended,
    `stays` of them with their length in `bucket` (duration_bucket). `check_rollups`
    recounts them."""

    day = models.DateField()
    stage = models.CharField(max_length=16, choices=Stage.choices)
    bucket = models.IntegerField()
    stays = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "stage", "bucket"], name="stayday_key")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.stage} bucket {self.bucket}: {self.stays}"


class Submission(models.Model):
    """A raw signup as it arrived (form, import or partner webhook), kept whatever became of it."""

    class Channel(models.TextChoices):
        FORM = "form", "Signup form"
        IMPORT = "import", "Import"
        WEBHOOK = "webhook", "Partner form"

    class Outcome(models.TextChoices):
        CREATED = "created", "New candidate"
        # A known person: nothing changed by itself; differences wait as a proposed update.
        MATCHED = "matched", "Matched a known person"
        # Staff's own list (an import) changed the record directly.
        UPDATED = "updated", "Updated a candidate"
        MERGE_REVIEW = "merge_review", "Waiting for merge review"
        MERGED = "merged", "Merged by staff"
        SPLIT = "split", "Split by staff"
        SPAM = "spam", "Spam"
        REJECTED = "rejected", "Rejected"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.FORM)
    # When it was posted: a signup resolved by a worker moments later keeps its post's time.
    received_at = models.DateTimeField(default=timezone.now)
    payload = models.JSONField()
    ip_hash = models.CharField(max_length=64, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    reason = models.CharField(max_length=500, blank=True)
    # A named "How did you hear about us?" answer, "<prefix>:<id>" (candidates.heard_from):
    # kept beside the payload, which is purged in time, for the app that offered it to count.
    heard_from = models.CharField(max_length=64, blank=True)
    # Indexed first in submission_candidate_idx, not on its own as well.
    candidate = models.ForeignKey(
        Candidate,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="submissions",
        db_index=False,
    )
    # Merge review: the email matched `candidate`, the phone matched `phone_match`.
    phone_match = models.ForeignKey(
        Candidate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # A partner form's lead: the source it came through.
    lead_source = models.ForeignKey(
        "LeadSource", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(
                fields=["received_at"],
                condition=Q(outcome="merge_review"),
                name="submission_review_idx",
            ),
            models.Index(fields=["candidate", "received_at"], name="submission_candidate_idx"),
            models.Index(
                fields=["heard_from", "received_at"],
                condition=~Q(heard_from=""),
                name="submission_heard_from_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.received_at:%Y-%m-%d %H:%M} ({self.outcome})"


class ProposedUpdate(models.Model):
    """What a public submission would change on a person we already knew. Nothing changes
    until the person confirms it through a link sent to the address on file, or staff apply
    it: anyone can post a form with someone else's phone number."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the person to confirm"
        CONFIRMED = "confirmed", "Confirmed by the person"
        APPLIED = "applied", "Applied by staff"
        DISMISSED = "dismissed", "Dismissed by staff"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="proposed_updates"
    )
    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="proposed_update"
    )
    # {field: [as stored, as submitted]}, values as candidates.details stores them.
    changes = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["candidate", "created_at"],
                condition=Q(status="pending"),
                name="proposed_update_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Proposed update of {self.candidate_id} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class Note(models.Model):
    """A staff or helper note on a candidate's timeline."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Note by {self.author} on {self.candidate_id}"
