"""The dashboard's follow-through: of the calls in the period whose next step is due or done,
the share acted on within its due time, per week and per screener, linked to the list of
those that were not; and training registrations and attendance.

A next step is acted on when its request is first answered (mentor, partner, staff), its
invitation or check-back email goes, or the candidate is claimed again after a pause; it is
decided once acted on or past its due time. Written once, here.
"""

from datetime import datetime
from urllib.parse import urlencode

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, TruncWeek
from django.urls import reverse

from rfs.dashboard.forms import FILTER_FIELDS
from rfs.dashboard.metrics import Scope
from rfs.dashboard.report import Cell, Table, share_text, week_label
from screening.models import FollowUp
from trainings.models import Invitation, Registration


def _invitation_sent():
    key = Concat(
        Value("screening-call:"), Cast("call__uuid", CharField()), output_field=CharField()
    )
    return Subquery(
        Invitation.objects.filter(key=OuterRef("key"), withdrawn_at__isnull=True).values("sent_at")[
            :1
        ]
    ), key


def follow_ups(scope: Scope) -> QuerySet:
    """Next steps of the calls that happened in the period (within the filters), each with
    `acted_at`, `decided` and `on_time`."""
    sent, key = _invitation_sent()
    rows = FollowUp.objects.filter(
        call__happened_at__gte=scope.period.start, call__happened_at__lt=scope.period.end
    )
    for name, value in scope.filters.items():
        if name in FILTER_FIELDS:
            rows = rows.filter(**{f"candidate__{name}": value})
    return rows.annotate(key=key).annotate(
        acted_at=Coalesce(
            "done_at", "help_request__first_response_at", sent, output_field=DateTimeField()
        ),
        decided=Case(
            When(Q(acted_at__isnull=False) | Q(due_at__lt=scope.now), then=Value(True)),
            default=Value(False),
        ),
        on_time=Case(When(acted_at__lte=F("due_at"), then=Value(True)), default=Value(False)),
    )


def missed(scope: Scope) -> QuerySet:
    """The decided next steps not acted on within their due time."""
    return follow_ups(scope).filter(decided=True, on_time=False)


def _figures(rows: QuerySet, *group) -> QuerySet:
    return (
        rows.values(*group)
        .annotate(
            decided_n=Count("pk", filter=Q(decided=True)),
            on_time_n=Count("pk", filter=Q(decided=True, on_time=True)),
        )
        .order_by(*group)
    )


def list_url(scope: Scope, **extra) -> str:
    period = scope.period
    query = {
        "period": "custom",
        "start": period.first_day.isoformat(),
        "end": period.last_day.isoformat(),
        **scope.filters,
        **extra,
    }
    return f"{reverse('dashboard:follow_through')}?{urlencode(query)}"


def _share_cell(row: dict, href: str) -> Cell:
    decided, on_time = row["decided_n"], row["on_time_n"]
    share = on_time / decided if decided else None
    return Cell(f"{share_text(share)} of {decided:,}", round(share, 4) if share else share, href)


def tables(scope: Scope) -> dict[str, Table]:
    """Three tables: per week, per screener, and trainings in the period."""
    rows = follow_ups(scope)
    weekly = Table(
        "follow_through",
        "Next steps acted on within their due time, per week of the call",
        ["Week starting", "Acted on in time", "Not in time"],
    )
    by_week = rows.annotate(week=TruncWeek("call__happened_at", tzinfo=scope.period.zone))
    for row in _figures(by_week, "week"):
        monday = row["week"].date()
        weekly.rows.append(
            [
                Cell(week_label(monday), monday.isoformat()),
                _share_cell(row, list_url(scope, week=monday.isoformat())),
                Cell(f"{row['decided_n'] - row['on_time_n']:,}"),
            ]
        )
    screeners = Table(
        "follow_through_screeners",
        "Next steps acted on within their due time, per screener",
        ["Screener", "Acted on in time", "Not in time"],
    )
    for row in _figures(rows, "screener", "screener__name", "screener__email"):
        screeners.rows.append(
            [
                Cell(row["screener__name"] or row["screener__email"]),
                _share_cell(row, list_url(scope, screener=row["screener"])),
                Cell(f"{row['decided_n'] - row['on_time_n']:,}"),
            ]
        )
    return {
        "follow_through": weekly,
        "follow_through_screeners": screeners,
        "trainings": training_table(scope),
    }


def training_table(scope: Scope) -> Table:
    """Sessions that started in the period: places taken, the waitlist and attendance."""
    table = Table(
        "trainings",
        "Training sessions in the period: registrations and attendance",
        ["Training", "Sessions", "Registered", "Waitlisted", "Attended"],
    )
    rows = (
        Registration.objects.filter(
            session__starts_at__gte=scope.period.start, session__starts_at__lt=scope.period.end
        )
        .values("session__training__topic")
        .annotate(
            sessions=Count("session", distinct=True),
            registered=Count("pk", filter=Q(status="registered")),
            waitlisted=Count("pk", filter=Q(status="waitlisted")),
            attended=Count("pk", filter=Q(attended=True)),
        )
        .order_by("session__training__topic")
    )
    for row in rows:
        table.rows.append(
            [
                Cell(row["session__training__topic"]),
                *[
                    Cell(f"{row[k]:,}", row[k])
                    for k in ("sessions", "registered", "waitlisted", "attended")
                ],
            ]
        )
    return table


def missed_rows(scope: Scope, *, week: datetime | None = None, screener: str = "") -> QuerySet:
    rows = missed(scope).select_related("call", "candidate", "screener", "help_request")
    if week is not None:
        rows = rows.annotate(week=TruncWeek("call__happened_at", tzinfo=scope.period.zone)).filter(
            week=week
        )
    if screener:
        rows = rows.filter(screener_id=screener)
    return rows.order_by("due_at")
