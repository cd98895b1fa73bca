"""The ask-answer-measure loop in a real browser: a candidate logs in by emailed code and
asks a question, their mentor answers it, and staff see the response time."""

import re
import time

import pytest
from django.core import mail

from candidates.models import HelpRequest
from tests.browser.support import log_in
from tests.factories.candidates import CandidateFactory
from tests.factories.mentors import MentorFactory, MentorshipFactory


def wait_for_code(email: str, seconds: float = 20) -> str:
    """The sign-in code from the email a real Celery worker delivered (locmem backend)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for message in mail.outbox:
            if message.to == [email] and (found := re.search(r"window\.\s+(\S+)", message.body)):
                return found.group(1)
        time.sleep(0.2)
    raise AssertionError(f"no sign-in code reached {email}")


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/")


@pytest.mark.browser
def test_candidate_asks_mentor_answers_staff_see_the_response_time(
    page, celery_worker, mentor, staff
):
    candidate = CandidateFactory(
        first_name="Ada", last_name="Lovelace", email="ada@example.org", stage="screened"
    )
    profile = MentorFactory(user=mentor, name=mentor.name, email=mentor.email)
    MentorshipFactory(candidate=candidate, mentor=profile)

    # The candidate has no login yet: asking for a code makes it.
    page.goto("/portal/login/")
    page.get_by_label("The email you signed up with").fill("ada@example.org")
    page.get_by_role("button", name="Email me a code").click()
    page.get_by_placeholder("Code").fill(wait_for_code("ada@example.org"))
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Welcome, Ada").wait_for()
    assert page.get_by_text("Mia Mentor").is_visible()

    page.get_by_role("link", name="Ask for help").first.click()
    page.get_by_label("What is it about?").select_option("fundraising")
    page.get_by_label("Your question in a few words").fill("First fundraiser")
    page.get_by_label("Tell us more").fill("How much should I ask my friends for?")
    page.get_by_role("button", name="Send my question").click()
    page.get_by_role("heading", name="First fundraiser").wait_for()
    question = HelpRequest.objects.get(candidate=candidate, kind="question")
    assert question.owner == mentor
    log_out(page)

    log_in(page, mentor.email)
    page.goto("/mentors/me/")
    page.get_by_role("link", name="First fundraiser").click()
    page.get_by_label("Your reply").fill("Start with $50 each from ten friends.")
    page.get_by_role("button", name="Send", exact=True).click()
    page.get_by_text("Your reply is sent.").wait_for()
    question.refresh_from_db()
    assert question.first_response_at is not None
    log_out(page)

    log_in(page, staff.email)
    page.goto("/requests/")
    row = page.locator("table.response-times tbody tr", has_text="Question")
    assert re.search(r"\d+\.\d h", row.inner_text())
    assert "Mia Mentor" in page.locator("table.owner-response-times").inner_text()
