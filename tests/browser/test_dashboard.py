import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from candidates.models import Candidate
from rfs.demo.logins import DEMO_PASSWORD
from tests.browser.support import log_in

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def test_staff_read_the_dashboard_change_it_and_follow_a_state(page, transactional_db):
    # The demo organisation, grown with a synthetic year so every chart has something to say.
    call_command("seed_demo", candidates=1500, stdout=io.StringIO())
    log_in(page, "staff@example.org", DEMO_PASSWORD)
    page.goto("/dashboard/")
    assert page.get_by_role("heading", name="Pipeline dashboard").is_visible()
    funnel = "Funnel: candidates who reached each stage in the period"
    assert page.get_by_role("group", name=funnel).is_visible()
    assert "30 days" in page.locator("#period-label").inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "dashboard.png", full_page=True)

    # A longer period: the form applies itself on change.
    page.get_by_label("Period", exact=True).select_option("90")
    page.wait_for_url("**/dashboard/?*period=90*")
    assert "90 days" in page.locator("#period-label").inner_text()

    # A filter narrows every figure.
    signups_before = page.locator("#kpi-signups .kpi-value").inner_text()
    page.get_by_label("Office level", exact=True).select_option("school_board")
    page.wait_for_url("**office_level=school_board*")
    assert "filtered" in page.locator("#period-label").inner_text()
    assert page.locator("#kpi-signups .kpi-value").inner_text() != signups_before

    # A square of the map opens the candidate list for that state (with the same filter).
    busiest = (
        Candidate.objects.filter(office_level="school_board")
        .values_list("state", flat=True)
        .order_by("state")
        .first()
    )
    page.locator(f'svg.chart-map a[data-state="{busiest}"]').click()
    page.wait_for_url(f"**/candidates/?*state={busiest}*")
    assert page.get_by_role("heading", name="Candidates").is_visible()
    assert page.get_by_label("State", exact=True).input_value() == busiest
    assert page.get_by_label("Office level", exact=True).input_value() == "school_board"


def test_the_dashboard_reads_on_a_phone(browser, live_server, transactional_db):
    call_command("seed_demo", candidates=300, stdout=io.StringIO())
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, device_scale_factor=2
    )
    page = context.new_page()
    log_in(page, "staff@example.org", DEMO_PASSWORD)
    page.goto("/dashboard/")
    # Nothing is wider than the screen: the charts scale down with it.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "dashboard-phone.png", full_page=True)
    context.close()
