import pytest
from django.urls import reverse

from candidates.models import Submission
from partners.models import Partner, Referral, ReferralState, Service
from partners.services.referrals import Consent, propose_referral
from rfs.notify.models import Notification
from screening.models import ScreeningCall
from tests.factories.candidates import CandidateFactory
from tests.factories.partners import ContactFactory, PartnerFactory, ResourceFactory
from tests.factories.screening import ScreeningCallFactory

pytestmark = pytest.mark.django_db


def test_the_directory_searches_filters_and_keeps_its_query_count(
    client_for, staff, django_assert_max_num_queries
):
    for n in range(12):
        partner = PartnerFactory(name=f"Org {n}", services=[Service.LEGAL] if n % 2 else [])
        ContactFactory(partner=partner, user=None)
        ResourceFactory(partner=partner)
    PartnerFactory(name="Collective PAC", states=["AZ"], services=[Service.FUNDRAISING])
    client = client_for(staff)
    with django_assert_max_num_queries(8):
        page = client.get("/partners/")
    assert page.status_code == 200
    assert page.content.decode().count('class="badge text-bg-success"') == 13

    found = client.get("/partners/", {"q": "collective"}).content.decode()
    assert "Collective PAC" in found and "Org 1<" not in found
    legal = client.get("/partners/", {"service": "legal"}).context["page"]
    assert legal.paginator.count == 6
    in_texas = client.get("/partners/", {"state": "TX"}).context["page"]
    assert "Collective PAC" not in [p.name for p in in_texas]
    bad = client.get("/partners/", {"service": "nonsense", "state": "ZZ"})
    assert bad.status_code == 200


def test_the_directory_downloads_as_csv(client_for, staff):
    PartnerFactory(name="=HYPERLINK(1)")
    response = client_for(staff).get("/partners/export/")
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert body.splitlines()[0].startswith("name,active,services")
    assert "'=HYPERLINK(1)" in body


def test_staff_add_and_edit_a_partner_with_its_window(client_for, staff):
    client = client_for(staff)
    response = client.post(
        "/partners/new/",
        {"name": "Inclusv", "services": ["staffing"], "response_days": "5", "is_active": "on"},
    )
    partner = Partner.objects.get(name="Inclusv")
    assert response.url == partner.get_absolute_url()
    page = client.get(partner.get_absolute_url()).content.decode()
    assert "5 business days" in page
    again = client.post("/partners/new/", {"name": "Inclusv", "response_days": "3"})
    assert "already exists" in again.content.decode()


def test_staff_refer_from_the_candidate_page_panel(client_for, staff, partner, partner_user):
    candidate = CandidateFactory(needs=["fundraising"])
    client = client_for(staff)
    panel = client.get(reverse("partners:panel", args=[candidate.uuid])).content.decode()
    assert "Latino Victory Project" in panel
    assert "Covers fundraising" in panel

    response = client.post(
        reverse("partners:refer", args=[candidate.uuid]),
        {
            "partner": str(partner.uuid),
            "has_consent": "on",
            "consent_words": "Sure, send them my details.",
            "consent_fields": ["phone"],
        },
        HTTP_HX_REQUEST="true",
    )
    assert "both sides got an introduction" in response.content.decode()
    referral = Referral.objects.get()
    assert referral.state == ReferralState.SENT
    assert referral.consent_recorded_by == staff

    # Consent ticked but no words: a form error, nothing made.
    other = CandidateFactory()
    response = client.post(
        reverse("partners:refer", args=[other.uuid]),
        {"partner": str(partner.uuid), "has_consent": "on", "consent_words": ""},
        HTTP_HX_REQUEST="true",
    )
    assert "Write down the words" in response.content.decode()
    assert not Referral.objects.filter(candidate=other).exists()


def test_a_partner_sees_only_what_the_candidate_agreed_to_share(
    client_for, candidate, partner, partner_user, other_partner_user, staff
):
    candidate.why_run = "Secret reasons"
    candidate.save()
    proposed = propose_referral(candidate=candidate, partner=partner, by=staff)
    client = client_for(partner_user)
    assert candidate.last_name not in client.get("/partners/our/").content.decode()
    url = reverse("partners:portal_referral", args=[proposed.uuid])
    assert client.get(url).status_code == 404

    Referral.objects.filter(pk=proposed.pk).delete()
    referral = propose_referral(
        candidate=candidate,
        partner=partner,
        by=staff,
        consent=Consent(words="Yes", fields=("office",)),
    )
    home = client.get("/partners/our/").content.decode()
    assert "Ada Lovelace" in home
    page = client.get(reverse("partners:portal_referral", args=[referral.uuid])).content.decode()
    assert candidate.email in page
    assert candidate.office_summary in page
    assert "Secret reasons" not in page
    assert str(candidate.phone.as_e164) not in page
    # Another partner's login learns nothing of it, nor any candidate page.
    other = client_for(other_partner_user)
    assert other.get(reverse("partners:portal_referral", args=[referral.uuid])).status_code == 404
    assert "Ada" not in other.get("/partners/our/").content.decode()
    assert other.get(candidate.get_absolute_url()).status_code == 403


def test_a_partner_accepts_and_marks_helped_from_its_pages(
    client_for, candidate, partner, partner_user, staff
):
    referral = propose_referral(
        candidate=candidate, partner=partner, by=staff, consent=Consent(words="Yes")
    )
    client = client_for(partner_user)
    base = f"/partners/our/referrals/{referral.uuid}/"
    assert client.post(base + "accept/", {"note": "Welcome"}).status_code == 302
    empty = client.post(base + "helped/", {"note": ""})
    assert empty.status_code == 400
    assert client.post(base + "helped/", {"note": "Two trainings"}).status_code == 302
    referral.refresh_from_db()
    assert referral.state == ReferralState.HELPED
    assert client.post(base + "decline/", {"note": "late"}).status_code == 302
    referral.refresh_from_db()
    assert referral.state == ReferralState.HELPED


def test_a_partner_refers_a_candidate_to_us(client_for, partner, partner_user):
    client = client_for(partner_user)
    data = {
        "first_name": "Rosa",
        "last_name": "Ruiz",
        "email": "rosa@example.org",
        "zip_code": "85001",
        "state": "AZ",
        "city": "Phoenix",
        "office_level": "school_board",
        "agreed": "on",
    }
    without = client.post("/partners/our/refer/", {**data, "agreed": ""})
    assert "We contact only people who agreed" in without.content.decode()
    assert client.post("/partners/our/refer/", data).status_code == 302
    submission = Submission.objects.get()
    assert submission.heard_from == partner.team
    assert submission.candidate.email == "rosa@example.org"


def test_a_partner_manages_its_own_resources(client_for, partner, partner_user):
    client = client_for(partner_user)
    client.post(
        "/partners/our/resources/",
        {
            "title": "Fundraising 101",
            "kind": "training",
            "url": "https://x.example.org",
            "is_shared": "on",
        },
    )
    resource = partner.resources.get()
    assert resource.title == "Fundraising 101"
    client.post(f"/partners/our/resources/{resource.uuid}/remove/")
    assert not partner.resources.exists()


def test_a_screener_refers_at_the_end_of_a_call(client_for, screener, partner, partner_user):
    candidate = CandidateFactory(stage="screened")
    call = ScreeningCallFactory(
        candidate=candidate, screener=screener, next_step=ScreeningCall.NextStep.PARTNER
    )
    client = client_for(screener)
    assert "Refer to a partner" in client.get(call.get_absolute_url()).content.decode()
    url = reverse("screening:refer_partner", args=[call.uuid])
    no_words = client.post(url, {"partner": str(partner.uuid), "consent_words": ""})
    assert no_words.status_code == 200
    assert not Referral.objects.exists()
    response = client.post(
        url, {"partner": str(partner.uuid), "consent_words": "Yes please", "consent_fields": []}
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.state == ReferralState.SENT
    assert referral.consent_recorded_by == screener
    assert referral.consent_fields == []
    other_call = ScreeningCallFactory(candidate=candidate, screener=screener)
    assert client.get(reverse("screening:refer_partner", args=[other_call.uuid])).status_code == 404


def test_the_candidate_agrees_in_the_portal(client_for, candidate, partner, partner_user, staff):
    referral = propose_referral(candidate=candidate, partner=partner, by=staff)
    ResourceFactory(partner=partner, title="Latino candidates bootcamp")
    client = client_for(candidate.user)
    home = client.get("/portal/").content.decode()
    assert "May we introduce you?" in home
    assert "Latino candidates bootcamp" in home
    client.post(
        reverse("portal:referral_answer", args=[referral.uuid]),
        {"answer": "yes", "consent_fields": ["needs"]},
    )
    referral.refresh_from_db()
    assert referral.state == ReferralState.SENT
    assert Notification.objects.filter(template="partner_intro_partner").count() == 1
    assert "They will get in touch soon." in client.get("/portal/").content.decode()


def test_partner_figures_on_the_requests_page_report_and_dashboard(
    client_for, staff, partner, partner_user
):
    referral = propose_referral(
        candidate=CandidateFactory(), partner=partner, by=staff, consent=Consent(words="Yes")
    )
    client = client_for(staff)
    requests_page = client.get("/requests/").content.decode()
    assert "team-response-times" in requests_page
    assert "Latino Victory Project" in requests_page
    report = client.get("/partners/report/")
    assert report.context["totals"]["referrals_sent"] == 1
    csv = b"".join(client.get("/partners/report/", {"format": "csv"}).streaming_content)
    assert b"Latino Victory Project,0,0,0,0,1" in csv
    dashboard = client.get("/dashboard/")
    assert [row[0].text for row in dashboard.context["tables"]["partners"].rows] == [
        "Latino Victory Project"
    ]
    assert referral.pk


def test_staff_record_consent_given_by_phone(client_for, staff, candidate, partner, partner_user):
    referral = propose_referral(candidate=candidate, partner=partner, by=staff)
    client = client_for(staff)
    page = client.get(reverse("partners:referral", args=[referral.uuid])).content.decode()
    assert "Record consent and send" in page
    url = reverse("partners:referral_consent", args=[referral.uuid])
    client.post(url, {"consent_words": ""})
    referral.refresh_from_db()
    assert referral.state == ReferralState.PROPOSED
    client.post(url, {"consent_words": "Yes, on the phone", "consent_fields": ["phone"]})
    referral.refresh_from_db()
    assert referral.state == ReferralState.SENT
    assert referral.consent_recorded_by == staff
    assert referral.consent_words == "Yes, on the phone"
