"""A screener cannot harvest the queue: open claims and claims a day are capped, and staff
see who gives back what they claim."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from screening.models import Claim
from screening.services import claims
from screening.services.guards import ScreeningError
from tests.factories.screening import ScreenerFactory, waiting_candidate
from tests.support.concurrency import at_once


@pytest.fixture
def small_caps(settings):
    settings.RFS_OPEN_CLAIMS_MAX = 2
    settings.RFS_CLAIMS_PER_DAY = 3


@pytest.mark.django_db
def test_open_claims_are_capped(small_caps, screener):
    for n in range(3):
        waiting_candidate(signed_up_ago=timedelta(hours=n + 1))
    claims.claim_next(screener=screener)
    claims.claim_next(screener=screener)
    with pytest.raises(ScreeningError, match="You hold 2 candidates"):
        claims.claim_next(screener=screener)
    assert Claim.objects.open().count() == 2
    # The candidate the refused claim picked still waits for someone else.
    assert claims.claim_next(screener=ScreenerFactory()) is not None


@pytest.mark.django_db
def test_claims_a_day_are_capped_even_when_released(small_caps, screener):
    for n in range(4):
        waiting_candidate(signed_up_ago=timedelta(hours=n + 1))
    for _ in range(3):
        claims.release_claim(claim=claims.claim_next(screener=screener), by=screener)
    with pytest.raises(ScreeningError, match="in the last day"):
        claims.claim_next(screener=screener)
    Claim.objects.update(claimed_at=timezone.now() - timedelta(days=1, minutes=1))
    assert claims.claim_next(screener=screener) is not None


@pytest.mark.django_db
def test_staff_are_not_capped(small_caps, staff):
    for n in range(3):
        waiting_candidate(signed_up_ago=timedelta(hours=n + 1))
    for _ in range(3):
        claims.claim_next(screener=staff)
    assert Claim.objects.open().count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_claims_at_once_cannot_both_pass_the_cap(settings):
    settings.RFS_OPEN_CLAIMS_MAX = 1
    screener = ScreenerFactory()
    for n in range(2):
        waiting_candidate(signed_up_ago=timedelta(hours=n + 1))

    def claim() -> bool:
        try:
            return claims.claim_next(screener=screener) is not None
        except ScreeningError:
            return False

    assert sorted(at_once(claim, claim)) == [False, True]
    assert Claim.objects.open().count() == 1


@pytest.mark.django_db
def test_staff_see_claims_given_back_per_screener(client_for, staff, screener):
    for n in range(2):
        waiting_candidate(signed_up_ago=timedelta(hours=n + 1))
    claims.release_claim(claim=claims.claim_next(screener=screener), by=screener)
    claims.claim_next(screener=screener)
    page = client_for(staff).get(reverse("screening:hours")).content.decode()
    table = page.split('id="claim-churn"')[1].split("</table>")[0]
    assert "Bob Screener" in table
    assert "<td>2</td>" in table and "<td>1</td>" in table
