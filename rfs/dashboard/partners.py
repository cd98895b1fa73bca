"""The dashboard's partner figures: per partner, for the period, the people it sent us and
how our referrals to it went, from partners' own report (one rule, one place)."""

from urllib.parse import urlencode

from django.urls import reverse

from partners.services.figures import partner_report
from rfs.dashboard.metrics import Scope
from rfs.dashboard.report import Cell, Table, hours_text, share_text

# The dashboard shows the busiest partners; the report lists them all.
SHOWN = 10


def report_url(scope: Scope) -> str:
    """The full report per partner for the dashboard's period."""
    period = scope.period
    query = urlencode({"start": period.first_day.isoformat(), "end": period.last_day.isoformat()})
    return f"{reverse('partners:report')}?{query}"


def partner_table(scope: Scope) -> Table:
    """The busiest partners of the period, with the figures that moved."""
    rows = partner_report(since=scope.period.start, until=scope.period.end, now=scope.now)
    busy = [r for r in rows if r["sent_us"] or r["referrals_sent"]]
    busy.sort(key=lambda r: (-(r["sent_us"] + r["referrals_sent"]), r["partner"].name))
    table = Table(
        "partners",
        "Partners: people they sent us and referrals we sent them, in the period",
        [
            "Partner",
            "Sent us",
            "Screened",
            "On the ballot",
            "Won",
            "Referred",
            "Accepted",
            "Helped",
            "Median hours to accept",
            "90th percentile hours",
        ],
    )
    for row in busy[:SHOWN]:
        partner = row["partner"]
        counts = ("sent_us", "screened", "on_ballot", "won", "referrals_sent", "accepted")
        table.rows.append(
            [
                Cell(partner.name, href=partner.get_absolute_url()),
                *[Cell(f"{row[key]:,}", row[key]) for key in counts],
                Cell(f"{row['helped']:,} ({share_text(row['share_helped'])})", row["helped"]),
                Cell(hours_text(row["median_hours_to_accept"]), row["median_hours_to_accept"]),
                Cell(hours_text(row["p90_hours_to_accept"]), row["p90_hours_to_accept"]),
            ]
        )
    return table
