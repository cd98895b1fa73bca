"""Facts about candidates: who they are, where they are in the pipeline, what they asked for.

Every change of stage goes through candidates.services.pipeline.move_stage,
which writes a StageChange; reports read those rows.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Case, F, Func, Q, Value, When
from django.db.models.functions import Lower
from django.urls import reverse
from phonenumber_field.modelfields import PhoneNumberField

from candidates.geography import STATE_CHOICES


class Stage(models.TextChoices):
    SIGNED_UP = "signed_up", "Signed up"
    SCREENING = "screening", "Screening"
    SCREENED = "screened", "Screened"
    ACTIVE = "active", "Active"
    ON_BALLOT = "on_ballot", "On the ballot"
    ENDORSED = "endorsed", "Endorsed"
    WON = "won", "Won"
    LOST = "lost", "Lost"
    NOT_A_FIT = "not_a_fit", "Not a fit"
    UNRESPONSIVE = "unresponsive", "Unresponsive"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The main line of the pipeline, in order; the funnel is drawn along it.
PIPELINE = [
    Stage.SIGNED_UP,
    Stage.SCREENING,
    Stage.SCREENED,
    Stage.ACTIVE,
    Stage.ON_BALLOT,
    Stage.ENDORSED,
    Stage.WON,
]
CLOSED_STAGES = {Stage.WON, Stage.LOST, Stage.NOT_A_FIT, Stage.UNRESPONSIVE, Stage.WITHDRAWN}
EXIT_STAGES = {Stage.NOT_A_FIT, Stage.UNRESPONSIVE, Stage.WITHDRAWN}

# Which moves the pipeline allows. Forward along the line, the exits from any
# open stage, a return to the queue from screening (a released claim, or a
# "not yet"), and a way back in for people who left and come back.
ALLOWED_MOVES: dict[str, set[str]] = {
    Stage.SIGNED_UP: {Stage.SCREENING, Stage.SCREENED} | EXIT_STAGES,
    Stage.SCREENING: {Stage.SIGNED_UP, Stage.SCREENED} | EXIT_STAGES,
    Stage.SCREENED: {Stage.ACTIVE} | EXIT_STAGES,
    Stage.ACTIVE: {Stage.ON_BALLOT} | EXIT_STAGES,
    Stage.ON_BALLOT: {Stage.ENDORSED, Stage.WON, Stage.LOST} | EXIT_STAGES,
    Stage.ENDORSED: {Stage.WON, Stage.LOST} | EXIT_STAGES,
    Stage.WON: set(),
    Stage.LOST: {Stage.ACTIVE},
    Stage.NOT_A_FIT: {Stage.SIGNED_UP},
    Stage.UNRESPONSIVE: {Stage.SIGNED_UP, Stage.SCREENING},
    Stage.WITHDRAWN: {Stage.SIGNED_UP},
}

# Stages in the order staff read them (the pipeline, then its exits), as a sortable number.
STAGE_ORDER = [*PIPELINE, Stage.LOST, Stage.NOT_A_FIT, Stage.UNRESPONSIVE, Stage.WITHDRAWN]
STAGE_RANK = Case(
    *[When(stage=stage, then=Value(rank)) for rank, stage in enumerate(STAGE_ORDER)],
    output_field=models.IntegerField(),
)


class OfficeLevel(models.TextChoices):
    SCHOOL_BOARD = "school_board", "School board"
    CITY_COUNCIL = "city_council", "City or town council"
    COUNTY = "county", "County"
    JUDICIAL = "judicial", "Judicial"
    STATE_LEGISLATURE = "state_legislature", "State legislature"
    STATEWIDE = "statewide", "Statewide"
    FEDERAL = "federal", "Federal"
    OTHER = "other", "Other"


class Need(models.TextChoices):
    CAMPAIGN_PLAN = "campaign_plan", "Campaign plan"
    FUNDRAISING = "fundraising", "Fundraising"
    TREASURER = "treasurer", "Finding a treasurer and compliance"
    FIELD = "field", "Field and volunteers"
    DIGITAL = "digital", "Digital and press"
    POLICY = "policy", "Policy"


class Source(models.TextChoices):
    PRESS = "press", "Press"
    SOCIAL = "social", "Social media"
    FRIEND = "friend", "A friend"
    PARTNER = "partner", "A partner organisation"
    SEARCH = "search", "Web search"
    IMPORT = "import", "Earlier signup list"
    OTHER = "other", "Other"


class Party(models.TextChoices):
    DEMOCRAT = "democrat", "Democratic"
    INDEPENDENT = "independent", "Independent / unaffiliated"
    WORKING_FAMILIES = "working_families", "Working Families"
    GREEN = "green", "Green"
    OTHER = "other", "Other"
    NONE = "none", "Not registered"


class Lgbtq(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    DECLINE = "decline", "Prefer not to say"


class CandidateQuerySet(models.QuerySet):
    def open(self) -> "CandidateQuerySet":
        return self.exclude(stage__in=CLOSED_STAGES)

    def visible_to(self, user) -> "CandidateQuerySet":
        """Staff see everyone; a screener, the candidates they hold; a mentor, their mentees;
        a candidate, themselves."""
        from rfs.accounts.models import Role

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role == Role.STAFF:
            return self
        if user.role == Role.SCREENER:
            return self.filter(owner=user)
        if user.role == Role.CANDIDATE:
            return self.filter(user=user)
        if user.role == Role.MENTOR:
            return self.filter(mentorships__mentor__user=user, mentorships__ended_at__isnull=True)
        return self.none()


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

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    # Stored normalised (trimmed, lower case); a constraint holds it.
    email = models.EmailField(max_length=254, unique=True)
    # E.164; null for the few imported records that have none.
    phone = PhoneNumberField(null=True, blank=True, unique=True)
    zip_code = models.CharField("ZIP code", max_length=5)
    state = models.CharField(max_length=2, choices=STATE_CHOICES)
    city = models.CharField(max_length=100)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)

    office_level = models.CharField(max_length=24, choices=OfficeLevel.choices)
    office = models.CharField("office", max_length=200, blank=True)
    district = models.CharField(max_length=100, blank=True)
    election_year = models.PositiveSmallIntegerField(null=True, blank=True)
    has_filed = models.BooleanField("already filed", default=False)
    party = models.CharField(max_length=24, choices=Party.choices, blank=True)
    source = models.CharField(
        "heard about us through", max_length=16, choices=Source.choices, blank=True
    )
    source_detail = models.CharField(max_length=200, blank=True)
    why_run = models.TextField("why they want to run", max_length=4000, blank=True)
    needs = ArrayField(
        models.CharField(max_length=24, choices=Need.choices), default=list, blank=True
    )

    # Self-identified and optional; shown to staff only.
    gender = models.CharField(max_length=100, blank=True)
    race_ethnicity = models.CharField("race and ethnicity", max_length=200, blank=True)
    lgbtq = models.CharField("LGBTQ+", max_length=8, choices=Lgbtq.choices, blank=True)

    consent_at = models.DateTimeField(null=True, blank=True)
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.SIGNED_UP)
    stage_changed_at = models.DateTimeField(auto_now_add=True)
    # Who holds the candidate now: the screener who claimed them, later a staff owner.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
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
            models.CheckConstraint(
                condition=Q(zip_code__regex=r"^[0-9]{5}$"), name="candidate_zip_5_digits"
            ),
        ]
        indexes = [
            models.Index(fields=["-created_at"], name="candidate_created_idx"),
            models.Index(fields=["stage", "created_at"], name="candidate_stage_created_idx"),
            models.Index(fields=["state", "created_at"], name="candidate_state_created_idx"),
            models.Index(fields=["office_level"], name="candidate_office_level_idx"),
            models.Index(fields=["election_year"], name="candidate_election_year_idx"),
            models.Index(fields=["source"], name="candidate_source_idx"),
            models.Index(fields=["owner", "stage"], name="candidate_owner_stage_idx"),
            GinIndex(fields=["needs"], name="candidate_needs_gin"),
            GinIndex(fields=["search_vector"], name="candidate_search_gin"),
            models.Index(fields=["last_name", "first_name"], name="candidate_name_idx"),
            models.Index(STAGE_RANK, F("created_at").desc(), name="candidate_stage_rank_idx"),
            # Prefix search on email (LIKE 'ada@exa%') whatever the database collation.
            models.Index(
                fields=["email"],
                name="candidate_email_prefix_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("candidates:detail", args=[self.uuid])

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.first_name} {self.last_name}"

    @property
    def office_summary(self) -> str:
        """The office they consider, as one line: level · office · district."""
        parts = [self.get_office_level_display(), self.office, self.district]
        return " · ".join(part for part in parts if part)

    @property
    def ref(self) -> str:
        """How outbox rows and other apps name this candidate."""
        return f"candidate:{self.uuid}"

    @property
    def is_open(self) -> bool:
        return self.stage not in CLOSED_STAGES


class StageChange(models.Model):
    """One move through the pipeline: the history reports are built from."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=Stage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField()
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["candidate", "at"], name="stagechange_candidate_at_idx"),
            models.Index(fields=["to_stage", "at"], name="stagechange_to_at_idx"),
            # The dashboard's funnel (rfs.dashboard.metrics.funnel): each candidate's moves in
            # order, read from the index alone.
            models.Index(
                fields=["candidate", "at", "id"],
                include=["to_stage"],
                name="stagechange_history_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id}: {self.from_stage or '∅'} → {self.to_stage}"


class Submission(models.Model):
    """A raw signup as it arrived (form, import or partner webhook), kept whatever became of it."""

    class Channel(models.TextChoices):
        FORM = "form", "Signup form"
        IMPORT = "import", "Import"
        WEBHOOK = "webhook", "Partner form"

    class Outcome(models.TextChoices):
        CREATED = "created", "New candidate"
        UPDATED = "updated", "Updated a candidate"
        MERGE_REVIEW = "merge_review", "Waiting for merge review"
        MERGED = "merged", "Merged by staff"
        SPLIT = "split", "Split by staff"
        SPAM = "spam", "Spam"
        REJECTED = "rejected", "Rejected"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.FORM)
    received_at = models.DateTimeField(auto_now_add=True)
    payload = models.JSONField()
    ip_hash = models.CharField(max_length=64, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    reason = models.CharField(max_length=500, blank=True)
    candidate = models.ForeignKey(
        Candidate, null=True, blank=True, on_delete=models.SET_NULL, related_name="submissions"
    )
    # Merge review: the email matched `candidate`, the phone matched `phone_match`.
    phone_match = models.ForeignKey(
        Candidate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(
                fields=["received_at"],
                condition=Q(outcome="merge_review"),
                name="submission_review_idx",
            ),
            models.Index(fields=["candidate", "received_at"], name="submission_candidate_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.received_at:%Y-%m-%d %H:%M} ({self.outcome})"


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


class HelpRequest(models.Model):
    """Something a candidate asked for, with an owner and a due time; response times come
    from these rows."""

    class Kind(models.TextChoices):
        FIRST_CONTACT = "first_contact", "First contact"
        QUESTION = "question", "Question"
        MENTOR_INTRO = "mentor_intro", "Mentor introduction"
        PARTNER_INTRO = "partner_intro", "Partner introduction"
        FUNDING = "funding", "Funding request"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        WAITING = "waiting", "Waiting on the candidate"
        RESOLVED = "resolved", "Resolved"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="help_requests")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    topic = models.CharField(max_length=24, choices=Need.choices, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    # Who must answer; null means the staff pool.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField()
    due_at = models.DateTimeField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # The clock stops while the request waits on the candidate.
    waiting_since = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__gte=models.F("opened_at")), name="request_due_after_open"
            ),
            models.CheckConstraint(
                condition=Q(first_response_at__isnull=True)
                | Q(first_response_at__gte=models.F("opened_at")),
                name="request_response_after_open",
            ),
            # One first-contact request per candidate at a time.
            models.UniqueConstraint(
                fields=["candidate"],
                condition=Q(kind="first_contact") & ~Q(status="resolved"),
                name="request_one_open_first_contact",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_at"], condition=~Q(status="resolved"), name="request_open_due_idx"
            ),
            models.Index(fields=["kind", "opened_at"], name="request_kind_opened_idx"),
            models.Index(fields=["owner", "status"], name="request_owner_status_idx"),
            # The dashboard's response times (rfs.dashboard.metrics.response_figures): the
            # requests opened in a period, every kind, read from the index alone.
            models.Index(
                fields=["opened_at"],
                include=[
                    "kind",
                    "first_response_at",
                    "due_at",
                    "resolved_at",
                    "status",
                    "candidate",
                ],
                name="request_opened_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.candidate_id}"

    def get_absolute_url(self) -> str:
        return reverse("candidates:request", args=[self.uuid])

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.RESOLVED


class RequestMessage(models.Model):
    """One reply in a request's conversation."""

    help_request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    # True when written by the helping side (mentor, staff), false when by the candidate.
    from_helper = models.BooleanField()
    body = models.TextField(max_length=10000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Reply on request {self.help_request_id}"


class ResponseTarget(models.Model):
    """How long the organisation gives itself to answer each kind of request (staff edit these)."""

    kind = models.CharField(max_length=16, choices=HelpRequest.Kind.choices, unique=True)
    hours = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.hours} h"


class WorkingHours(models.Model):
    """The organisation's working hours per weekday. With no rows, every hour counts."""

    weekday = models.PositiveSmallIntegerField(
        unique=True,
        choices=[
            (0, "Monday"),
            (1, "Tuesday"),
            (2, "Wednesday"),
            (3, "Thursday"),
            (4, "Friday"),
            (5, "Saturday"),
            (6, "Sunday"),
        ],
    )
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["weekday"]
        verbose_name_plural = "working hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")), name="hours_close_after_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M} to {self.closes:%H:%M}"


class Holiday(models.Model):
    """A day the organisation is closed; no business hours count on it."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date})"


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
    content = models.TextField()
    mapping = models.JSONField(default=dict)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.MAPPING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    merged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    # [{"row": n, "reason": "...", "values": {...}}, ...] for the downloadable report.
    rejections = models.JSONField(default=list)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import of {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("candidates:import", args=[self.uuid])
