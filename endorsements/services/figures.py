"""The dashboard's endorsement figures: endorsed per cycle, win rates, money against limits,
and the 30-day answer (share answered in time, median and 90th percentile in days)."""

from django.db.models import Count, Q, Sum
from django.utils import timezone

from candidates.models import HelpRequest, OfficeLevel
from endorsements.apps import FUNDING
from endorsements.models import Application, Candidacy, ContributionLimit

RESULTS = (Candidacy.Result.WON, Candidacy.Result.LOST)


def _endorsed_candidacies():
    return Candidacy.objects.filter(applications__status=Application.Status.ENDORSED).distinct()


def endorsed_per_cycle() -> list[dict]:
    """[{cycle, endorsed, won, lost, win_rate}], newest cycle first, counting people: one
    endorsed in a primary and again for the general is one endorsed candidate."""
    rows = (
        Candidacy.objects.filter(pk__in=_endorsed_candidacies().values("pk"))
        .values("election__cycle")
        .annotate(
            endorsed=Count("candidate", distinct=True),
            won=Count("candidate", distinct=True, filter=Q(result=Candidacy.Result.WON)),
            lost=Count("candidate", distinct=True, filter=Q(result=Candidacy.Result.LOST)),
        )
        .order_by("-election__cycle")
    )
    return [_with_rate({"cycle": row.pop("election__cycle"), **row}) for row in rows]


def win_rate_by_level() -> list[dict]:
    """[{cycle, level, won, lost, win_rate}] of endorsed candidacies with a result."""
    rows = (
        Candidacy.objects.filter(pk__in=_endorsed_candidacies().values("pk"), result__in=RESULTS)
        .values("election__cycle", "office__level")
        .annotate(
            won=Count("candidate", distinct=True, filter=Q(result=Candidacy.Result.WON)),
            lost=Count("candidate", distinct=True, filter=Q(result=Candidacy.Result.LOST)),
        )
        .order_by("-election__cycle", "office__level")
    )
    return [
        _with_rate(
            {
                "cycle": r.pop("election__cycle"),
                "level": OfficeLevel(r.pop("office__level")).label,
                **r,
            }
        )
        for r in rows
    ]


def _with_rate(row: dict) -> dict:
    decided = row["won"] + row["lost"]
    row["win_rate"] = row["won"] / decided if decided else None
    return row


def money_against_limits() -> list[dict]:
    """Each candidacy given money: what it got and its limit (None: no limit set)."""
    limits = {
        (limit.state, limit.office_level, limit.election_kind): limit.amount
        for limit in ContributionLimit.objects.all()
    }
    rows = (
        Candidacy.objects.filter(contributions__isnull=False)
        .annotate(given=Sum("contributions__amount"))
        .select_related("candidate", "office", "election")
        .order_by("-election__date", "candidate__last_name")
    )
    return [
        {
            "candidacy": c,
            "given": c.given,
            "limit": limits.get((c.election.state, c.office.level, c.election.kind)),
        }
        for c in rows
    ]


def thirty_day_answer(now=None) -> dict:
    """The promise to answer an application within 30 days: answered in time out of decided,
    and days to the answer (median, 90th percentile)."""
    now = now or timezone.now()
    row = (
        HelpRequest.objects.filter(kind=FUNDING)
        .order_by("kind")
        .values("kind")
        .figures(now)
        .values("opened", "within_due", "decided", "overdue", "resolution_hours")
        .first()
    )
    if row is None:
        return {
            "opened": 0,
            "decided": 0,
            "within_due": 0,
            "share": None,
            "p50": None,
            "p90": None,
            "overdue": 0,
        }
    p50, p90 = row["resolution_hours"] or (None, None)
    return {
        **{key: row[key] for key in ("opened", "decided", "within_due", "overdue")},
        "share": row["within_due"] / row["decided"] if row["decided"] else None,
        "p50": p50 / 24 if p50 is not None else None,
        "p90": p90 / 24 if p90 is not None else None,
    }
