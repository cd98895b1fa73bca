import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from candidates.models import CandidateExport, CandidateImport, Note, Stage
from candidates.services.imports import create_import
from tests.factories.candidates import CandidateFactory


@pytest.fixture
def pages(db, staff):
    """Every staff candidate page: (method, url, data)."""
    candidate = CandidateFactory()
    job = create_import(by=staff, file_name="list.csv", text="Email\na@example.org\n")
    return {
        "list": ("get", "/candidates/", {}),
        "search": ("get", "/candidates/", {"q": "a"}),
        "detail": ("get", f"/candidates/{candidate.uuid}/", {}),
        "note": ("post", f"/candidates/{candidate.uuid}/notes/", {"body": "Hello"}),
        "stage": (
            "post",
            f"/candidates/{candidate.uuid}/stage/",
            {"to": Stage.SCREENED, "reason": "Call done"},
        ),
        "export": ("post", "/candidates/export.csv", {}),
        "import_upload": ("get", "/candidates/import/", {}),
        "import": ("get", f"/candidates/import/{job.uuid}/", {}),
        "import_report": ("get", f"/candidates/import/{job.uuid}/rejected.csv", {}),
    }


PAGE_NAMES = [
    "list",
    "search",
    "detail",
    "note",
    "stage",
    "export",
    "import_upload",
    "import",
    "import_report",
]


@pytest.mark.parametrize("name", PAGE_NAMES)
@pytest.mark.parametrize("persona", ["screener", "mentor", "outsider"])
def test_other_roles_get_403(request, client_for, pages, name, persona):
    method, url, data = pages[name]
    user = request.getfixturevalue(persona)
    response = getattr(client_for(user), method)(url, data)
    assert response.status_code == 403
    assert not Note.objects.exists()
    assert not CandidateExport.objects.exists()


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_anonymous_visitors_are_sent_to_log_in(client, pages, name):
    method, url, data = pages[name]
    response = getattr(client, method)(url, data)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_staff_may_use_every_page(client_for, staff, pages, name):
    method, url, data = pages[name]
    response = getattr(client_for(staff), method)(url, data)
    # Actions redirect; the export is a POST that answers with the file.
    assert response.status_code == (302 if method == "post" and name != "export" else 200)


def test_screener_holding_the_candidate_still_gets_403(client_for, screener, db):
    candidate = CandidateFactory(owner=screener)
    assert client_for(screener).get(f"/candidates/{candidate.uuid}/").status_code == 403


def test_the_import_upload_takes_no_file_from_other_roles(client_for, screener, db):
    before = CandidateImport.objects.count()
    response = client_for(screener).post(
        "/candidates/import/",
        {"file": SimpleUploadedFile("a.csv", b"Email\na@example.org\n", "text/csv")},
    )
    assert response.status_code == 403
    assert CandidateImport.objects.count() == before
