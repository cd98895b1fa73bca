"""The dashboard's endorsement figures and their section."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from endorsements.models import Application
from endorsements.services import figures, money, review
from endorsements.services.applications import apply_for_endorsement
from tests.factories.endorsements import (
    ApplicationFactory,
    CandidacyFactory,
    ContributionLimitFactory,
    ElectionFactory,
    EndorsementClassFactory,
)

pytestmark = pytest.mark.django_db


def test_endorsed_per_cycle_and_win_rates(decider):
    election = ElectionFactory(date=dt.date(2025, 6, 17), cycle=2025)
    for result in ("won", "lost", "lost", ""):
        ApplicationFactory(
            status="endorsed", candidacy__election=election, candidacy__result=result
        )
    ApplicationFactory(status="not_endorsed", candidacy__election=election, candidacy__result="won")
    [row] = figures.endorsed_per_cycle()
    assert row == {"cycle": 2025, "endorsed": 4, "won": 1, "lost": 2, "win_rate": 1 / 3}
    [level] = figures.win_rate_by_level()
    assert (level["level"], level["won"], level["lost"]) == ("State legislature", 1, 2)


def test_money_against_limits(staff):
    candidacy = ApplicationFactory(status=Application.Status.ENDORSED).candidacy
    ContributionLimitFactory(amount=Decimal("1000"))
    money.record_contribution(
        candidacy=candidacy,
        amount=Decimal("250"),
        date=dt.date(2027, 1, 2),
        method="check",
        committee_id="C",
        by=staff,
    )
    [row] = figures.money_against_limits()
    assert (row["candidacy"], row["given"], row["limit"]) == (
        candidacy,
        Decimal("250"),
        Decimal("1000"),
    )


def test_the_thirty_day_answer(decider, client_for):
    opened = dt.datetime(2026, 1, 5, 15, tzinfo=dt.UTC)
    answered_in = [10, 40]
    for days in answered_in:
        candidacy = CandidacyFactory()
        klass = EndorsementClassFactory(
            elections=[candidacy.election], deadline=opened + dt.timedelta(days=1)
        )
        application = apply_for_endorsement(
            endorsement_class=klass,
            candidate=candidacy.candidate,
            office=candidacy.office,
            election=candidacy.election,
            race={"status": "qualified"},
            application={"story": "Mine."},
            answers={},
            by=None,
            at=opened,
        )
        review.decide(
            application=application,
            decision="not_endorsed",
            reason="No",
            by=decider,
            at=opened + dt.timedelta(days=days),
        )
    answer = figures.thirty_day_answer()
    assert (answer["decided"], answer["within_due"], answer["share"]) == (2, 1, 0.5)
    assert answer["p50"] == pytest.approx(25)
    page = client_for(decider).get(reverse("dashboard:endorsements")).content.decode()
    assert "50% answered within 30 days (1 of 2 decided)" in page
    assert "median 25.0 days" in page
