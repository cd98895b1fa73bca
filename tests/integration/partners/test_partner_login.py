"""A partner login: its second factor in production like staff, its start page and menu,
and a referral list whose queries do not grow with the referrals."""

import pytest

from partners.models import Partner
from partners.services.directory import remove_contact
from partners.services.referrals import Consent, propose_referral
from rfs.accounts import second_factor
from rfs.accounts.models import Role
from rfs.accounts.services import grant_role
from tests.factories.accounts import UserFactory
from tests.factories.candidates import CandidateFactory
from tests.factories.partners import ContactFactory

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


def test_staff_who_are_a_partners_contact_answer_only_for_that_partner_in_its_portal(
    client_for, staff, partner, other_partner_user
):
    ContactFactory(partner=partner, user=grant_role(user=staff, role=Role.PARTNER))
    ours = propose_referral(
        candidate=CandidateFactory(first_name="Ours"),
        partner=partner,
        by=staff,
        consent=Consent(words="Yes."),
    )
    other = Partner.objects.exclude(pk=partner.pk).get()
    theirs = propose_referral(
        candidate=CandidateFactory(first_name="Theirs"),
        partner=other,
        by=staff,
        consent=Consent(words="Yes."),
    )
    client = client_for(staff)
    page = client.get("/partners/our/").content.decode()
    assert "Ours" in page and "Theirs" not in page
    assert client.get(f"/partners/our/referrals/{ours.uuid}/").status_code == 200
    assert client.get(f"/partners/our/referrals/{theirs.uuid}/").status_code == 404
    # As staff, on the staff pages, they still see every referral.
    assert client.get(theirs.get_absolute_url()).status_code == 200


def test_a_removed_contact_who_is_also_a_candidate_keeps_the_candidate_login(partner):
    person = UserFactory(roles=[Role.PARTNER, Role.CANDIDATE])
    remove_contact(contact=ContactFactory(partner=partner, user=person))
    person.refresh_from_db()
    assert person.is_active and person.roles == [Role.CANDIDATE]


def test_a_removed_contact_with_no_other_role_is_closed(partner_user):
    remove_contact(contact=partner_user.partner_contact)
    partner_user.refresh_from_db()
    assert not partner_user.is_active and partner_user.roles == []
