"""Help requests and their rules (overdue, answered, decided: written once, here), response
targets, working hours and holidays."""

import math
import uuid
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Count, ExpressionWrapper, F, Func, Q, Value
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from candidates import request_kinds
from candidates.models.people import Candidate, duration_bucket
from candidates.models.pipeline import Need
from rfs.accounts.models import Role

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


def due_soon(now, *, share: float) -> Q:
    """Still waiting on the helper and not yet due, but past `share` of its window: the point
    at which the owner is reminded."""
    return (
        awaiting_helper()
        & ~overdue(now)
        & Q(LessThanOrEqual(remind_at(share), Value(now, output_field=models.DateTimeField())))
    )


def waiting_on_candidate() -> Q:
    """The helper asked the candidate something back; the clock stops until they answer."""
    return Q(status=HelpRequest.Status.WAITING)


def opened_today(now) -> Q:
    """Opened since midnight in the organisation's time zone."""
    zone = ZoneInfo(settings.RFS_TIME_ZONE)
    midnight = datetime.combine(now.astimezone(zone).date(), time(), tzinfo=zone)
    return Q(opened_at__gte=midnight)


def staff_pool() -> Q:
    """Owned by no one person and no team: any staff member answers."""
    return Q(owner__isnull=True, team="")


def owned_by(user) -> Q:
    return Q(owner=user)


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


def bucketed_percentiles_sql(histogram: str, value: str, fractions: list[float]) -> str:
    """SQL for the same exact percentiles, found from counts per duration bucket
    (duration_bucket) rather than by sorting every value: the rows (key, total, rank,
    value) that `percentile_from_ranks` interpolates between, per group `key`.

    `histogram` selects (key, kind, lo, hi, bucket, n): per group and bucket, how many
    values. `value` selects the values of group `h` in bucket `h.bucket`, ordered, the
    `h.count` of them from offset `h.k`: only the buckets that hold a wanted rank are read."""
    literal = ", ".join(repr(float(fraction)) for fraction in fractions)
    return f"""
        WITH histogram AS ({histogram}),
        counted AS (
            SELECT h.*, sum(n) OVER (PARTITION BY key ORDER BY bucket) - n AS before,
                   sum(n) OVER (PARTITION BY key) AS total
            FROM histogram h WHERE n > 0
        ),
        -- The 0-based ranks percentile_cont interpolates between.
        ranks AS (
            SELECT DISTINCT g.key, r.rank
            FROM (SELECT DISTINCT key, total FROM counted) g
            CROSS JOIN unnest(ARRAY[{literal}]) AS p(fraction)
            CROSS JOIN LATERAL (VALUES (floor(p.fraction * (g.total - 1)::float8)::bigint),
                                       (ceil(p.fraction * (g.total - 1)::float8)::bigint)) r(rank)
        ),
        -- Per bucket holding wanted ranks, the values from the first to the last of them.
        located AS (
            SELECT c.key, c.kind, c.lo, c.hi, c.bucket, c.before, c.total,
                   min(r.rank) - c.before AS k, max(r.rank) - min(r.rank) + 1 AS count
            FROM ranks r JOIN counted c
                 ON c.key = r.key AND r.rank >= c.before AND r.rank < c.before + c.n
            GROUP BY c.key, c.kind, c.lo, c.hi, c.bucket, c.before, c.total
        )
        -- A bucket with fewer values than counted still names its key (rank NULL).
        SELECT h.key, h.total::bigint, h.before + h.k + v.number - 1, v.value
        FROM located h
        LEFT JOIN LATERAL (
            SELECT value, row_number() OVER (ORDER BY value) AS number FROM ({value}) v
        ) v ON TRUE
    """  # noqa: S608 - the caller's SQL and our own numbers


def percentile_from_ranks(values: dict[int, float], total: int, fraction: float) -> float:
    """percentile_cont's value for `fraction` of `total` sorted values, given the values at
    the ranks it needs (bucketed_percentiles_sql): the same arithmetic, so the same float."""
    position = fraction * (total - 1)
    first, second = math.floor(position), math.ceil(position)
    if first == second:
        return values[first]
    return values[first] + (position - first) * (values[second] - values[first])


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

    def due_soon(self, now, *, share: float) -> "HelpRequestQuerySet":
        return self.filter(due_soon(now, share=share))

    def waiting_on_candidate(self) -> "HelpRequestQuerySet":
        return self.filter(waiting_on_candidate())

    def opened_today(self, now) -> "HelpRequestQuerySet":
        return self.filter(opened_today(now))

    def owned_by(self, user) -> "HelpRequestQuerySet":
        return self.filter(owned_by(user))

    def of_candidates(self, candidates) -> "HelpRequestQuerySet":
        """Requests of the candidates in `candidates` (a Candidate queryset, say a search)."""
        return self.filter(candidate__in=candidates.values("pk"))

    def with_overdue(self, now) -> "HelpRequestQuerySet":
        """Each row annotated `overdue` (true or false), by the same rule as overdue()."""
        return self.annotate(
            overdue=ExpressionWrapper(overdue(now), output_field=models.BooleanField())
        )

    def to_remind(self, now, *, share: float) -> "HelpRequestQuerySet":
        """Due soon (past `share` of the window), owner not reminded yet."""
        return self.filter(due_soon(now, share=share), reminded_at__isnull=True)

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
        mine = Q(pk__in=[])
        if user.has_role_other_than(Role.CANDIDATE):
            mine |= Q(owner=user) | Q(team__in=teams) if teams else Q(owner=user)
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
        OPEN = "open", _("Open")
        WAITING = "waiting", _("Waiting on the candidate")
        RESOLVED = "resolved", _("Resolved")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="help_requests")
    # A kind registered in request_kinds by the app that owns it.
    kind = models.CharField(max_length=32)
    topic = models.CharField(max_length=24, choices=Need.choices, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    # Who must answer: a person, or else a team ("partner:<uuid>"); neither is the staff pool.
    # Indexed first in request_owner_status_idx, not on its own as well.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
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
    # The bucket of the time to first response once answered (duration_bucket).
    response_bucket = models.GeneratedField(
        expression=duration_bucket("opened_at", "first_response_at"),
        output_field=models.IntegerField(),
        db_persist=True,
    )

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
            # The requests whose figures still depend on the time (unanswered or unresolved):
            # ResponseDay holds the answered ones.
            models.Index(
                fields=["opened_at"],
                include=[
                    "kind",
                    "first_response_at",
                    "due_at",
                    "resolved_at",
                    "status",
                    "answered_by_first_response",
                ],
                condition=Q(first_response_at__isnull=True) | ~Q(status="resolved"),
                name="request_live_opened_idx",
            ),
            # A period's exact percentiles: the answered requests of one bucket.
            models.Index(
                fields=["response_bucket", "opened_at"],
                include=["kind", "first_response_at"],
                name="request_response_bucket_idx",
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
    def title(self) -> str:
        """What the people who help call it: its subject, else its kind."""
        return self.subject or self.kind_label

    @property
    def title_for_candidate(self) -> str:
        """What the candidate sees it called: their own words for a question they asked, else
        the kind in their language (the subjects the system writes are for staff, in the
        organisation's language)."""
        if self.kind == request_kinds.QUESTION and self.subject:
            return self.subject
        return self.kind_label

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.RESOLVED


class ResponseDay(models.Model):
    """Daily counts of the answered requests, kept by a database trigger on HelpRequest in
    the same transaction as every write to it, whoever writes (services, the admin, bulk
    loads): on the local `day` they were opened (the organisation's zone), of `kind`, with
    their time to first response in `bucket` (duration_bucket): how many were `answered`,
    and how many of those by their due time. `check_rollups` recounts them."""

    day = models.DateField()
    kind = models.CharField(max_length=32)
    bucket = models.IntegerField()
    answered = models.IntegerField(default=0)
    within_due = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "kind", "bucket"], name="responseday_key")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} bucket {self.bucket}: {self.answered}"


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
