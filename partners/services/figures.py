"""Figures per partner and period: the people a partner sent us and how far they got, and
the referrals we sent it and how it answered. Response times are the HelpRequest
QuerySet's figures (one rule, one place); the stages reached come from StageChange rows."""

from datetime import datetime

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from candidates.models import PIPELINE, HelpRequest, Stage, StageChange, Submission
from partners.models import (
    PARTNER_INTRO,
    TEAM_PREFIX,
    Partner,
    PartnerLeadSource,
    Referral,
    ReferralState,
)


def _reached(stage: str) -> Exists:
    """The submission's candidate reached `stage` or a later one on the main line, ever."""
    later = PIPELINE[PIPELINE.index(stage) :]
    return Exists(StageChange.objects.filter(candidate=OuterRef("candidate"), to_stage__in=later))


def _sent_us(teams: list[str], since: datetime, until: datetime) -> dict[str, dict]:
    """Per team: distinct people whose submissions in the period named the partner, or came
    through one of its forms (lead sources), and of them how many were screened, got on the
    ballot, won (by now). A submission naming a partner counts for that partner."""
    uuids = [team.split(":", 1)[1] for team in teams]
    source_team = Concat(
        Value(f"{TEAM_PREFIX}:"),
        Cast(
            Subquery(
                PartnerLeadSource.objects.filter(lead_source=OuterRef("lead_source")).values(
                    "partner__uuid"
                )[:1]
            ),
            CharField(),
        ),
    )
    rows = (
        Submission.objects.filter(
            Q(heard_from__in=teams)
            | Q(
                lead_source__in=PartnerLeadSource.objects.filter(partner__uuid__in=uuids).values(
                    "lead_source"
                )
            ),
            received_at__gte=since,
            received_at__lt=until,
            candidate__isnull=False,
        )
        .alias(
            was_screened=_reached(Stage.SCREENED),
            was_on_ballot=_reached(Stage.ON_BALLOT),
            has_won=_reached(Stage.WON),
        )
        .annotate(
            team=Case(
                When(~Q(heard_from=""), then=F("heard_from")),
                default=source_team,
                output_field=CharField(),
            )
        )
        .values("team")
        .annotate(
            sent_us=Count("candidate", distinct=True),
            screened=Count("candidate", distinct=True, filter=Q(was_screened=True)),
            on_ballot=Count("candidate", distinct=True, filter=Q(was_on_ballot=True)),
            won=Count("candidate", distinct=True, filter=Q(has_won=True)),
        )
        .order_by()
    )
    return {row.pop("team"): row for row in rows}


def _referrals(partners, since: datetime, until: datetime) -> dict[int, dict]:
    rows = (
        Referral.objects.filter(partner__in=partners, sent_at__gte=since, sent_at__lt=until)
        .values("partner")
        .annotate(
            referrals_sent=Count("pk"),
            accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
            helped=Count("pk", filter=Q(state=ReferralState.HELPED)),
            declined=Count("pk", filter=Q(state=ReferralState.DECLINED)),
            no_answer=Count("pk", filter=Q(state=ReferralState.NO_ANSWER)),
        )
        .order_by()
    )
    return {row.pop("partner"): row for row in rows}


def _response_times(teams: list[str], since: datetime, until: datetime, now) -> dict:
    rows = (
        HelpRequest.objects.filter(
            kind=PARTNER_INTRO, team__in=teams, opened_at__gte=since, opened_at__lt=until
        )
        .values("team")
        .order_by()
        .figures(now)
    )
    return {row["team"]: row for row in rows}


def partner_report(
    *, since: datetime, until: datetime | None = None, partners=None, now=None
) -> list[dict]:
    """One row per partner (all of them unless `partners` narrows it), by name: partner,
    sent_us, screened, on_ballot, won; referrals_sent, accepted, helped, declined,
    no_answer, share_helped; median and p90 hours to accept, answered within due, overdue."""
    now = now or timezone.now()
    until = until or now
    partners = list(partners if partners is not None else Partner.objects.all())
    teams = [partner.team for partner in partners]
    sent = _sent_us(teams, since, until)
    referrals = _referrals(partners, since, until)
    times = _response_times(teams, since, until, now)
    report = []
    for partner in partners:
        row = {"partner": partner}
        row.update(sent.get(partner.team, {"sent_us": 0, "screened": 0, "on_ballot": 0, "won": 0}))
        row.update(
            referrals.get(
                partner.pk,
                {"referrals_sent": 0, "accepted": 0, "helped": 0, "declined": 0, "no_answer": 0},
            )
        )
        row["share_helped"] = (
            row["helped"] / row["referrals_sent"] if row["referrals_sent"] else None
        )
        figures = times.get(partner.team, {})
        median, p90 = figures.get("first_response_hours") or [None, None]
        row["median_hours_to_accept"], row["p90_hours_to_accept"] = median, p90
        decided = figures.get("decided", 0)
        row["share_within_due"] = figures["within_due"] / decided if decided else None
        row["overdue"] = figures.get("overdue", 0)
        report.append(row)
    return report


def report_totals(rows: list[dict]) -> dict:
    """The sums of the countable columns of partner_report's rows."""
    keys = ["sent_us", "screened", "on_ballot", "won", "referrals_sent", "accepted", "helped"]
    return {key: sum(row[key] for row in rows) for key in keys}
