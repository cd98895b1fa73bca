import pytest

from candidates.models import Need, OfficeLevel, Party
from partners.models import Referral, Service
from partners.services.matching import rank_partners, resources_for
from partners.services.referrals import decline_referral, propose_referral
from tests.factories.candidates import CandidateFactory
from tests.factories.partners import PartnerFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def names(suggestions):
    return [s.partner.name for s in suggestions]


def test_partners_are_ranked_by_needs_state_and_eligibility_with_reasons(staff):
    candidate = CandidateFactory(
        state="AZ",
        office_level=OfficeLevel.STATE_LEGISLATURE,
        party=Party.DEMOCRAT,
        needs=[Need.FUNDRAISING, Need.FIELD],
    )
    both = PartnerFactory(
        name="Both", services=[Service.FUNDRAISING, Service.ORGANIZING], states=["AZ"]
    )
    money = PartnerFactory(name="Money", services=[Service.FUNDRAISING])
    training = PartnerFactory(name="Training", services=[Service.TRAINING])
    PartnerFactory(name="Elsewhere", services=[Service.FUNDRAISING], states=["TX"])
    PartnerFactory(name="Schools", office_levels=[OfficeLevel.SCHOOL_BOARD])
    PartnerFactory(name="Greens", parties=[Party.GREEN])
    PartnerFactory(name="Paused", services=[Service.FUNDRAISING], is_active=False)

    ranked = rank_partners(candidate=candidate)

    assert names(ranked) == ["Both", "Money", "Training"]
    assert ranked[0].partner == both
    assert ranked[0].reasons == [
        "Covers fundraising, field and volunteers",
        "Works in Arizona",
    ]
    assert ranked[1].reasons == ["Covers fundraising", "Works nationwide"]
    assert ranked[2].reasons == ["Works nationwide", "Offers training"]
    assert ranked[0].score > ranked[1].score > ranked[2].score
    assert money.pk and training.pk


def test_declined_by_the_candidate_and_open_referrals_are_left_out(staff):
    candidate = CandidateFactory(needs=[Need.FUNDRAISING])
    said_no = PartnerFactory(name="Said no")
    open_one = PartnerFactory(name="Open")
    turned_down = PartnerFactory(name="Turned down by the partner")
    referral = propose_referral(candidate=candidate, partner=said_no, by=staff)
    decline_referral(
        referral=referral, by=staff, reason="No", declined_by=Referral.DeclinedBy.CANDIDATE
    )
    propose_referral(candidate=candidate, partner=open_one, by=staff)
    referral = propose_referral(candidate=candidate, partner=turned_down, by=staff)
    decline_referral(referral=referral, by=staff, reason="No", declined_by="staff")

    assert names(rank_partners(candidate=candidate)) == ["Turned down by the partner"]


def test_a_candidate_sees_shared_resources_of_partners_that_serve_them(staff):
    candidate = CandidateFactory(needs=[Need.FUNDRAISING])
    referred = PartnerFactory(name="Referred")
    propose_referral(candidate=candidate, partner=referred, by=staff)
    shared = ResourceFactory(partner=referred, title="Call time 101")
    ResourceFactory(partner=referred, title="Internal", is_shared=False)
    ResourceFactory(partner=PartnerFactory(name="Paused", is_active=False), title="Old")

    assert [r.title for r in resources_for(candidate)] == [shared.title]
