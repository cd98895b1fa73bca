"""Contributions to endorsed candidacies, within the limits staff set per state, office
level and kind of election; totals and the compliance CSV."""

from collections.abc import Iterator
from decimal import Decimal
from itertools import chain

from django.db import transaction
from django.db.models import Sum

from candidates.csv_files import csv_lines
from endorsements.models import Application, Candidacy, Contribution, ContributionLimit


class ContributionRefused(Exception):
    """The contribution cannot be recorded; the message says why."""


def money(amount: Decimal) -> str:
    return f"${amount:,.2f}"


@transaction.atomic
def set_limit(
    *, state: str, office_level: str, election_kind: str, amount: Decimal, source: str, by
) -> ContributionLimit:
    """Set (or change) the limit for one state, office level and kind of election."""
    limit, _ = ContributionLimit.objects.update_or_create(
        state=state,
        office_level=office_level,
        election_kind=election_kind,
        defaults={"amount": amount, "source": source, "set_by": by},
    )
    return limit


def limit_for(candidacy: Candidacy) -> ContributionLimit | None:
    return ContributionLimit.objects.filter(
        state=candidacy.election.state,
        office_level=candidacy.office.level,
        election_kind=candidacy.election.kind,
    ).first()


def given_to(candidacy: Candidacy) -> Decimal:
    total = Contribution.objects.filter(candidacy=candidacy).aggregate(total=Sum("amount"))
    return total["total"] or Decimal("0")


@transaction.atomic
def record_contribution(
    *, candidacy: Candidacy, amount: Decimal, date, method: str, committee_id: str, by
) -> Contribution:
    """Record money given to an endorsed candidacy's committee. Refused past the limit, with
    the limit and what is left; the candidacy's row is locked first, so two contributions
    posted at once are counted one after the other."""
    locked = (
        Candidacy.objects.select_for_update(of=("self",))
        .select_related("election", "office")
        .get(pk=candidacy.pk)
    )
    if amount <= 0:
        raise ContributionRefused("A contribution is a positive amount.")
    endorsed = Application.objects.filter(
        candidacy=locked, status=Application.Status.ENDORSED
    ).exists()
    if not endorsed:
        raise ContributionRefused("Only an endorsed candidacy receives contributions.")
    limit = limit_for(locked)
    if limit is None:
        level = locked.office.get_level_display().lower()
        kind = locked.election.get_kind_display().lower()
        raise ContributionRefused(
            f"No contribution limit is set for {locked.election.state} {level} {kind} races: "
            "staff set it first."
        )
    left = limit.amount - given_to(locked)
    if amount > left:
        raise ContributionRefused(
            f"Over the limit: {limit.state} {limit.get_office_level_display().lower()} "
            f"{limit.get_election_kind_display().lower()} races allow {money(limit.amount)} per "
            f"candidacy, and {money(max(left, Decimal('0')))} is left for this one."
        )
    return Contribution.objects.create(
        candidacy=locked,
        amount=amount,
        date=date,
        method=method,
        committee_id=committee_id,
        recorded_by=by,
    )


def totals(*, by: str) -> list[dict]:
    """Money given, grouped by "candidacy", "election" or "cycle"."""
    field = {
        "candidacy": "candidacy",
        "election": "candidacy__election",
        "cycle": "candidacy__election__cycle",
    }[by]
    return list(
        Contribution.objects.order_by().values(field).annotate(total=Sum("amount")).order_by(field)
    )


CSV_HEADER = [
    "date",
    "amount",
    "method",
    "committee id",
    "candidate",
    "office",
    "division id",
    "election",
    "election date",
    "cycle",
    "recorded by",
    "recorded at",
]


def contributions_csv() -> Iterator[str]:
    """Every contribution, one line each, for compliance (cells no spreadsheet runs)."""
    rows = Contribution.objects.select_related(
        "candidacy__candidate", "candidacy__office", "candidacy__election", "recorded_by"
    ).order_by("date", "pk")
    return csv_lines(
        chain(
            [CSV_HEADER],
            (
                [
                    c.date.isoformat(),
                    f"{c.amount:.2f}",
                    c.get_method_display(),
                    c.committee_id,
                    c.candidacy.candidate.display_name,
                    c.candidacy.office.name,
                    c.candidacy.office.division_id,
                    c.candidacy.election.get_kind_display(),
                    c.candidacy.election.date.isoformat(),
                    c.candidacy.election.cycle,
                    c.recorded_by.email if c.recorded_by else "",
                    c.recorded_at.isoformat(),
                ]
                for c in rows.iterator()
            ),
        )
    )
