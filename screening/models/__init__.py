"""Facts about screening: who holds which candidate, every attempt to reach them, the calls
booked and the calls logged with their rubric.

Use-cases (claiming, logging, scheduling, releasing) live in screening/services/.
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, Now, TruncMonth, TruncWeek
from django.urls import reverse

from candidates.languages import other_languages
from candidates.models import Candidate, Need, Stage, Submission
from rfs.accounts.models import Role

# Request kinds screening registers: a next step for staff, and a candidate who asked to
# talk again after a check-back.
STAFF_FOLLOW_UP = "staff_follow_up"
TALK_AGAIN = "talk_again"
# A stalled candidate answered a check-in with "I need help".
CHECK_IN_HELP = "check_in"


def _visible_to(queryset: models.QuerySet, user, field: str = "screener") -> models.QuerySet:
    """Staff see every row; a screener sees their own; everyone else sees none."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.has_role(Role.STAFF):
        return queryset
    if user.has_role(Role.SCREENER):
        return queryset.filter(**{field: user})
    return queryset.none()


class ClaimQuerySet(models.QuerySet):
    def open(self) -> "ClaimQuerySet":
        return self.filter(released_at__isnull=True)

    def churn_by_screener(self):
        """Per screener, of these claims: taken, given back unworked (released by them or
        expired), and concluded with a call or an outcome; most given back first. A screener
        who claims many and gives most back may be collecting contact details."""
        given_back = [Claim.ReleaseReason.RELEASED, Claim.ReleaseReason.EXPIRED]
        return (
            self.values("screener_id", "screener__name", "screener__email")
            .annotate(
                taken=Count("pk"),
                given_back=Count("pk", filter=Q(release_reason__in=given_back)),
                concluded=Count(
                    "pk",
                    filter=Q(
                        release_reason__in=[
                            Claim.ReleaseReason.COMPLETED,
                            Claim.ReleaseReason.UNRESPONSIVE,
                        ]
                    ),
                ),
            )
            .order_by("-given_back", "-taken", "screener__email")
        )

    def visible_to(self, user) -> "ClaimQuerySet":
        return _visible_to(self, user)


class Claim(models.Model):
    """A screener holding a candidate to contact them. At most one open claim per candidate."""

    class ReleaseReason(models.TextChoices):
        RELEASED = "released", "Released by the screener"
        RELEASED_BY_STAFF = "released_by_staff", "Released by staff"
        EXPIRED = "expired", "Expired without contact"
        COMPLETED = "completed", "Screening call logged"
        UNRESPONSIVE = "unresponsive", "Candidate unresponsive"
        CLOSED = "closed", "Candidate left the pipeline"
        PAUSED = "paused", "Back to the queue after a pause"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="claims")
    screener = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims"
    )
    claimed_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.CharField(max_length=20, choices=ReleaseReason.choices, blank=True)
    # The latest logged attempt or call; a claim with none expires.
    last_contact_at = models.DateTimeField(null=True, blank=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-claimed_at"]
        constraints = [
            # The last line of defence in the claim race: two open claims cannot coexist.
            models.UniqueConstraint(
                fields=["candidate"],
                condition=Q(released_at__isnull=True),
                name="claim_one_open_per_candidate",
            ),
            models.CheckConstraint(
                condition=Q(released_at__isnull=True) | Q(released_at__gte=models.F("claimed_at")),
                name="claim_released_after_claimed",
            ),
        ]
        indexes = [
            models.Index(fields=["screener", "-claimed_at"], name="claim_screener_idx"),
            models.Index(
                fields=["claimed_at"],
                condition=Q(released_at__isnull=True, last_contact_at__isnull=True),
                name="claim_awaiting_contact_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Claim on {self.candidate_id} by {self.screener_id}"

    @property
    def is_open(self) -> bool:
        return self.released_at is None


class ContactAttemptQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ContactAttemptQuerySet":
        return _visible_to(self, user)

    def first_contacts(self) -> "ContactAttemptQuerySet":
        """Each candidate's first attempt: the first contact after their signup."""
        earlier = ContactAttempt.objects.filter(candidate=OuterRef("candidate")).filter(
            Q(at__lt=OuterRef("at")) | Q(at=OuterRef("at"), pk__lt=OuterRef("pk"))
        )
        return self.exclude(Exists(earlier))

    def time_to_first_contact_by_screener(self) -> "models.QuerySet":
        """Per screener: how many first contacts they made and the average wait from signup."""
        return (
            self.first_contacts()
            .values("screener", "screener__name", "screener__email")
            .annotate(
                contacts=Count("pk"),
                average_wait=Avg(F("at") - F("candidate__created_at")),
            )
            .order_by("average_wait")
        )


class ContactAttempt(models.Model):
    """One try at reaching a candidate. The first one answers the candidate's signup."""

    class Kind(models.TextChoices):
        ANSWERED = "answered", "Called - answered"
        NO_ANSWER = "no_answer", "Called - no answer"
        VOICEMAIL = "voicemail", "Called - left a voicemail"
        WRONG_NUMBER = "wrong_number", "Wrong number"
        EMAILED = "emailed", "Emailed"

    # Every kind but a call that was answered leaves the candidate unreached.
    FAILED_KINDS = frozenset({Kind.NO_ANSWER, Kind.VOICEMAIL, Kind.WRONG_NUMBER, Kind.EMAILED})

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="contact_attempts"
    )
    screener = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contact_attempts"
    )
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="attempts"
    )
    # Set when the attempt was recorded by logging a call.
    call = models.OneToOneField(
        "ScreeningCall",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attempt",
    )
    at = models.DateTimeField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContactAttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["candidate", "at"], name="attempt_candidate_at_idx"),
            models.Index(fields=["screener", "at"], name="attempt_screener_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def failed(self) -> bool:
        return self.kind in self.FAILED_KINDS


class ScheduledCallQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ScheduledCallQuerySet":
        return _visible_to(self, user)

    def upcoming(self) -> "ScheduledCallQuerySet":
        return self.filter(status=ScheduledCall.Status.SCHEDULED)


class ScheduledCall(models.Model):
    """A screening call booked with a candidate. Its reminders are rows a beat sweep sends;
    rescheduling bumps `version`, so a reminder for an old time is never sent."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"
        DONE = "done", "Done"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="scheduled_calls"
    )
    screener = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scheduled_calls"
    )
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="scheduled_calls"
    )
    starts_at = models.DateTimeField()
    # The candidate's zone when it was booked: reminders fall at their local times.
    time_zone = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    version = models.PositiveIntegerField(default=1)
    # When each reminder falls due (null: not needed, e.g. booked after that moment),
    # and when the sweep recorded it for the current version.
    day_before_at = models.DateTimeField(null=True, blank=True)
    day_before_done_at = models.DateTimeField(null=True, blank=True)
    same_day_at = models.DateTimeField(null=True, blank=True)
    same_day_done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScheduledCallQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate"],
                condition=Q(status="scheduled"),
                name="scheduled_call_one_per_candidate",
            ),
        ]
        indexes = [
            models.Index(
                fields=["day_before_at"],
                condition=Q(status="scheduled", day_before_done_at__isnull=True),
                name="scheduled_day_before_due_idx",
            ),
            models.Index(
                fields=["same_day_at"],
                condition=Q(status="scheduled", same_day_done_at__isnull=True),
                name="scheduled_same_day_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Call with {self.candidate_id} at {self.starts_at:%Y-%m-%d %H:%M}"


@dataclass(frozen=True)
class Criterion:
    field: str
    label: str
    question: str
    # What each score from 1 to 5 means, shown beside it on the form.
    levels: dict[int, str]


# The screening rubric: five criteria, each scored 1 to 5.
RUBRIC: list[Criterion] = [
    Criterion(
        "score_motivation",
        "Motivation and values",
        "Why do they want to run, and do their values match ours?",
        {
            1: "No clear reason to run yet; values unclear or at odds with ours.",
            2: "A general wish to help, not yet tied to an issue or to progressive values.",
            3: "A clear reason to run and values that broadly match ours.",
            4: "A specific, personal reason to run, rooted in progressive values.",
            5: "A compelling, lived reason to serve; values and motivation shine through.",
        },
    ),
    Criterion(
        "score_community",
        "Ties to the community",
        "Who knows them where they would run?",
        {
            1: "Few local ties: new to the area or not involved yet.",
            2: "Lives there, with some ties through work, school or friends.",
            3: "Known in a few local circles (a congregation, a union, a school, a group).",
            4: "Active in local organisations; people there would vouch for them.",
            5: "A recognised local leader with a network ready to help.",
        },
    ),
    Criterion(
        "score_readiness",
        "Time and readiness",
        "Can they make room for a campaign in the coming months?",
        {
            1: "No time for a campaign in the coming months.",
            2: "Little time; obstacles (work, family, money) not yet thought through.",
            3: "Some time set aside; the obstacles are known, with a plan for some.",
            4: "Has made room for a campaign and talked it over with family or employer.",
            5: "Ready now: time, support at home and a plan for the obstacles.",
        },
    ),
    Criterion(
        "score_viability",
        "Viability of the race",
        "Is there a race they can enter and win?",
        {
            1: "No office or district in mind, or not eligible for it.",
            2: "An office in mind, but the race looks very hard (eligibility, timing, district).",
            3: "A plausible race; the path is unclear but open.",
            4: "A good race: eligible, the timing works, a realistic path to winning.",
            5: "A strong race: an open or winnable seat and a clear path to victory.",
        },
    ),
    Criterion(
        "score_openness",
        "Openness to coaching",
        "Will they take advice, training and a mentor?",
        {
            1: "Not interested in advice or support.",
            2: "Open to a little help but set on their own way.",
            3: "Willing to take advice and training.",
            4: "Keen to learn; asks good questions.",
            5: "Eager for coaching and already acting on advice.",
        },
    ),
]
SCORE_FIELDS = [criterion.field for criterion in RUBRIC]


class ScreeningCallQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ScreeningCallQuerySet":
        return _visible_to(self, user)

    def minutes_summary(self, *, since) -> dict[str, int]:
        """Volunteer minutes in all and since a moment, summed by the database."""
        return self.aggregate(
            total=Coalesce(Sum("duration_minutes"), 0),
            since=Coalesce(Sum("duration_minutes", filter=Q(happened_at__gte=since)), 0),
            calls=Count("pk"),
        )

    def minutes_by_screener_month(self, *, zone) -> "models.QuerySet":
        """Rows of (month, screener, calls, minutes), newest month first."""
        return (
            self.annotate(month=TruncMonth("happened_at", tzinfo=zone))
            .values("month", "screener", "screener__name", "screener__email")
            .annotate(calls=Count("pk"), minutes=Sum("duration_minutes"))
            .order_by("-month", "-minutes", "screener__email")
        )

    def per_week(self, *, zone) -> "models.QuerySet":
        """Rows of (week starting Monday, calls, minutes), newest week first."""
        return (
            self.annotate(week=TruncWeek("happened_at", tzinfo=zone))
            .values("week")
            .annotate(calls=Count("pk"), minutes=Sum("duration_minutes"))
            .order_by("-week")
        )

    def outcome_mix(self) -> list[dict]:
        """Each outcome with its count and share of the calls, in the outcomes' order."""
        counts = dict(self.values_list("outcome").annotate(n=Count("pk")).order_by())
        total = sum(counts.values())
        return [
            {
                "outcome": label,
                "value": value,
                "calls": counts.get(value, 0),
                "share": round(100 * counts.get(value, 0) / total) if total else 0,
            }
            for value, label in ScreeningCall.Outcome.choices
        ]


def _score_field(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, null=True, blank=True)


class ScreeningCall(models.Model):
    """A screening call as the screener logged it: rubric, needs found, outcome, next step."""

    class Outcome(models.TextChoices):
        ADVANCE = "advance", "Advance"
        NOT_YET = "not_yet", "Not yet"
        NOT_A_FIT = "not_a_fit", "Not a fit"
        NO_CONTACT = "no_contact", "Could not reach"

    class NextStep(models.TextChoices):
        MENTOR = "mentor", "Match with a mentor"
        TRAINING = "training", "Invite to a training"
        PARTNER = "partner", "Refer to a partner organisation"
        STAFF = "staff", "Staff follow-up"
        CHECK_BACK = "check_back", "Check back in a few months"
        TRY_AGAIN = "try_again", "Try to reach them again"
        NONE = "none", "No further step"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="screening_calls"
    )
    screener = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="screening_calls"
    )
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls"
    )
    scheduled_call = models.ForeignKey(
        ScheduledCall, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls"
    )
    happened_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    score_motivation = _score_field("motivation and values")
    score_community = _score_field("ties to the community")
    score_readiness = _score_field("time and readiness")
    score_viability = _score_field("viability of the race")
    score_openness = _score_field("openness to coaching")
    needs = ArrayField(
        models.CharField(max_length=24, choices=Need.choices), default=list, blank=True
    )
    # Private to screeners and staff; never in an email.
    notes = models.TextField(max_length=10000, blank=True)
    next_step = models.CharField(max_length=12, choices=NextStep.choices)
    # What the next step needs: a note for staff, the day to check back, the training.
    next_step_note = models.CharField("note for the next step", max_length=1000, blank=True)
    check_back_on = models.DateField("check back on", null=True, blank=True)
    # A training of the trainings app, named by its public id (a sibling's row).
    training_uuid = models.UUIDField("training", null=True, blank=True)
    # The form's one-time token: the same submission posted twice logs one call.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScreeningCallQuerySet.as_manager()

    class Meta:
        ordering = ["-happened_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=300),
                name="screening_call_duration_range",
            ),
            # A call that reached the candidate is scored on every criterion, 1 to 5.
            models.CheckConstraint(
                condition=Q(outcome="no_contact")
                | Q(
                    **{f"{field}__gte": 1 for field in SCORE_FIELDS},
                    **{f"{field}__lte": 5 for field in SCORE_FIELDS},
                ),
                name="screening_call_scored",
            ),
        ]
        indexes = [
            models.Index(fields=["screener", "happened_at"], name="call_screener_happened_idx"),
            # The calls of a period; the dashboard's weekly calls, minutes and screeners are
            # read from the index alone.
            models.Index(
                fields=["happened_at"],
                include=["screener", "duration_minutes", "candidate"],
                name="call_period_idx",
            ),
            models.Index(fields=["candidate", "outcome"], name="call_candidate_outcome_idx"),
        ]

    def __str__(self) -> str:
        return f"Screening call with {self.candidate_id} on {self.happened_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("screening:call", args=[self.uuid])

    @property
    def reached(self) -> bool:
        return self.outcome != self.Outcome.NO_CONTACT

    @property
    def scores(self) -> list[tuple[Criterion, int | None]]:
        return [(criterion, getattr(self, criterion.field)) for criterion in RUBRIC]

    @property
    def total_score(self) -> int | None:
        values = [getattr(self, field) for field in SCORE_FIELDS]
        return None if None in values else sum(values)


class ScreeningCallRevision(models.Model):
    """The values a call log had before one edit, who changed it and when."""

    call = models.ForeignKey(ScreeningCall, on_delete=models.CASCADE, related_name="revisions")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    # {field: previous value} for each field the edit changed.
    previous = models.JSONField(encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"Edit of call {self.call_id} at {self.at:%Y-%m-%d %H:%M}"


class FollowUpQuerySet(models.QuerySet):
    def visible_to(self, user) -> "FollowUpQuerySet":
        return _visible_to(self, user)

    def to_check_back(self, now) -> "FollowUpQuerySet":
        """Check-backs whose day has come and whose email is not yet recorded."""
        return self.filter(
            step=ScreeningCall.NextStep.CHECK_BACK, done_at__isnull=True, due_at__lte=now
        )


class FollowUp(models.Model):
    """The work a call's next step became: when it is due and when it was acted on. A
    request-backed step (mentor, partner, staff) is acted on when its request is answered;
    a check-back when its email goes; a try-again when someone claims the candidate again.
    Editing the call changes this row, never adds another."""

    call = models.OneToOneField(ScreeningCall, on_delete=models.CASCADE, related_name="follow_up")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="follow_ups")
    screener = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="follow_ups"
    )
    step = models.CharField(max_length=12, choices=ScreeningCall.NextStep.choices)
    due_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    help_request = models.ForeignKey(
        "candidates.HelpRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # While in the future, the candidate waits out a pause outside the queue; once past,
    # a candidate told "not yet" is back in it.
    back_in_queue_at = models.DateTimeField(null=True, blank=True)
    # The candidate's "I'd like to talk again", once.
    talk_again_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(step="check_back", done_at__isnull=True),
                name="follow_up_check_back_idx",
            ),
            models.Index(
                fields=["candidate", "back_in_queue_at"],
                condition=Q(back_in_queue_at__isnull=False),
                name="follow_up_queue_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()} after call {self.call_id}"


class CheckIn(models.Model):
    """One check-in email to a candidate nobody has been in touch with for a while: one per
    stall, named by the moment of their last contact, and their answer."""

    class Answer(models.TextChoices):
        ALL_GOOD = "all_good", "All good"
        NEED_HELP = "need_help", "I need help"

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="check_ins")
    # The last contact before the stall: a later stall is another check-in.
    stalled_since = models.DateTimeField()
    sent_at = models.DateTimeField()
    answer = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "stalled_since"], name="check_in_one_per_stall"
            )
        ]

    def __str__(self) -> str:
        return f"Check-in with {self.candidate_id} at {self.sent_at:%Y-%m-%d}"


def awaiting_contact() -> models.QuerySet[Candidate]:
    """Candidates waiting for first contact: signed up, held by nobody, oldest signup first.

    Someone told "not yet" waits outside the queue until they come back (sign up again, or
    a next step puts them back); someone waiting out a "try again" pause waits outside it.

    Written as three NOT EXISTS, each an anti-join over a few rows: "came back after the
    last not yet" is "no not-yet call that nothing came after", so the queue's count reads
    the waiting rows once instead of looking up each one's calls."""
    open_claim = Claim.objects.filter(candidate=OuterRef("pk"), released_at__isnull=True)
    pausing = FollowUp.objects.filter(candidate=OuterRef("pk"), back_in_queue_at__gt=Now())
    came_back = Submission.objects.filter(
        candidate=OuterRef("candidate"), received_at__gt=OuterRef("created_at")
    )
    # A next step put them back: a pause ended, or they asked to talk again.
    put_back = FollowUp.objects.filter(
        candidate=OuterRef("candidate"),
        back_in_queue_at__lte=Now(),
        back_in_queue_at__gt=OuterRef("created_at"),
    )
    still_not_yet = ScreeningCall.objects.filter(
        candidate=OuterRef("pk"), outcome=ScreeningCall.Outcome.NOT_YET
    ).exclude(Exists(came_back) | Exists(put_back))
    return (
        Candidate.objects.filter(stage=Stage.SIGNED_UP)
        .exclude(Exists(open_claim))
        .exclude(Exists(pausing))
        .exclude(Exists(still_not_yet))
        .order_by("created_at", "pk")
    )


def queue_for(screener) -> models.QuerySet[Candidate]:
    """The queue as this screener works it: those who prefer a language the screener speaks
    (beyond the organisation's own) first, then the longest wait. Everyone stays in it but
    the screener themselves, when they are a candidate too."""
    spoken = Volunteer.objects.filter(user=screener).values_list("languages", flat=True).first()
    return awaiting_contact().not_of_person(screener).speakers_first(other_languages(spoken or []))


from screening.models.volunteers import (  # noqa: E402 - the package's second module
    TIME_ZONE_CHOICES,
    Volunteer,
    VolunteerApplication,
)

__all__ = [
    "RUBRIC",
    "SCORE_FIELDS",
    "TIME_ZONE_CHOICES",
    "Claim",
    "ContactAttempt",
    "Criterion",
    "ScheduledCall",
    "ScreeningCall",
    "ScreeningCallRevision",
    "Volunteer",
    "VolunteerApplication",
    "awaiting_contact",
    "queue_for",
]
