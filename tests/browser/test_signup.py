import pytest
from django.utils import timezone

from candidates.models import Candidate, Submission
from candidates.services import intake
from rfs.accounts.models import Role
from tests.browser.support import log_in
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def fill_signup(page, *, first: str, last: str, email: str, phone: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Sign up to run").click()
    page.wait_for_url("**/signup/")
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Year you were born").fill(str(timezone.localdate().year - 24))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mobile phone").fill(phone)
    page.get_by_label("City or town").fill("Tucson")
    page.get_by_label("State").select_option("AZ")
    page.get_by_label("ZIP code").fill("85701")
    page.get_by_label("Which kind of office").select_option("school_board")
    page.get_by_label("The office, in your words").fill("Tucson Unified School Board")
    page.get_by_label("Fundraising").check()
    page.get_by_label("I agree to be contacted").check()
    page.get_by_role("button", name="Send my details").click()


def fits_the_window(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.mark.parametrize(
    ("size", "first", "last", "email", "phone"),
    [
        (PHONE, "Zoë", "Okafor-Ramírez", "zoe@example.org", "(520) 555-0101"),
        (DESKTOP, "Marisol", "Nguyen", "MARISOL@example.org", "520.555.0102"),
    ],
    ids=["phone", "desktop"],
)
def test_person_signs_up_and_staff_find_them_by_search(page, size, first, last, email, phone):
    page.set_viewport_size(size)
    page.goto("/signup/")
    assert fits_the_window(page)
    # The honeypot is placed out of sight by the stylesheet: people never fill it.
    honeypot = page.get_by_label("Leave this field empty")
    assert honeypot.evaluate("el => el.getBoundingClientRect().right <= 0")

    fill_signup(page, first=first, last=last, email=email, phone=phone)
    page.wait_for_url("**/signup/thanks/")
    assert page.get_by_role("heading", name="Thank you").is_visible()
    assert page.get_by_text("A volunteer calls you within about three days").is_visible()
    assert fits_the_window(page)
    # The post waits for a worker (as a worker would, moments later).
    assert intake.resolve_waiting_signups() == 1
    candidate = Candidate.objects.get()
    assert (candidate.first_name, candidate.email) == (first, email.lower())
    assert Submission.objects.get().outcome == Submission.Outcome.CREATED

    UserFactory(email="lead@example.org", role=Role.STAFF, is_staff=True)
    log_in(page, "lead@example.org")
    page.wait_for_url("**/dashboard/")
    page.goto(f"/candidates/?q={last}")
    assert page.get_by_role("link", name=f"{first} {last}").first.is_visible()


def test_mistakes_are_shown_beside_the_fields_and_nothing_typed_is_lost(page):
    page.set_viewport_size(PHONE)
    page.goto("/signup/")
    page.get_by_label("First name").fill("Zoë")
    page.get_by_label("ZIP code").fill("857")
    page.get_by_label("Mobile phone").fill("555")
    page.get_by_role("button", name="Send my details").click()
    assert page.get_by_text("Enter a 5-digit ZIP code, like 20001.").is_visible()
    assert page.get_by_text("Enter a valid phone number").is_visible()
    assert page.get_by_label("First name").input_value() == "Zoë"
    assert page.get_by_label("ZIP code").input_value() == "857"
    assert not Candidate.objects.exists()
