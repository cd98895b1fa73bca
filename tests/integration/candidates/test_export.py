import csv
import io
import re

import pytest
from django.http import StreamingHttpResponse

from candidates.csv_files import neutralise
from candidates.models import Candidate, CandidateExport, Stage
from candidates.services.records import export_csv, record_export
from tests.factories.candidates import CandidateFactory

EXPORT = "/candidates/export.csv"


def read(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1 555", "'+1 555"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        ("Ada", "Ada"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (2027, "2027"),
    ],
)
def test_formula_like_cells_are_neutralised(value, expected):
    assert neutralise(value) == expected


def test_export_streams_the_filtered_list_and_is_recorded(client_for, staff, db):
    CandidateFactory(first_name="Ada", state="IL", stage=Stage.SCREENING)
    CandidateFactory(first_name="Grace", state="VA")
    response = client_for(staff).post(EXPORT, {"state": "IL", "sort": "name"})
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="candidates-')
    # Recorded before the first row leaves, with who and which filters.
    export = CandidateExport.objects.get()
    assert export.by == staff
    assert export.filters == {"state": "IL", "sort": "name"}
    rows = read(response)
    assert rows[0][:3] == ["ID", "First name", "Last name"]
    assert [row[1] for row in rows[1:]] == ["Ada"]
    assert rows[1][rows[0].index("Stage")] == "Screening"
    # The row count is saved when the stream ends.
    export.refresh_from_db()
    assert export.rows == 1


def test_exported_cells_cannot_run_as_formulas(client_for, staff, db):
    CandidateFactory(
        first_name="=cmd|' /C calc'!A0",
        last_name="@SUM(1+1)",
        city="-10+20",
        office="\t=1+1",
        phone="+12025550123",
    )
    rows = read(client_for(staff).post(EXPORT))
    header, row = rows[0], rows[1]
    record = dict(zip(header, row, strict=True))
    assert record["First name"] == "'=cmd|' /C calc'!A0"
    assert record["Last name"] == "'@SUM(1+1)"
    assert record["City"] == "'-10+20"
    assert record["Office"] == "'\t=1+1"
    assert record["Phone"] == "'+12025550123"
    for cell in row:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_export_leaves_out_demographics(client_for, staff, db):
    CandidateFactory(gender="Non-binary", race_ethnicity="Latina")
    rows = read(client_for(staff).post(EXPORT))
    assert "Non-binary" not in rows[1]
    assert "Latina" not in rows[1]


def test_every_row_is_exported_in_chunks(client_for, staff, db):
    CandidateFactory.create_batch(7)
    rows = read(client_for(staff).post(EXPORT))
    assert len(rows) == 8
    assert CandidateExport.objects.get().rows == 7


def test_an_export_cut_off_still_records_what_left(staff, db, settings):
    CandidateFactory.create_batch(3)
    export = record_export(by=staff, filters={})
    stream = export_csv(export=export, queryset=Candidate.objects.all())
    assert next(stream) == "\ufeff"  # the byte order mark: no row has left yet
    stream.close()  # the browser went away; the server closes the response
    export.refresh_from_db()
    assert export.rows == 0


def test_export_with_a_bad_filter_is_refused(client_for, staff, db):
    CandidateFactory()
    response = client_for(staff).post(EXPORT, {"stage": "mayor"})
    assert response.status_code == 302
    assert response.url == "/candidates/?stage=mayor"
    assert not CandidateExport.objects.exists()


def test_export_answers_only_a_post(client_for, staff, db):
    # A GET would put the filters (a name, an email) in access logs and browser history,
    # and a link could start an export of personal data.
    response = client_for(staff).get(EXPORT, {"q": "ada"})
    assert response.status_code == 405
    assert not CandidateExport.objects.exists()


def test_export_needs_the_csrf_token(staff, db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert client.post(EXPORT, {"state": "IL"}).status_code == 403
    assert not CandidateExport.objects.exists()


def test_list_offers_the_export_of_its_filters_as_a_form(client_for, staff, db):
    html = client_for(staff).get("/candidates/", {"state": "IL", "q": "ada", "page": "2"})
    html = html.content.decode()
    form = re.search(r'<form method="post"\s+action="/candidates/export.csv".*?</form>', html, re.S)
    assert form is not None
    assert 'name="csrfmiddlewaretoken"' in form.group()
    assert '<input type="hidden" name="state" value="IL">' in form.group()
    assert '<input type="hidden" name="q" value="ada">' in form.group()
    assert 'name="page"' not in form.group()
    assert "export.csv?" not in html
