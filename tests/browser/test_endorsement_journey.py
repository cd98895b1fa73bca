"""An endorsement from end to end in a real browser: a candidate applies from the portal,
staff assign an outside reviewer and vote, the reviewer votes, staff decide, and the public
page shows the candidate's own story (on a phone's width too)."""

import pytest
from django.contrib.auth.models import Permission

from endorsements.models import Application
from rfs.accounts.models import Role
from tests.browser.support import log_in
from tests.factories.accounts import UserFactory
from tests.factories.candidates import CandidateFactory
from tests.factories.endorsements import (
    ElectionFactory,
    EndorsementClassFactory,
    OfficeFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.browser


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/")


@pytest.fixture
def people(transactional_db):
    lead = UserFactory(email="lead@example.org", name="Lee Lead", role=Role.STAFF)
    lead.user_permissions.add(Permission.objects.get(codename="decide_application"))
    reviewer = UserFactory(email="rita@example.org", name="Rita Reviewer", role=Role.REVIEWER)
    user = UserFactory(email="vera@example.org", name="Vera Vance", role=Role.CANDIDATE)
    CandidateFactory(
        email=user.email,
        user=user,
        first_name="Vera",
        last_name="Vance",
        state="VA",
        stage="active",
    )
    return lead, reviewer, user


def test_apply_review_vote_decide_and_publish(page, people):
    lead, reviewer, candidate_user = people
    election = ElectionFactory()
    OfficeFactory(name="Virginia House of Delegates", district="District 49")
    QuestionFactory(
        endorsement_class=EndorsementClassFactory(name="Virginia primaries", elections=[election]),
        text="What will you change first?",
    )

    # The candidate applies from the portal.
    log_in(page, candidate_user.email)
    page.get_by_role("link", name="Endorsements").click()
    page.get_by_role("link", name="Apply for Virginia primaries").click()
    page.locator("#id_election").select_option(label=str(election))
    page.locator("#id_office").select_option(label="Virginia House of Delegates (District 49)")
    page.get_by_label("Where is your race?").select_option("qualified")
    page.get_by_label("How many times have you run for office before?").fill("0")
    page.get_by_label("Why you are running, in your own words").fill(
        "I teach here; our schools need me."
    )
    page.get_by_label("Campaign website").fill("https://vera.example.org")
    page.get_by_label("If endorsed, publish my name").check()
    page.get_by_label("What will you change first?").fill("Counsellors in every school.")
    page.get_by_role("button", name="Send my application").click()
    page.get_by_text("Your application is in.").wait_for()
    application = Application.objects.get()
    log_out(page)

    # Staff assign the outside reviewer and vote.
    log_in(page, lead.email)
    page.goto("/endorsements/applications/")
    page.get_by_role("link", name="Vera Vance").click()
    page.get_by_label("Rita Reviewer").check()
    page.get_by_role("button", name="Save reviewers").click()
    page.get_by_text("Reviewers saved.").wait_for()
    page.get_by_label("Endorse", exact=True).check()
    page.get_by_role("button", name="Save my vote").click()
    page.get_by_text("Your vote is saved").wait_for()
    log_out(page)

    # The reviewer lands on their applications and votes.
    log_in(page, reviewer.email)
    page.wait_for_url("**/endorsements/applications/")
    page.get_by_role("link", name="Vera Vance").click()
    assert page.get_by_text("Counsellors in every school.").is_visible()
    page.get_by_label("Endorse", exact=True).check()
    page.get_by_label("Comment").fill("A clear plan.")
    page.get_by_role("button", name="Save my vote").click()
    page.get_by_text("Your vote is saved").wait_for()
    assert application.votes.count() == 2
    log_out(page)

    # Staff decide.
    log_in(page, lead.email)
    page.goto(application.get_absolute_url())
    page.get_by_label("Endorsed", exact=True).check()
    page.get_by_label("Reason").fill("Unanimous.")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Decided: Endorsed.").wait_for()
    log_out(page)

    # The public page shows her own words, and fits a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/endorsements/")
    card = page.locator("article.endorsement", has_text="Vera Vance")
    assert "I teach here; our schools need me." in card.inner_text()
    assert "vera@example.org" not in page.content()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
