"""Facts about candidates: who they are, where they are in the pipeline, what they asked for.

Every change of stage goes through candidates.services.pipeline.move_stage,
which writes a StageChange; reports read those rows.
"""

import itertools
import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Case, Count, ExpressionWrapper, F, Func, Q, Sum, Value, When
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField

from candidates import request_kinds
from candidates.geography import STATE_CHOICES
from rfs.accounts.models import Role


class Stage(models.TextChoices):
    # Known from a partner form that did not ask to contact them: counted, never emailed or
    # queued, until they accept staff's invitation.
    LEAD = "lead", "Lead"
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

# The stages a person's races set: filing for an office, an endorsement, an election's
# result. The app that keeps the races moves people there (through move_stage); the staff
# stage menu never offers them.
CAMPAIGN_STAGES = {Stage.ON_BALLOT, Stage.ENDORSED, Stage.WON, Stage.LOST}

# Which moves the pipeline allows. Forward along the line, the exits from any
# open stage, a return to the queue from screening (a released claim, or a
# "not yet"), and a way back in for people who left and come back. A race does not
# end a person's path: an endorsement may come before the ballot (a committee and an
# announced opponent are enough for some), a race given up leaves them active, and
# after a result, won or lost, they may run again (for the same or a higher office).
ALLOWED_MOVES: dict[str, set[str]] = {
    Stage.LEAD: {Stage.SIGNED_UP} | EXIT_STAGES,
    Stage.SIGNED_UP: {Stage.SCREENING, Stage.SCREENED} | EXIT_STAGES,
    Stage.SCREENING: {Stage.SIGNED_UP, Stage.SCREENED} | EXIT_STAGES,
    Stage.SCREENED: {Stage.ACTIVE} | EXIT_STAGES,
    Stage.ACTIVE: {Stage.ON_BALLOT, Stage.ENDORSED} | EXIT_STAGES,
    Stage.ON_BALLOT: {Stage.ACTIVE, Stage.ENDORSED, Stage.WON, Stage.LOST} | EXIT_STAGES,
    Stage.ENDORSED: {Stage.ACTIVE, Stage.WON, Stage.LOST} | EXIT_STAGES,
    Stage.WON: {Stage.ACTIVE, Stage.ON_BALLOT, Stage.ENDORSED},
    Stage.LOST: {Stage.ACTIVE, Stage.ON_BALLOT, Stage.ENDORSED},
    Stage.NOT_A_FIT: {Stage.SIGNED_UP},
    Stage.UNRESPONSIVE: {Stage.SIGNED_UP, Stage.SCREENING},
    Stage.WITHDRAWN: {Stage.SIGNED_UP},
}

# Stages in the order staff read them (the pipeline, then its exits), as a sortable number.
STAGE_ORDER = [
    Stage.LEAD,
    *PIPELINE,
    Stage.LOST,
    Stage.NOT_A_FIT,
    Stage.UNRESPONSIVE,
    Stage.WITHDRAWN,
]
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
        """Staff see everyone; a candidate, themselves; anyone else, the candidates they hold
        (a screener's claims). Apps above this one widen it for their own people (a mentor's
        mentees) in their own querysets."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_role(Role.STAFF):
            return self
        if user.has_role(Role.CANDIDATE):
            return self.filter(user=user)
        return self.filter(owner=user)


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

    consent_at = models.DateTimeField("consent to be contacted", null=True, blank=True)
    # The partner form that first brought them (none: our own form or a staff import). The
    # count of unique people is attributed to it (PeopleCount).
    first_source = models.ForeignKey(
        "LeadSource", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
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
    def ref(self) -> str:
        """How outbox rows and other apps name this candidate."""
        return f"candidate:{self.uuid}"

    @property
    def is_open(self) -> bool:
        return self.stage not in CLOSED_STAGES


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

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="stage_changes")
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
    received_at = models.DateTimeField(auto_now_add=True)
    payload = models.JSONField()
    ip_hash = models.CharField(max_length=64, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    reason = models.CharField(max_length=500, blank=True)
    # A named "How did you hear about us?" answer, "<prefix>:<id>" (candidates.heard_from):
    # kept beside the payload, which is purged in time, for the app that offered it to count.
    heard_from = models.CharField(max_length=64, blank=True)
    candidate = models.ForeignKey(
        Candidate, null=True, blank=True, on_delete=models.CASCADE, related_name="submissions"
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


# --- Help requests: the rules, written once ------------------------------------------
# Every page, sweep and figure reads these; nothing else restates them.


def awaiting_helper() -> Q:
    """Open, and not yet answered the way its kind counts an answer: the helping side's move."""
    return Q(status=HelpRequest.Status.OPEN) & ~Q(
        answered_by_first_response=True, first_response_at__isnull=False
    )


def overdue(now) -> Q:
    """Past its due time and still waiting on the helping side."""
    return awaiting_helper() & Q(due_at__lt=now)


def answered() -> Q:
    return Q(first_response_at__isnull=False)


def answered_within_due() -> Q:
    return Q(first_response_at__lte=F("due_at"))


def decided(now) -> Q:
    """Whether it was answered in time is known: answered, or unanswered past its due time
    (a request the candidate closed unanswered before it was due is never decided)."""
    return answered() | (
        Q(due_at__lt=now) & (Q(resolved_at__isnull=True) | Q(resolved_at__gt=F("due_at")))
    )


def staff_pool() -> Q:
    """Owned by no one person and no team: any staff member answers."""
    return Q(owner__isnull=True, team="")


def remind_at(share: float) -> ExpressionWrapper:
    """The moment `share` of a request's due window has passed."""
    return ExpressionWrapper(
        F("opened_at") + (F("due_at") - F("opened_at")) * Value(share),
        output_field=models.DateTimeField(),
    )


def percentile_sql(expression: str, fractions: list[float]) -> str:
    """SQL for the exact percentiles (PostgreSQL's percentile_cont, interpolating) of the SQL
    `expression`, as an array: the one percentile every figure uses, through Percentile
    below or, in a hand-written query, through this."""
    # Numbers we write ourselves, checked to be numbers: safe to put in the SQL.
    literal = ", ".join(repr(float(fraction)) for fraction in fractions)
    return f"percentile_cont(ARRAY[{literal}]) WITHIN GROUP (ORDER BY {expression})"


class Percentile(models.Aggregate):
    """Exact percentiles of an expression, as a list: Percentile("hours", [0.5, 0.9]) gives
    [median, 90th percentile] (percentile_sql)."""

    function = "percentile_cont"

    def __init__(self, expression, fractions: list[float], **extra) -> None:
        super().__init__(expression, output_field=ArrayField(models.FloatField()), **extra)
        # On the instance, where a FILTER clause wraps it too.
        self.template = percentile_sql("%(expressions)s", fractions)


def seconds_between(start: str, end: str) -> models.Expression:
    """Seconds from one instant column to another, as a float (date_part: several times
    faster to compute and sort than EXTRACT's numeric)."""
    return Func(
        ExpressionWrapper(F(end) - F(start), output_field=models.DurationField()),
        template="date_part('epoch', %(expressions)s)",
        output_field=models.FloatField(),
    )


def hours_between(start: str, end: str) -> models.Expression:
    return ExpressionWrapper(
        seconds_between(start, end) / Value(3600.0), output_field=models.FloatField()
    )


class HelpRequestQuerySet(models.QuerySet):
    def unresolved(self) -> "HelpRequestQuerySet":
        return self.exclude(status=HelpRequest.Status.RESOLVED)

    def awaiting_helper(self) -> "HelpRequestQuerySet":
        return self.filter(awaiting_helper())

    def staff_pool(self) -> "HelpRequestQuerySet":
        return self.filter(staff_pool())

    def overdue(self, now) -> "HelpRequestQuerySet":
        return self.filter(overdue(now))

    def with_overdue(self, now) -> "HelpRequestQuerySet":
        """Each row annotated `overdue` (true or false), by the same rule as overdue()."""
        return self.annotate(
            overdue=ExpressionWrapper(overdue(now), output_field=models.BooleanField())
        )

    def to_remind(self, now, *, share: float) -> "HelpRequestQuerySet":
        """Waiting on the helper, not yet due, past `share` of the window, owner not reminded."""
        return (
            self.filter(awaiting_helper(), ~overdue(now), reminded_at__isnull=True)
            .alias(remind_at=remind_at(share))
            .filter(remind_at__lte=now)
        )

    def to_escalate(self, now) -> "HelpRequestQuerySet":
        """Overdue, and staff have not heard of it yet."""
        return self.filter(overdue(now), escalated_at__isnull=True)

    def visible_to(self, user, *, teams: tuple[str, ...] = ()) -> "HelpRequestQuerySet":
        """Staff see every request; anyone else the requests they own (or their `teams` own,
        as the caller knows them); a candidate their own requests."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_role(Role.STAFF):
            return self
        mine = Q(owner=user) | Q(team__in=teams) if teams else Q(owner=user)
        if user.has_role(Role.CANDIDATE):
            mine |= Q(candidate__user=user)
        return self.filter(mine)

    def figures(self, now) -> "HelpRequestQuerySet":
        """Response-time figures of these requests, grouped by whatever .values() came before:
        opened, answered, resolved, hours to first response and to resolution (median and
        90th percentile), answered within due out of decided, and overdue now."""
        response, resolution = (
            hours_between("opened_at", "first_response_at"),
            hours_between("opened_at", "resolved_at"),
        )
        return self.annotate(
            opened=Count("pk"),
            answered=Count("pk", filter=answered()),
            resolved=Count("resolved_at"),
            first_response_hours=Percentile(response, [0.5, 0.9]),
            resolution_hours=Percentile(resolution, [0.5, 0.9]),
            within_due=Count("pk", filter=answered_within_due()),
            decided=Count("pk", filter=decided(now)),
            overdue=Count("pk", filter=overdue(now)),
        )


class HelpRequest(models.Model):
    """Something a candidate asked for, with an owner and a due time; response times come
    from these rows. What the kinds are, and how long each may take, is in request_kinds."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        WAITING = "waiting", "Waiting on the candidate"
        RESOLVED = "resolved", "Resolved"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="help_requests")
    # A kind registered in request_kinds by the app that owns it.
    kind = models.CharField(max_length=32)
    topic = models.CharField(max_length=24, choices=Need.choices, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    # Who must answer: a person, or else a team ("partner:<uuid>"); neither is the staff pool.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.CharField(max_length=64, blank=True)
    # Copied from the kind when opened, so the rules above need no list of kinds.
    answered_by_first_response = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField()
    due_at = models.DateTimeField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # The clock stops while the request waits on the candidate.
    waiting_since = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects = HelpRequestQuerySet.as_manager()

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
            models.Index(
                fields=["team", "status"], condition=~Q(team=""), name="request_team_status_idx"
            ),
            # The staff dashboard's response times: the
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
                    "answered_by_first_response",
                ],
                name="request_opened_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} for {self.candidate_id}"

    def save(self, *args, **kwargs) -> None:
        if self._state.adding:
            # What answers it is the kind's rule when it was opened, kept with the row.
            kind = request_kinds.get(self.kind)
            self.answered_by_first_response = kind.answered_by_first_response
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("candidates:request", args=[self.uuid])

    @property
    def kind_label(self) -> str:
        return request_kinds.label(self.kind)

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
    """How long the organisation gives itself to answer a kind of request, for every owner
    (team blank) or for one team (a partner's own window); staff edit these."""

    kind = models.CharField(max_length=32)
    team = models.CharField(max_length=64, blank=True)
    amount = models.PositiveIntegerField()
    clock = models.CharField(
        max_length=16,
        choices=request_kinds.Clock.choices,
        default=request_kinds.Clock.BUSINESS_HOURS,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "team"], name="response_target_kind_team"),
        ]

    def __str__(self) -> str:
        return f"{request_kinds.label(self.kind)}: {self.amount} {self.get_clock_display()}"


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
    # The file's text, deleted once the import has finished: its rows are candidates now.
    content = models.TextField()
    # The file's column names, kept for the report of rejected rows.
    columns = models.JSONField(default=list)
    # Where the next batch starts reading: a character offset and that row's number.
    read_offset = models.PositiveIntegerField(default=0)
    read_row = models.PositiveIntegerField(default=2)
    mapping = models.JSONField(default=dict)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.MAPPING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    merged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import of {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("candidates:import", args=[self.uuid])


class ImportRejection(models.Model):
    """A row of an import that could not be resolved, as it was in the file, for the report
    staff download; purged settings.RFS_IMPORT_KEEP_REJECTED_DAYS after the import ends."""

    candidate_import = models.ForeignKey(
        CandidateImport, on_delete=models.CASCADE, related_name="rejections"
    )
    row = models.PositiveIntegerField()
    reason = models.CharField(max_length=1000)
    # {column name: cell text}
    values = models.JSONField()

    class Meta:
        ordering = ["candidate_import", "row"]

    def __str__(self) -> str:
        return f"Row {self.row} of import {self.candidate_import_id}"


class RejectedPostCountQuerySet(models.QuerySet):
    def totals(self) -> dict[str, int]:
        """{reason: posts turned away} over these rows, every reason present (0 if none)."""
        counts = dict(self.order_by().values_list("reason").annotate(total=models.Sum("count")))
        return {reason: counts.get(reason, 0) for reason in RejectedPostCount.Reason.values}


class RejectedPostCount(models.Model):
    """How many anonymous posts were turned away, per day and reason. Every one is counted;
    only the first few of a day keep an extract (a Submission), so a flood fills nothing."""

    class Reason(models.TextChoices):
        HONEYPOT = "honeypot", "caught by the honeypot"
        RATE_LIMIT = "rate_limit", "over the rate limit"

    # The organisation's calendar day.
    day = models.DateField()
    reason = models.CharField(max_length=16, choices=Reason.choices)
    count = models.PositiveIntegerField(default=0)

    objects = RejectedPostCountQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "reason"]
        constraints = [
            models.UniqueConstraint(fields=["day", "reason"], name="rejected_post_count_once"),
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.count} {self.get_reason_display()}"


# --- Leads from partner forms -----------------------------------------------------


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
    source = models.ForeignKey(LeadSource, on_delete=models.PROTECT, related_name="leads")
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


# --- Destinations: people flowing on to the organisation's other tools ---------------


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
