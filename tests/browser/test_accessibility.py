"""axe-core on every public page and on one page of each role, on a phone and on a desktop:
any violation of impact "serious" or "critical" fails, with its rule, help and elements."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import loader

from candidates.models import Candidate
from rfs.accounts.models import Role
from rfs.demo.logins import DEMO_PASSWORD
from tests.browser.support import log_in
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.endorsements import ApplicationFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SIZES = (PHONE, DESKTOP)
# axe-core comes from package-lock.json (a devDependency), never from a CDN.
AXE_SOURCE = (Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js").read_text()
FAILING_IMPACTS = ("serious", "critical")
# True once a stylesheet of the site has loaded with its rules (colour contrast depends on it).
STYLED = "() => [...document.styleSheets].some(s => s.href && s.cssRules.length > 0)"
TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"

PUBLIC_PAGES = [
    "/",
    "/signup/",
    "/signup/thanks/",
    "/privacy/",
    "/accounts/login/",
    "/accounts/login/code/",
    "/accounts/password/reset/",
    "/accounts/signup/",
    "/portal/login/",
    "/volunteer/",
    "/volunteer/thanks/",
    "/mentors/apply/",
    "/mentors/apply/thanks/",
    "/endorsements/",
    # Links from emails, here with a token that is not (or no longer) good.
    "/accounts/invitation/not-a-token/",
    "/signup/confirm/not-a-token/",
    "/signup/join/not-a-token/",
    "/trainings/join/not-a-token/",
    "/outbox/unsubscribe/not-a-token/",
    # The 404 page.
    "/no-such-page/",
]

# One page of each role, as the demo's logins see it (README: "Pages by role").
ROLE_PAGES = {
    "staff": ("staff@example.org", DEMO_PASSWORD, "/dashboard/"),
    "volunteer screener": ("screener@example.org", DEMO_PASSWORD, "/screening/"),
    "mentor": ("mentor@example.org", DEMO_PASSWORD, "/mentors/me/"),
    "partner": ("partner@example.org", DEMO_PASSWORD, "/partners/our/"),
    "outside endorsement reviewer": (
        "reviewer@example.org",
        DEMO_PASSWORD,
        "/endorsements/applications/",
    ),
    # The demo has no candidate login: the test gives one of its candidates one.
    "candidate": ("candidate@example.org", PASSWORD, "/portal/"),
}


def axe_violations(page) -> list[str]:
    """The serious and critical violations axe-core finds on the page as it is now, one
    readable line per rule with the elements it found."""
    # page.evaluate runs through the DevTools protocol, which the page's Content Security
    # Policy does not govern (an injected <script> would be refused as inline script).
    page.evaluate(AXE_SOURCE)
    violations = page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ")),
            }));
        }"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']}\n      " + "\n      ".join(v["nodes"])
        for v in violations
        if v["impact"] in FAILING_IMPACTS
    ]


def check(page, label: str, found: list[str]) -> None:
    """Run axe at both window sizes on the page already open, adding what it finds."""
    for size in SIZES:
        page.set_viewport_size(size)
        # Two frames: the page has had its resize event (scrolling boxes join the tab order).
        page.evaluate(TWO_FRAMES)
        found.extend(
            f"{label} at {size['width']}x{size['height']}: {line}" for line in axe_violations(page)
        )


def assert_none(found: list[str]) -> None:
    assert not found, "accessibility violations:\n" + "\n".join(found)


def submit_empty_signup(page) -> None:
    page.goto("/signup/")
    page.get_by_label("First name").fill("Zoë")
    page.get_by_label("ZIP code").fill("857")
    page.get_by_role("button", name="Send my details").click()
    page.get_by_text("Enter a 5-digit ZIP code, like 20001.").wait_for()


def test_public_pages_have_no_serious_violations(page, transactional_db):
    # Endorsed candidates for the public list (one without a story of their own).
    ApplicationFactory(status="endorsed", story="I teach here; our schools need me.")
    ApplicationFactory(status="endorsed", story="")
    found: list[str] = []
    for path in PUBLIC_PAGES:
        page.goto(path)
        check(page, path, found)
    # The forms again, sent back with their mistakes beside the fields.
    submit_empty_signup(page)
    check(page, "/signup/ with errors", found)
    for path in ("/volunteer/", "/mentors/apply/"):
        page.goto(path)
        page.get_by_role("button", name="Send my application").click()
        page.locator(".invalid-feedback").first.wait_for()
        check(page, f"{path} with errors", found)
    assert_none(found)


def serve(page, path: str, *, status: int, html: str, csp: str) -> None:
    """The browser gets `html` for `path`, as the server would send it, without asking it."""
    page.route(
        f"**{path}",
        lambda route: route.fulfill(
            status=status,
            body=html,
            headers={"content-type": "text/html; charset=utf-8", "content-security-policy": csp},
        ),
    )


def test_the_error_pages_have_no_serious_violations(page, transactional_db):
    """The 500 and 503 pages, rendered as rfs.views.server_error renders them (no request, no
    context), served to the browser at an address of the site with the site's own security
    policy, so its stylesheets and scripts load as they would after a real error."""
    csp = page.goto("/").headers["content-security-policy"]
    found: list[str] = []
    for status in (500, 503):
        html = loader.get_template(f"{status}.html").render()
        serve(page, f"/error-{status}/", status=status, html=html, csp=csp)
        assert page.goto(f"/error-{status}/").status == status
        assert page.evaluate(STYLED), f"{status}.html has no stylesheet"
        check(page, f"{status}.html", found)
    assert_none(found)


def test_one_page_of_each_role_has_no_serious_violations(browser, live_server, transactional_db):
    # The demo organisation, so every page has rows, charts and forms to check.
    call_command("seed_demo", stdout=io.StringIO())
    candidate = Candidate.objects.filter(mentorships__isnull=False).order_by("pk").first()
    candidate.user = UserFactory(email="candidate@example.org", role=Role.CANDIDATE)
    candidate.save(update_fields=["user"])
    found: list[str] = []
    for role, (email, password, path) in ROLE_PAGES.items():
        # A context of its own per role: one login each, no session carried over.
        context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
        page = context.new_page()
        log_in(page, email, password)
        page.wait_for_url(f"**{path}")
        check(page, f"{role} {path}", found)
        if role == "candidate":
            # The page a person meets where their role may not go.
            assert page.goto("/dashboard/").status == 403
            check(page, "candidate on /dashboard/ (403)", found)
        context.close()
    assert_none(found)


def test_a_failed_signup_puts_the_focus_on_the_first_mistake(page):
    # First name is filled: the first field with a mistake is the last name.
    submit_empty_signup(page)
    focused = page.evaluate(
        """() => [document.activeElement.id, document.activeElement.getAttribute("aria-invalid"),
                  document.activeElement.getAttribute("aria-describedby")]"""
    )
    first_invalid = page.locator("form [aria-invalid='true']").first.get_attribute("id")
    assert focused[:2] == [first_invalid, "true"] == ["id_last_name", "true"]
    # Its error message is what a screen reader reads with it, and it sits beside the field.
    error = page.locator(f"#{focused[2]}")
    assert error.inner_text() == "This field is required."
    assert page.locator("#div_id_last_name").locator(f"#{focused[2]}").count() == 1
