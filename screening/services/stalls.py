"""Stalled candidates: screened, active or on the ballot, and nobody in touch with them for
RFS_STALLED_WEEKS. Contact of any kind counts: a stage move, a call or a try, a request
opened or a message in one, a training registration, an answer to a check-in.

Each stall gets one check-in email ("all good" / "I need help"); "I need help" opens a
staff request. The beat sweep and staff's stalled list read the same rule, stalled().
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import DateTimeField, F, Max, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

import trainings.services as trainings
from candidates.models import Candidate, HelpRequest, RequestMessage, Stage, StageChange
from candidates.services.help_requests import open_request
from rfs.notify import services as outbox
from screening.models import CHECK_IN_HELP, CheckIn, ContactAttempt
from screening.services.zones import candidate_zone

STALLING_STAGES = [Stage.SCREENED, Stage.ACTIVE, Stage.ON_BALLOT]
ANSWER_SALT = "screening.check-in"
# The local hours a check-in may be sent in.
CHECK_IN_HOURS = range(9, 20)


def _latest(queryset: QuerySet, field: str, *, by: str = "candidate") -> Subquery:
    return Subquery(
        queryset.filter(**{by: OuterRef("pk")})
        .order_by()
        .values(by)
        .annotate(latest=Max(field))
        .values("latest")[:1],
        output_field=DateTimeField(),
    )


def with_last_contact() -> QuerySet:
    """Candidates annotated `last_contact`: the latest contact of any kind with them."""
    sources = [
        _latest(StageChange.objects.all(), "at"),
        _latest(ContactAttempt.objects.all(), "at"),
        _latest(HelpRequest.objects.all(), "opened_at"),
        _latest(
            RequestMessage.objects.annotate(candidate=F("help_request__candidate")), "created_at"
        ),
        _latest(CheckIn.objects.filter(answered_at__isnull=False), "answered_at"),
        trainings.last_registration(OuterRef("pk")),
    ]
    return Candidate.objects.annotate(
        last_contact=Greatest(
            F("created_at"),
            *(
                Coalesce(source, F("created_at"), output_field=DateTimeField())
                for source in sources
            ),
        )
    )


def stalled(now: datetime) -> QuerySet:
    """Stalled candidates, who waited longest first, with `last_contact`."""
    cutoff = now - timedelta(weeks=settings.RFS_STALLED_WEEKS)
    return (
        with_last_contact()
        .filter(stage__in=STALLING_STAGES, last_contact__lte=cutoff)
        .order_by("last_contact", "pk")
    )


def answer_token(check_in: CheckIn, answer: str) -> str:
    return signing.dumps([check_in.pk, answer], salt=ANSWER_SALT)


def check_in_for_token(token: str) -> tuple[CheckIn, str] | None:
    try:
        pk, answer = signing.loads(token, salt=ANSWER_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    check_in = CheckIn.objects.filter(pk=pk).select_related("candidate").first()
    if check_in is None or answer not in CheckIn.Answer.values:
        return None
    return check_in, answer


def check_in(*, candidate_id: int, stalled_since: datetime, now: datetime) -> bool:
    """Record one check-in for this stall, once: the unique (candidate, stall) row decides
    between two sweeps at once. Returns True if this call recorded it."""
    try:
        with transaction.atomic():
            row = CheckIn.objects.create(
                candidate_id=candidate_id, stalled_since=stalled_since, sent_at=now
            )
            candidate = row.candidate
            outbox.record(
                key=f"screening:check-in:{row.pk}",
                **candidate.recipient,
                template="screening_check_in",
                context={
                    "name": candidate.greeting_name,
                    "all_good": reverse(
                        "screening:check_in_answer", args=[answer_token(row, "all_good")]
                    ),
                    "need_help": reverse(
                        "screening:check_in_answer", args=[answer_token(row, "need_help")]
                    ),
                },
                ref=candidate.ref,
            )
    except IntegrityError:
        return False
    return True


def in_waking_hours(candidate: Candidate, now: datetime) -> bool:
    """Whether it is CHECK_IN_HOURS where the candidate lives (their state's zone, with its
    offset that day), so a check-in never lands at night."""
    return now.astimezone(candidate_zone(candidate)).hour in CHECK_IN_HOURS


def send_check_ins(*, now: datetime | None = None) -> int:
    """Beat: a check-in email to each stalled candidate not yet checked in for this stall,
    in their waking hours."""
    now = now or timezone.now()
    rows = stalled(now).only("pk", "state")[:2000]
    return sum(
        check_in(candidate_id=row.pk, stalled_since=row.last_contact, now=now)
        for row in rows
        if in_waking_hours(row, now)
    )


@transaction.atomic
def answer_check_in(*, check_in: CheckIn, answer: str, at: datetime | None = None) -> bool:
    """The candidate's one-click answer, once: "I need help" opens a staff request. The
    answer is contact: the stall ends. Returns False if already answered."""
    at = at or timezone.now()
    if not CheckIn.objects.filter(pk=check_in.pk, answered_at__isnull=True).update(
        answer=answer, answered_at=at
    ):
        return False
    if answer == CheckIn.Answer.NEED_HELP:
        open_request(
            candidate=check_in.candidate,
            kind=CHECK_IN_HELP,
            subject="Asked for help after a check-in",
            at=at,
        )
    return True


def stalled_list(now: datetime, *, state: str = "", stage: str = "") -> QuerySet:
    rows = stalled(now).only(
        "uuid", "first_name", "last_name", "preferred_name", "state", "stage", "created_at"
    )
    if state:
        rows = rows.filter(state=state)
    if stage:
        rows = rows.filter(stage=stage)
    return rows.annotate(waited=Value(now, output_field=DateTimeField()) - F("last_contact"))
