import pytest

from rfs.accounts.models import Role
from tests.browser.support import log_in
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.browser


def test_staff_logs_in_and_lands_on_the_dashboard(page):
    UserFactory(email="lead@example.org", role=Role.STAFF, is_staff=True)
    log_in(page, "lead@example.org")
    page.wait_for_url("**/dashboard/")
    assert page.get_by_role("heading", name="Dashboard").is_visible()
    # Bootstrap's CSS and JS come from our own origin: the page is styled.
    navbar = page.locator("nav.navbar")
    navbar_colour = navbar.evaluate("el => getComputedStyle(el).backgroundColor")
    assert navbar_colour != "rgba(0, 0, 0, 0)"


def test_navigation_folds_into_a_menu_on_a_phone(page):
    UserFactory(email="vol@example.org", role=Role.SCREENER)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "vol@example.org")
    page.wait_for_url("**/screening/")
    link = page.get_by_role("link", name="Screening queue")
    assert not link.is_visible()
    page.get_by_role("button", name="Show navigation").click()
    link.wait_for(state="visible")


def test_wrong_password_keeps_the_email_and_says_why(page):
    UserFactory(email="kept@example.org", role=Role.MENTOR)
    log_in(page, "kept@example.org", "wrong password")
    assert page.get_by_label("Email").input_value() == "kept@example.org"
    assert page.get_by_text("not correct").is_visible()


def test_someone_in_two_roles_chooses_where_to_go(page):
    UserFactory(email="dana@example.org", roles=[Role.STAFF, Role.MENTOR])
    log_in(page, "dana@example.org")
    page.wait_for_url("**/places/")
    assert page.get_by_role("heading", name="Staff").is_visible()
    assert page.get_by_role("heading", name="Mentor").is_visible()
    page.locator("#places").get_by_role("link", name="My mentees").click()
    page.wait_for_url("**/mentors/me/")
