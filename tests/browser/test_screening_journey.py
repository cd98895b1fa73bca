from datetime import timedelta

import pytest
from django.utils import timezone

from candidates.models import Stage
from rfs.demo.logins import DEMO_PASSWORD, seed_users
from screening.models import RUBRIC, ContactAttempt, ScheduledCall, ScreeningCall
from tests.browser.support import log_in
from tests.factories.screening import waiting_candidate

pytestmark = pytest.mark.browser


def test_a_screener_claims_reaches_books_and_logs_a_call(page, transactional_db):
    seed_users()
    imani = waiting_candidate(
        first_name="Imani", last_name="Okafor", state="GA", signed_up_ago=timedelta(days=3)
    )
    waiting_candidate(first_name="Wei", state="TX", signed_up_ago=timedelta(hours=5))

    log_in(page, "screener@example.org", DEMO_PASSWORD)
    page.wait_for_url("**/screening/")
    queue = page.locator("#queue")
    assert queue.get_by_role("cell", name="Imani", exact=True).is_visible()
    assert page.get_by_text("okafor").count() == 0  # no last name before claiming

    page.get_by_role("link", name="My screening", exact=True).click()
    assert page.locator("#hours-month").inner_text() == "0 min"

    # Claim next: the longest waiting person, with their contact details.
    page.get_by_role("link", name="Screening queue").click()
    page.get_by_role("button", name="Claim next").click()
    page.get_by_role("heading", name="Imani Okafor").wait_for()
    assert page.get_by_text(imani.email).first.is_visible()

    # A first try: no answer.
    page.get_by_label("What happened").select_option(label="Called - no answer")
    page.get_by_role("button", name="Log attempt").click()
    page.get_by_text("Attempt logged: Called - no answer.").wait_for()
    assert page.locator("#attempts").get_by_text("Called - no answer").is_visible()

    # Book the call for 2:30 PM their time, five days out.
    day = timezone.localdate() + timedelta(days=5)
    page.get_by_label("Date and time").fill(f"{day:%Y-%m-%d}T14:30")
    page.get_by_label("The candidate's (America/New_York)").check()
    page.get_by_role("button", name="Book the call").click()
    page.get_by_text("Call booked").wait_for()
    assert "2:30 PM EST" in page.locator("#booked-call").inner_text()

    # Log the call with the rubric.
    page.get_by_role("link", name="Log the call").click()
    page.get_by_label("Duration in minutes").fill("40")
    for criterion, score in zip(RUBRIC, [5, 4, 4, 3, 5], strict=True):
        page.get_by_label(f"{score}: {criterion.levels[score]}").check()
    page.get_by_label("Fundraising").check()
    page.get_by_label("Private notes").fill("Organised the tenants' union; ready to run.")
    page.get_by_label("Advance").check()
    page.get_by_label("Recommended next step").select_option(label="Match with a mentor")
    page.get_by_role("button", name="Log the call").click()
    page.get_by_text("Call logged: Advance.").wait_for()
    assert page.locator("#call-outcome").inner_text() == "Advance"

    # Imani has left the queue; the screener's hours went up.
    page.get_by_role("link", name="Screening queue").click()
    assert page.locator("#queue").get_by_role("cell", name="Wei", exact=True).is_visible()
    assert page.locator("#queue").get_by_text("Imani").count() == 0
    page.get_by_role("link", name="My screening", exact=True).click()
    assert page.locator("#hours-month").inner_text() == "40 min"
    assert page.locator("#calls-total").inner_text() == "1"

    imani.refresh_from_db()
    assert imani.stage == Stage.SCREENED
    assert ContactAttempt.objects.filter(candidate=imani).count() == 2
    assert ScheduledCall.objects.get(candidate=imani).status == ScheduledCall.Status.DONE
    call = ScreeningCall.objects.get(candidate=imani)
    assert (call.duration_minutes, call.total_score) == (40, 21)
