import pytest

from candidates.models import Candidate, CandidateImport, Note, Stage
from rfs.accounts.models import Role
from tests.browser.support import log_in
from tests.factories.accounts import UserFactory
from tests.factories.candidates import CandidateFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def lead(transactional_db):
    return UserFactory(email="lead@example.org", name="Lee Lead", role=Role.STAFF)


def test_staff_find_a_candidate_and_work_on_their_page(page, lead):
    CandidateFactory(first_name="Grace", last_name="Hopper", city="Arlington")
    ada = CandidateFactory(
        first_name="Ada",
        last_name="Lovelace<script>alert(1)</script>",
        email="ada.lovelace@example.org",
        city="Springfield",
        gender="Woman",
    )
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, lead.email)
    page.get_by_role("link", name="Candidates", exact=True).click()
    page.wait_for_url("**/candidates/")
    assert page.get_by_text("2 candidates").is_visible()

    # A partly typed email finds her; the other candidate is filtered out.
    page.get_by_label("Search").fill("ada.lovel")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/candidates/?q=ada.lovel*")
    assert page.get_by_text("1 candidate", exact=True).is_visible()
    assert page.get_by_role("link", name="Grace Hopper").count() == 0
    link = page.get_by_role("link", name="Ada Lovelace<script>alert(1)</script>")
    link.click()

    page.wait_for_url(f"**/candidates/{ada.uuid}/")
    assert page.get_by_role("heading", name="Personal data").is_visible()
    assert page.locator(".personal-data").get_by_text("Woman").is_visible()
    assert page.get_by_role("heading", name="Timeline").is_visible()

    page.get_by_role("textbox", name="Note").fill("Called her: keen on the school board.")
    page.get_by_role("button", name="Add note").click()
    page.wait_for_url(f"**/candidates/{ada.uuid}/")
    assert page.get_by_text("Note added.").is_visible()
    assert page.locator(".candidate-timeline").get_by_text("keen on the school board").is_visible()

    # A move the pipeline refuses is explained beside the field, and nothing changes.
    page.get_by_label("New stage").select_option(Stage.SCREENED.value)
    page.get_by_role("button", name="Change stage").click()
    assert page.get_by_text("This field is required.").is_visible()
    page.get_by_label("Reason").fill("Screened at the town hall")
    page.get_by_role("button", name="Change stage").click()
    page.wait_for_url(f"**/candidates/{ada.uuid}/")
    assert page.get_by_text("Moved to Screened.").is_visible()
    assert page.get_by_text("Moved from Signed up to Screened").is_visible()

    assert dialogs == []
    ada.refresh_from_db()
    assert ada.stage == Stage.SCREENED
    assert Note.objects.filter(candidate=ada).count() == 1


def test_list_on_a_phone_sized_window(page, lead):
    CandidateFactory(first_name="Ada", last_name="Lovelace")
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, lead.email)
    page.goto("/candidates/?q=ada")
    assert page.get_by_role("link", name="Ada Lovelace").is_visible()
    # The table scrolls inside its own box; the page itself does not scroll sideways.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def test_import_progress_bar_runs_to_the_end(page, lead, celery_worker, tmp_path, settings):
    settings.RFS_IMPORT_BATCH_ROWS = 2
    rows = [
        f"Person{n},Test,person{n}@example.org,(202) 555-01{n:02d},20001,DC,Washington,"
        f"1999,School board"
        for n in range(6)
    ]
    rows.append("Bad,Row,not-an-email,,20001,DC,Washington,1999,School board")
    path = tmp_path / "old-list.csv"
    path.write_text(
        "First name,Last name,Email,Phone,ZIP code,State,City,Birth year,Office level\n"
        + "\n".join(rows)
        + "\n"
    )
    log_in(page, lead.email)
    page.goto("/candidates/import/")
    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url("**/candidates/import/*/")
    assert page.get_by_role("cell", name="person0@example.org").is_visible()
    assert page.get_by_label("Email").input_value() == "2"
    page.get_by_role("button", name="Import 7 rows").click()

    # htmx polls the progress every second until the import is done.
    page.get_by_role("heading", name="Done").wait_for(timeout=30000)
    assert page.locator("#import-bar").get_attribute("value") == "7"
    assert page.locator(".import-imported").inner_text() == "6"
    assert page.locator(".import-rejected").inner_text() == "1"
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the 1 rejected row with reasons (CSV)").click()
    assert "not-an-email" in download.value.path().read_text(encoding="utf-8-sig")
    assert CandidateImport.objects.get().status == CandidateImport.Status.DONE
    assert Candidate.objects.filter(email__startswith="person").count() == 6
