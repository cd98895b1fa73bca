import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from candidates.models import Candidate, CandidateImport, Source, Submission
from candidates.services.imports import create_import, run_import_batch
from rfs.accounts.models import SecurityEvent
from tests.factories.candidates import CandidateFactory
from tests.support.waiting import wait_for

UPLOAD = "/candidates/import/"
YEAR = timezone.now().year + 1
HEADER = (
    "First Name,Last Name,E-mail,Mobile,ZIP,State,City,Year of birth,Level,Office,"
    "Election year,How did you hear about us?,Help needed"
)


def line(first, last, email, phone="", zip_code="20001", state="DC", city="Washington"):
    return (
        f"{first},{last},{email},{phone},{zip_code},{state},{city},1999,School board,"
        f'Ward 1 School Board,{YEAR},Press,"Fundraising; Policy"'
    )


def the_file() -> str:
    """Good, duplicate and bad rows: 4 new people, 3 rows matching people already known,
    4 rows rejected, 11 rows in all (the blank line is not a row)."""
    rows = [
        line("Ada", "Lovelace", "ada@example.org", "(202) 555-0101"),
        line("Zoë", "Ñúñez-O'Brien", "zoe@example.org", "202-555-0102", state="Illinois"),
        line("李", "小龙", "li@example.org", "", city="Oakland", state="CA"),
        # The same person as the first row, typed differently: matched, not duplicated.
        line("Ada", "Lovelace", "  ADA@Example.ORG ", "2025550101"),
        # Someone the organisation already knows (by phone).
        line("Grace", "Hopper", "grace.new@example.org", "(202) 555-0199"),
        "",
        # The email of one known person and the phone of another: waits for merge review.
        line("Kit", "Known", "known@example.org", "(202) 555-0102"),
        line("Bad", "Email", "not-an-email"),
        line('=HYPERLINK("http://evil")', "Zip", "zip@example.org", zip_code="123"),
        line("Bad", "State", "state@example.org", state="Narnia"),
        line("No", "", "nolast@example.org"),
        line("Sam", "Formula", "sam@example.org", city="=1+1"),
    ]
    return "\n".join([HEADER, *rows]) + "\n"


def upload(client, content: bytes, name: str = "old-signups.csv"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content, "text/csv")})


def mapping_post(response) -> dict:
    form = response.context["form"]
    return {name: field.initial for name, field in form.fields.items()}


# --- Upload ---------------------------------------------------------------------


def test_upload_keeps_the_file_and_asks_for_the_mapping(client_for, staff, db):
    response = upload(client_for(staff), the_file().encode())
    job = CandidateImport.objects.get()
    assert response.status_code == 302
    assert response.url == job.get_absolute_url()
    assert (job.status, job.total_rows, job.by, job.file_name) == (
        CandidateImport.Status.MAPPING,
        11,
        staff,
        "old-signups.csv",
    )
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.IMPORT)
    assert (event.actor, event.subject_id) == (staff, job.uuid)


def test_mapping_page_previews_rows_and_guesses_columns(client_for, staff, db):
    client = client_for(staff)
    upload(client, the_file().encode())
    response = client.get(CandidateImport.objects.get().get_absolute_url())
    assert response.status_code == 200
    assert response.context["header"][:3] == ["First Name", "Last Name", "E-mail"]
    assert len(response.context["preview"]) == 5
    assert response.context["preview"][1][1] == "Ñúñez-O'Brien"
    guessed = {name: value for name, value in mapping_post(response).items() if value != ""}
    assert guessed == {
        "first_name": "0",
        "last_name": "1",
        "email": "2",
        "phone": "3",
        "zip_code": "4",
        "state": "5",
        "city": "6",
        "birth_year": "7",
        "office_level": "8",
        "office": "9",
        "election_year": "10",
        "source": "11",
        "needs": "12",
    }
    html = response.content.decode()
    assert "Ñúñez-O&#x27;Brien" in html
    assert "style=" not in html


def test_file_over_the_size_limit_gets_a_clear_message(client_for, staff, db, settings):
    settings.RFS_IMPORT_MAX_BYTES = 1024
    response = upload(client_for(staff), the_file().encode() * 2)
    assert response.status_code == 200
    error = response.context["form"].errors["file"][0]
    assert "the limit is 1.0\xa0KB" in error
    assert not CandidateImport.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"First name,Email\n", "no rows to import"),
        (b",,\nAda,x,y\n", "must name the columns"),
        ("First name,Email\nAda,a@example.org\n".encode("utf-16"), "Save it as “CSV UTF-8”"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(client_for, staff, db, content, message):
    response = upload(client_for(staff), content)
    assert message in response.context["form"].errors["file"][0]
    assert not CandidateImport.objects.exists()


def test_empty_file_is_refused(client_for, staff, db):
    response = upload(client_for(staff), b"")
    assert response.context["form"].errors["file"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "latin-1", "cp1252"])
def test_encodings_are_detected(client_for, staff, db, encoding):
    text = "First name,Last name,Email\nZoë,Ñúñez,zoe@example.org\n"
    upload(client_for(staff), text.encode(encoding))
    job = CandidateImport.objects.get()
    assert job.content.startswith("First name,")  # no byte order mark left in the name
    assert "Zoë,Ñúñez" in job.content


def test_windows_files_keep_their_curly_apostrophes(client_for, staff, db):
    name = "Sinéad O\u2019Brien"  # a curly apostrophe, byte 0x92 in Windows-1252
    upload(client_for(staff), f"Name,Email\n{name},s@example.org\n".encode("cp1252"))
    assert name in CandidateImport.objects.get().content


def test_semicolon_separated_files_are_read(client_for, staff, db):
    client = client_for(staff)
    upload(client, b"First name;Last name;Email\nAda;Lovelace;ada@example.org\n")
    response = client.get(CandidateImport.objects.get().get_absolute_url())
    assert response.context["header"] == ["First name", "Last name", "Email"]
    assert response.context["preview"] == [["Ada", "Lovelace", "ada@example.org"]]


def test_mapping_needs_the_email_column_and_one_field_per_column(client_for, staff, db):
    client = client_for(staff)
    upload(client, the_file().encode())
    job = CandidateImport.objects.get()
    data = mapping_post(client.get(job.get_absolute_url()))
    response = client.post(job.get_absolute_url(), {**data, "email": ""})
    assert response.context["form"].errors["email"]
    response = client.post(job.get_absolute_url(), {**data, "city": "0"})
    assert "Each column can fill one field only." in response.content.decode()
    job.refresh_from_db()
    assert job.status == CandidateImport.Status.MAPPING


# --- The run, on a real worker ------------------------------------------------------


def test_import_counts_every_row_with_a_real_worker(client_for, staff, celery_worker, settings):
    settings.RFS_IMPORT_BATCH_ROWS = 3  # several batches, each queued by the one before
    grace = CandidateFactory(email="grace@example.org", phone="+12025550199", first_name="Grace")
    CandidateFactory(email="known@example.org", phone="+12025550188", first_name="Kit")
    client = client_for(staff)
    upload(client, the_file().encode())
    job = CandidateImport.objects.get()
    response = client.post(job.get_absolute_url(), mapping_post(client.get(job.get_absolute_url())))
    assert response.status_code == 302

    wait_for(lambda: CandidateImport.objects.get(pk=job.pk).status == "done", seconds=60)
    job.refresh_from_db()
    assert (job.total_rows, job.processed_rows) == (11, 11)
    assert (job.imported, job.merged, job.rejected) == (4, 3, 4)
    assert job.imported + job.merged + job.rejected == job.total_rows
    assert job.error == ""

    # The people: three new from the file plus the formula row, nobody duplicated.
    ada = Candidate.objects.get(email="ada@example.org")
    assert str(ada.phone) == "+12025550101"
    assert ada.source == Source.PRESS
    assert Candidate.objects.get(email="li@example.org").phone is None
    assert Candidate.objects.get(email="sam@example.org").city == "=1+1"
    assert Candidate.objects.filter(email="zoe@example.org", state="IL").exists()
    assert Candidate.objects.count() == 2 + 4
    grace.refresh_from_db()
    assert grace.email == "grace.new@example.org"  # matched by phone and updated, not doubled
    review = Submission.objects.get(outcome=Submission.Outcome.MERGE_REVIEW)
    assert review.channel == Submission.Channel.IMPORT
    assert review.payload["import"] == str(job.uuid)
    assert Submission.objects.filter(channel=Submission.Channel.IMPORT).count() == 7

    # The report: every rejected row, its reason and its values, formulas neutralised.
    report = client.get(f"{job.get_absolute_url()}rejected.csv")
    text = b"".join(report.streaming_content).decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Row", "Reason", "First Name", "Last Name"]
    by_row = {row[0]: row for row in rows[1:]}
    assert sorted(by_row, key=int) == ["9", "10", "11", "12"]
    assert "valid email" in by_row["9"][1]
    assert "ZIP" in by_row["10"][1]
    assert by_row["10"][2] == '\'=HYPERLINK("http://evil")'
    assert "State" in by_row["11"][1]
    assert "Last name" in by_row["12"][1]

    # The finished page stops polling and offers the report.
    partial = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert "hx-trigger" not in html
    assert "rejected.csv" in html
    assert '<progress id="import-bar"' in html
    assert 'value="11"' in html

    # Running the task again changes nothing.
    assert run_import_batch(import_id=job.pk, start=0) is None
    assert run_import_batch(import_id=job.pk, start=9) is None
    job.refresh_from_db()
    assert (job.imported, job.merged, job.rejected) == (4, 3, 4)


# --- The run, step by step ---------------------------------------------------------


def queued_import(staff, text: str) -> CandidateImport:
    job = create_import(by=staff, file_name="list.csv", text=text)
    CandidateImport.objects.filter(pk=job.pk).update(
        status=CandidateImport.Status.QUEUED,
        mapping={"first_name": 0, "last_name": 1, "email": 2, "zip_code": 3, "state": 4,
                 "city": 5, "office_level": 6},
    )  # fmt: skip
    return job


def test_a_batch_runs_once_however_often_its_task_arrives(staff, db, settings):
    settings.RFS_IMPORT_BATCH_ROWS = 2
    job = queued_import(
        staff,
        "First,Last,Email,Zip,State,City,Level\n"
        + "".join(f"P{n},Q,p{n}@example.org,20001,DC,Washington,Other\n" for n in range(5)),
    )
    assert run_import_batch(import_id=job.pk, start=0) == 2
    # A second delivery of the same task: its batch is done, so it does nothing.
    assert run_import_batch(import_id=job.pk, start=0) is None
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.imported) == ("running", 2, 2)
    assert run_import_batch(import_id=job.pk, start=2) == 4
    assert run_import_batch(import_id=job.pk, start=4) is None
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.imported, job.rejected) == ("done", 5, 5, 0)
    assert job.finished_at is not None
    assert Candidate.objects.count() == 5


def test_an_import_still_waiting_for_its_mapping_is_not_run(staff, db):
    job = create_import(by=staff, file_name="list.csv", text="Email\na@example.org\n")
    assert run_import_batch(import_id=job.pk) is None
    job.refresh_from_db()
    assert (job.status, job.processed_rows) == ("mapping", 0)


def test_progress_polls_every_second_while_running(client_for, staff, db):
    job = queued_import(staff, "First,Last,Email\nA,B,a@example.org\n")
    client = client_for(staff)
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert f'hx-get="{job.get_absolute_url()}"' in page
    assert "<script>" not in page.split("<main", 1)[1]
    assert "style=" not in page
    partial = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in partial.content.decode()
    assert "<html" not in partial.content.decode()


def test_posting_a_mapping_twice_starts_one_run(
    client_for, staff, db, django_capture_on_commit_callbacks
):
    client = client_for(staff)
    upload(client, the_file().encode())
    job = CandidateImport.objects.get()
    data = mapping_post(client.get(job.get_absolute_url()))
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(job.get_absolute_url(), data)
        client.post(job.get_absolute_url(), data)
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == CandidateImport.Status.QUEUED
    assert job.mapping["email"] == 2


def _use_broker(app, url: str) -> None:
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


def test_an_import_started_while_the_broker_is_down_goes_on_later(client_for, staff, celery_worker):
    from candidates.tasks import resume_imports
    from rfs.celery import app

    client = client_for(staff)
    upload(client, the_file().encode())
    job = CandidateImport.objects.get()
    data = mapping_post(client.get(job.get_absolute_url()))
    real_broker = app.conf.broker_url
    _use_broker(app, "redis://127.0.0.1:9/0")  # nothing listens there
    try:
        response = client.post(job.get_absolute_url(), data)
    finally:
        _use_broker(app, real_broker)
    # The page worked and the import waits, queued, for the sweep.
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == CandidateImport.Status.QUEUED
    assert resume_imports() == 1
    wait_for(lambda: CandidateImport.objects.get(pk=job.pk).status == "done", seconds=60)
    job.refresh_from_db()
    assert job.imported + job.merged + job.rejected == job.total_rows == 11
