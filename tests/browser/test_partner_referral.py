"""The closed loop in a real browser: staff refer a candidate from their page with the
candidate's consent, the partner's login accepts the referral and marks it helped, and the
dashboard's partner figures move."""

import pytest

from partners.models import Referral, ReferralState
from tests.browser.support import log_in
from tests.factories.candidates import CandidateFactory
from tests.factories.partners import ContactFactory, PartnerFactory


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/")


@pytest.mark.browser
def test_staff_refer_and_the_partner_accepts_and_marks_helped(page, staff):
    candidate = CandidateFactory(
        first_name="Rosa", last_name="Ruiz", needs=["fundraising"], stage="screened"
    )
    partner = PartnerFactory(name="Latino Victory Project")
    contact = ContactFactory(partner=partner, name="Paz Partner")

    log_in(page, staff.email)
    page.goto(candidate.get_absolute_url())
    panel = page.locator("#partner-referral-panel")
    panel.get_by_text("Covers fundraising").wait_for()
    panel.get_by_label("Partner", exact=True).select_option(label="Latino Victory Project")
    panel.get_by_label("The candidate agreed to share").check()
    panel.get_by_label("The words the candidate agreed to").fill("Yes, please introduce me.")
    panel.get_by_role("button", name="Refer").click()
    page.get_by_text("both sides got an introduction").wait_for()
    referral = Referral.objects.get(candidate=candidate)
    assert referral.state == ReferralState.SENT
    log_out(page)

    log_in(page, contact.user.email)
    page.wait_for_url("**/partners/our/")
    page.locator("table.referrals-waiting").get_by_role("link", name="Rosa Ruiz").click()
    page.get_by_role("button", name="Accept").click()
    page.get_by_text("Accepted.").wait_for()
    assert page.locator("#referral-state").inner_text() == "Accepted"
    page.get_by_label("How did you help?").fill("A fundraising training and two donors.")
    page.get_by_role("button", name="Mark helped").click()
    page.get_by_text("Marked as helped").wait_for()
    assert page.locator("#referral-state").inner_text() == "Helped"
    referral.refresh_from_db()
    assert referral.state == ReferralState.HELPED
    assert list(referral.moves.values_list("to_state", flat=True)) == [
        "proposed",
        "sent",
        "accepted",
        "helped",
    ]
    log_out(page)

    log_in(page, staff.email)
    page.goto("/dashboard/")
    row = page.locator("#partners-table tbody tr", has_text="Latino Victory Project")
    assert "1 (100%)" in row.inner_text()
