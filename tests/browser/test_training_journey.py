"""No next step is a dead end, in a real browser: a screener logs a call with "invite to a
training", the candidate registers from the portal, staff mark them attended, and the
dashboard's follow-through and trainings figures move."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from screening.models import RUBRIC
from screening.services import claims
from tests.browser.support import log_in
from tests.browser.test_portal_flow import log_out, wait_for_code
from tests.factories.screening import waiting_candidate
from tests.factories.trainings import SessionFactory, TrainingFactory
from trainings.models import Registration

pytestmark = pytest.mark.browser


def test_invited_on_a_call_registered_in_the_portal_marked_attended_counted(
    page, celery_worker, screener, staff
):
    training = TrainingFactory(topic="Fundraising 101")
    session = SessionFactory(
        training=training,
        starts_at=timezone.now() + timedelta(hours=5),
        link="https://meet.example.org/fundraising-101",
    )
    candidate = waiting_candidate(first_name="Rosa", last_name="Park", email="rosa@example.org")
    claims.claim_candidate(candidate=candidate, screener=screener)

    # The screener logs the call with "invite to a training".
    log_in(page, screener.email)
    page.goto(f"/screening/candidates/{candidate.uuid}/call/")
    page.get_by_label("Duration in minutes").fill("30")
    for criterion in RUBRIC:
        page.get_by_label(f"4: {criterion.levels[4]}").check()
    page.get_by_label("Advance").check()
    page.get_by_label("Recommended next step").select_option(label="Invite to a training")
    page.get_by_label("Training to invite them to").select_option(label="Fundraising 101")
    page.get_by_role("button", name="Log the call").click()
    page.get_by_text("Call logged: Advance.").wait_for()
    assert "acted on" in page.locator("#follow-up").inner_text()
    log_out(page)

    # The candidate registers from the portal; the link to join shows only then.
    page.goto("/portal/login/")
    page.get_by_label("The email you signed up with").fill("rosa@example.org")
    page.get_by_role("button", name="Email me a code").click()
    page.get_by_placeholder("Code").fill(wait_for_code("rosa@example.org"))
    page.get_by_role("button", name="Confirm").click()
    trainings_card = page.locator("section[aria-labelledby=trainings-heading]")
    trainings_card.get_by_text("Fundraising 101").wait_for()
    assert page.get_by_role("link", name="Join the session").count() == 0
    trainings_card.get_by_role("button", name="Register").click()
    page.get_by_text("You are registered").first.wait_for()
    assert page.get_by_role("link", name="Join the session").is_visible()
    log_out(page)

    # Staff mark attendance; the dashboard counts the registration and the attendance.
    log_in(page, staff.email)
    page.goto(f"/trainings/sessions/{session.uuid}/")
    page.get_by_role("button", name="Attended").click()
    page.get_by_text("marked present").wait_for()
    assert Registration.objects.get(candidate=candidate).attended is True
    # The dashboard's days are the organisation's.
    today = timezone.now().astimezone(ZoneInfo(settings.RFS_TIME_ZONE)).date()
    page.goto(
        f"/dashboard/?period=custom&start={today - timedelta(days=1):%Y-%m-%d}"
        f"&end={today + timedelta(days=1):%Y-%m-%d}"
    )
    row = page.locator("#trainings-table tbody tr", has_text="Fundraising 101")
    assert row.locator("td").all_inner_texts() == ["1", "1", "0", "1"]
    assert "100% of 1" in page.locator("#follow_through-table").inner_text()
