"""Contributions within the limit of the candidacy's state, office level and election: at
the limit accepted, one cent over refused with the limit and what is left, also when two
are posted at once; totals and the compliance CSV."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from endorsements.models import Application, Contribution
from endorsements.services import money
from tests.factories.endorsements import (
    ApplicationFactory,
    CandidacyFactory,
    ContributionLimitFactory,
    ElectionFactory,
)
from tests.support.locks import wait_until_blocking_someone

TODAY = dt.date(2027, 5, 1)


@pytest.fixture
def candidacy(db):
    application = ApplicationFactory(status=Application.Status.ENDORSED)
    ContributionLimitFactory(amount=Decimal("1000.00"), source="Va. Code § 24.2-945")
    return application.candidacy


def _give(candidacy, amount: str, *, by=None):
    return money.record_contribution(
        candidacy=candidacy,
        amount=Decimal(amount),
        date=TODAY,
        method="check",
        committee_id="PAC-VA-1",
        by=by,
    )


def test_at_the_limit_accepted_one_cent_over_refused(candidacy, staff):
    _give(candidacy, "600.00", by=staff)
    with pytest.raises(money.ContributionRefused) as refused:
        _give(candidacy, "400.01", by=staff)
    assert str(refused.value) == (
        "Over the limit: VA state legislature primary races allow $1,000.00 per candidacy, "
        "and $400.00 is left for this one."
    )
    _give(candidacy, "400.00", by=staff)
    assert money.given_to(candidacy) == Decimal("1000.00")


def test_primary_and_general_have_separate_limits(candidacy, staff):
    general = CandidacyFactory(
        candidate=candidacy.candidate,
        office=candidacy.office,
        election=ElectionFactory(kind="general"),
    )
    ApplicationFactory(candidacy=general, status=Application.Status.ENDORSED)
    ContributionLimitFactory(election_kind="general", amount=Decimal("500.00"))
    _give(candidacy, "1000.00")
    _give(general, "500.00")
    with pytest.raises(money.ContributionRefused, match=r"\$500.00 per candidacy"):
        _give(general, "0.01")


def test_no_limit_set_or_not_endorsed_is_refused(db, staff):
    endorsed = ApplicationFactory(status=Application.Status.ENDORSED).candidacy
    with pytest.raises(money.ContributionRefused, match="No contribution limit is set"):
        _give(endorsed, "1.00")
    ContributionLimitFactory()
    waiting = ApplicationFactory().candidacy
    with pytest.raises(money.ContributionRefused, match="Only an endorsed candidacy"):
        _give(waiting, "1.00")


@pytest.mark.django_db(transaction=True)
def test_two_contributions_posted_at_once_cannot_pass_the_limit():
    application = ApplicationFactory(status=Application.Status.ENDORSED)
    ContributionLimitFactory(amount=Decimal("1000.00"))
    candidacy = application.candidacy
    answers: list = []

    def give_the_same() -> None:
        try:
            answers.append(_give(candidacy, "600.00"))
        except Exception as exc:
            answers.append(exc)
        finally:
            connection.close()

    with transaction.atomic():
        _give(candidacy, "600.00")
        thread = threading.Thread(target=give_the_same)
        thread.start()
        wait_until_blocking_someone()
    thread.join(timeout=20)
    [answer] = answers
    assert isinstance(answer, money.ContributionRefused)
    assert "$400.00 is left" in str(answer)
    assert Contribution.objects.count() == 1


def test_totals_and_csv(candidacy, staff):
    _give(candidacy, "100.00", by=staff)
    _give(candidacy, "250.50", by=staff)
    assert money.totals(by="candidacy") == [{"candidacy": candidacy.pk, "total": Decimal("350.50")}]
    assert money.totals(by="cycle") == [
        {"candidacy__election__cycle": candidacy.election.cycle, "total": Decimal("350.50")}
    ]
    lines = "".join(money.contributions_csv()).splitlines()
    assert lines[0].startswith("date,amount,method,committee id,candidate")
    assert len(lines) == 3
    assert "250.50" in lines[2] and staff.email in lines[2]
