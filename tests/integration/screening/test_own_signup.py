"""A screener who signs up to run is screened by someone else, never by themselves."""

from datetime import timedelta

import pytest
from django.urls import reverse

from rfs.accounts.models import Role
from rfs.accounts.services import grant_role
from screening.models import Claim
from screening.services import claims
from screening.services.guards import ScreeningError
from tests.factories.screening import waiting_candidate

pytestmark = pytest.mark.django_db

OWN = "This is your own signup: another volunteer will screen you."


@pytest.fixture
def own_signup(screener):
    """The screener's own record, linked to their login (they opened the portal)."""
    grant_role(user=screener, role=Role.CANDIDATE)
    return waiting_candidate(
        first_name="Myself", email=screener.email, user=screener, signed_up_ago=timedelta(days=5)
    )


def test_claiming_ones_own_record_is_refused_with_a_message(client_for, screener, own_signup):
    response = client_for(screener).post(
        reverse("screening:claim", args=[own_signup.uuid]), follow=True
    )
    assert OWN in response.content.decode()
    assert not Claim.objects.exists()


def test_a_record_at_ones_address_is_ones_own_before_it_is_linked(screener):
    unlinked = waiting_candidate(email=screener.email)
    with pytest.raises(ScreeningError, match=OWN):
        claims.claim_candidate(candidate=unlinked, screener=screener)


def test_the_queue_leaves_out_ones_own_record(client_for, screener, own_signup):
    other = waiting_candidate(first_name="Someone", signed_up_ago=timedelta(days=1))
    page = client_for(screener).get(reverse("screening:queue")).content.decode()
    assert "Someone" in page and "Myself" not in page
    # Claiming the next one skips them, though they waited longest.
    assert claims.claim_next(screener=screener).candidate == other
    assert claims.claim_next(screener=screener) is None


def test_another_screener_claims_them(other_screener, own_signup):
    assert claims.claim_next(screener=other_screener).candidate == own_signup
