"""Response-time figures: percentiles per week, per kind, per owner and per team, for the
requests page.

Plain functions returning lists of dicts. Times are hours (floats). Weeks start on Monday
in the organisation's zone and are keyed by the week a request was opened. The figures
themselves, and what "answered", "within due", "decided" and "overdue" mean, are the
HelpRequest QuerySet's (HelpRequestQuerySet.figures and the rules beside it): this module
only chooses the period and the grouping.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import CharField, DateTimeField, F, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trunc
from django.utils import timezone

from candidates import request_kinds
from candidates.models import HelpRequest, HelpRequestQuerySet


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.RFS_TIME_ZONE)


def week_start(moment: datetime) -> datetime:
    """The instant the organisation's week (Monday 00:00 local) containing `moment` began."""
    local = moment.astimezone(_zone())
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, datetime.min.time(), tzinfo=_zone())


def default_period(*, weeks: int = 12, now: datetime | None = None) -> tuple[datetime, datetime]:
    """The last `weeks` weeks including the current one: (start, now)."""
    now = now or timezone.now()
    this_week = week_start(now)
    # Step back whole local weeks by date, so a DST change between them moves nothing.
    first_monday = this_week.date() - timedelta(weeks=weeks - 1)
    return datetime.combine(first_monday, datetime.min.time(), tzinfo=this_week.tzinfo), now


def _opened_in(since, until, weeks, now) -> tuple[HelpRequestQuerySet, datetime]:
    now = now or timezone.now()
    if since is None:
        since, _ = default_period(weeks=weeks, now=now)
    period = HelpRequest.objects.filter(opened_at__gte=since, opened_at__lt=until or now)
    return period, now


def _name(user: str) -> Coalesce:
    """A user's name, or their email when they gave none."""
    return Coalesce(NullIf(f"{user}__name", Value("")), f"{user}__email", output_field=CharField())


def _rows(queryset: HelpRequestQuerySet, now: datetime) -> list[dict]:
    """The figures of each group, with the percentile pairs unpacked and the share added."""
    rows = []
    for row in queryset.figures(now):
        first = row.pop("first_response_hours") or [None, None]
        resolution = row.pop("resolution_hours") or [None, None]
        row["median_first_response_hours"], row["p90_first_response_hours"] = first
        row["median_resolution_hours"], row["p90_resolution_hours"] = resolution
        row["share_within_due"] = row["within_due"] / row["decided"] if row["decided"] else None
        rows.append(row)
    return rows


def weekly_response_times(
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    weeks: int = 12,
    kind: str | None = None,
    by_kind: bool = True,
    now: datetime | None = None,
) -> list[dict]:
    """Per week (and per kind unless by_kind=False) of requests opened in [since, until):
    week (date of its Monday), kind ("" when all kinds), opened, answered, resolved,
    median/p90 first response and resolution hours, within_due, decided, share_within_due,
    overdue (still open past due)."""
    period, now = _opened_in(since, until, weeks, now)
    if kind is not None:
        period = period.filter(kind=kind)
    week = Trunc("opened_at", "week", tzinfo=_zone(), output_field=DateTimeField())
    grouped = period.annotate(week_of=week)
    grouped = grouped.values("week_of", "kind") if by_kind else grouped.values("week_of")
    rows = _rows(grouped.order_by(), now)
    for row in rows:
        row["week"] = row.pop("week_of").astimezone(_zone()).date()
        row.setdefault("kind", "")
    return sorted(rows, key=lambda row: (row["week"], row["kind"]))


def response_times_by_kind(
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    weeks: int = 12,
    now: datetime | None = None,
) -> list[dict]:
    """The same figures per kind over the whole period, registered kinds in their order."""
    period, now = _opened_in(since, until, weeks, now)
    rows = _rows(period.values("kind").order_by(), now)
    order = {kind.name: n for n, kind in enumerate(request_kinds.registered())}
    for row in rows:
        row["kind_label"] = request_kinds.label(row["kind"])
    return sorted(rows, key=lambda row: (order.get(row["kind"], len(order)), row["kind"]))


def owner_response_times(
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    weeks: int = 12,
    now: datetime | None = None,
    owners=None,
) -> list[dict]:
    """The same figures per person who owns requests: owner_id, owner_name and the figures,
    slowest median first response first. `owners` (a queryset of users) narrows it to
    those people."""
    period, now = _opened_in(since, until, weeks, now)
    period = period.filter(owner__isnull=False)
    if owners is not None:
        period = period.filter(owner__in=owners)
    named = period.annotate(owner_name=_name("owner"))
    rows = _rows(named.values("owner_id", "owner_name").order_by(), now)
    slowest_first = sorted(rows, key=lambda row: row["owner_name"])
    return sorted(
        slowest_first,
        key=lambda row: (
            row["median_first_response_hours"] is None,
            -(row["median_first_response_hours"] or 0),
        ),
    )


def team_response_times(
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    weeks: int = 12,
    now: datetime | None = None,
    kind: str | None = None,
) -> list[dict]:
    """The same figures per team that owns requests (a partner organisation, say): team,
    team_name (as the app that names the team says, else the team itself), kind, and the
    figures, by name."""
    period, now = _opened_in(since, until, weeks, now)
    period = period.exclude(team="")
    if kind is not None:
        period = period.filter(kind=kind)
    rows = _rows(period.values("team", "kind").order_by(), now)
    names = request_kinds.team_names(sorted({row["team"] for row in rows}))
    for row in rows:
        row["team_name"] = names.get(row["team"], row["team"])
        row["kind_label"] = request_kinds.label(row["kind"])
    return sorted(rows, key=lambda row: (row["team_name"].lower(), row["kind"]))


def overdue_requests(*, now: datetime | None = None, limit: int = 200) -> list[dict]:
    """Open requests past their due time that still wait on the helping side, most overdue
    first: uuid, kind, kind_label, candidate_uuid, candidate_name, owner_name (None: staff
    pool or a team), team, opened_at, due_at, hours_overdue, escalated_at."""
    now = now or timezone.now()
    rows = (
        HelpRequest.objects.overdue(now)
        .annotate(
            candidate_uuid=F("candidate__uuid"),
            candidate_name=Concat(
                Coalesce(NullIf("candidate__preferred_name", Value("")), "candidate__first_name"),
                Value(" "),
                "candidate__last_name",
                output_field=CharField(),
            ),
            owner_name=_name("owner"),
        )
        .order_by("due_at", "pk")
        .values(
            "uuid",
            "kind",
            "candidate_uuid",
            "candidate_name",
            "owner_name",
            "team",
            "opened_at",
            "due_at",
            "escalated_at",
        )[:limit]
    )
    result = []
    for row in rows:
        row["kind_label"] = request_kinds.label(row["kind"])
        row["hours_overdue"] = (now - row["due_at"]).total_seconds() / 3600
        result.append(row)
    return result
