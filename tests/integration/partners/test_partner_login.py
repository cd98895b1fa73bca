"""A partner login: its second factor in production like staff, its start page and menu,
and a referral list whose queries do not grow with the referrals."""

import pytest

from partners.services.referrals import Consent, propose_referral
from rfs.accounts import second_factor
from tests.factories.candidates import CandidateFactory

pytestmark = pytest.mark.django_db


def test_a_partner_login_must_enrol_a_second_factor_when_required(
    client_for, settings, partner_user
):
    settings.RFS_MFA_REQUIRED = True
    assert second_factor.required_for(partner_user)
    response = client_for(partner_user).get("/partners/our/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate")


def test_a_partner_login_lands_on_its_referrals_with_its_menu(client_for, partner_user):
    client = client_for(partner_user)
    assert client.get("/")["Location"] == "/partners/our/"
    page = client.get("/partners/our/").content.decode()
    for label in ("Referrals", "Refer a candidate", "Resources"):
        assert label in page


def test_the_referral_list_keeps_its_query_count(
    client_for, partner, partner_user, staff, django_assert_num_queries
):
    for _ in range(6):
        propose_referral(
            candidate=CandidateFactory(), partner=partner, by=staff, consent=Consent(words="Yes")
        )
    client = client_for(partner_user)
    client.get("/partners/our/")
    # the user, the partner, the referrals with their candidates and requests
    with django_assert_num_queries(3):
        response = client.get("/partners/our/")
    assert response.content.decode().count("/partners/our/referrals/") == 6
