"""A volunteer's way in, in a real browser and with no one touching the admin: apply at
/volunteer/, staff approve, the invitation email's link sets a password, the guide and the
agreement, and the first claim from the queue."""

import re
import time
from datetime import timedelta

import pytest
from django.core import mail

from rfs.demo.logins import DEMO_PASSWORD, seed_users
from screening.models import Claim
from tests.browser.support import log_in
from tests.factories.screening import waiting_candidate

pytestmark = pytest.mark.browser

PASSWORD = "my own long passphrase 2026"


def wait_for_link(email: str, seconds: float = 20) -> str:
    """The invitation link's path from the email a real Celery worker delivered."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for message in mail.outbox:
            if message.to == [email] and (
                found := re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", message.body)
            ):
                return found.group(1)
        time.sleep(0.2)
    raise AssertionError(f"no invitation reached {email}")


def test_apply_approve_set_password_onboard_and_claim(page, celery_worker):
    seed_users()  # staff, and the screening guide and agreement staff wrote
    waiting_candidate(first_name="Imani", last_name="Okafor", signed_up_ago=timedelta(days=2))

    # Apply in public.
    page.goto("/volunteer/")
    page.get_by_label("Your name").fill("Priya Raman")
    page.get_by_label("Email").fill("priya@example.com")
    page.get_by_label("Phone").fill("(404) 555-0101")
    page.get_by_label("State").select_option("GA")
    page.get_by_label("Time zone").select_option(label="Eastern")
    page.get_by_label("Hours a week you can give").fill("4")
    page.get_by_label("Languages you speak").fill("English, Tamil")
    page.get_by_label("Your experience").fill("Phone banked for two council races.")
    page.get_by_role("button", name="Send my application").click()
    page.get_by_role("heading", name="Thank you for offering to help").wait_for()

    # Staff approve from the review queue.
    log_in(page, "staff@example.org", DEMO_PASSWORD)
    page.get_by_role("link", name="Volunteers", exact=True).click()
    page.get_by_role("link", name="Priya Raman").click()
    page.get_by_role("button", name="Approve and invite").click()
    page.get_by_text("an invitation is on its way").wait_for()
    page.get_by_role("button", name="Log out").click()

    # The link in the delivered email sets the password, once.
    link = wait_for_link("priya@example.com")
    page.goto(link)
    page.locator("#id_new_password1").fill(PASSWORD)
    page.get_by_label("New password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Set my password").click()
    page.get_by_text("Your password is set").wait_for()

    # The queue waits for the guide and the agreement.
    log_in(page, "priya@example.com", PASSWORD)
    page.get_by_role("heading", name="Getting started").wait_for()
    page.get_by_role("link", name="Read the guide").click()
    page.get_by_role("heading", name="The screening guide").wait_for()
    page.get_by_role("button", name="I have read the guide").click()
    page.get_by_role("link", name="Read and accept the agreement").click()
    page.get_by_role("button", name="I accept this agreement").click()
    page.get_by_text("You are ready").wait_for()
    page.get_by_role("link", name="Start").click()

    # And the first claim.
    page.get_by_role("button", name="Claim next").click()
    page.get_by_role("heading", name="Imani Okafor").wait_for()
    assert Claim.objects.get().screener.email == "priya@example.com"

    # The link was spent.
    page.goto(link)
    page.get_by_role("heading", name="This link no longer works").wait_for()
