"""What an import keeps, and for how long: the file goes when the import ends, rejected rows
after a set time; each batch reads only its own rows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from candidates.csv_files import header_end, read_rows
from candidates.models import CandidateImport, ImportRejection, Submission
from candidates.services.imports import (
    create_import,
    purge_rejections,
    rejection_report,
    run_import_batch,
)
from candidates.services.intake import resolve_submission
from tests.factories.candidates import CandidateFactory

pytestmark = pytest.mark.django_db
FILE = (
    "First,Last,Email,Zip,State,City,Level\n"
    'Ada,Lovelace,ada@example.org,20001,DC,"Washing\nton",Other\n'
    "\n"
    "Bad,Zip,bad@example.org,123,DC,Washington,Other\n"
    "Zoe,Nunez,zoe@example.org,20001,DC,Washington,Other\n"
)
MAPPING = {
    "first_name": 0,
    "last_name": 1,
    "email": 2,
    "zip_code": 3,
    "state": 4,
    "city": 5,
    "office_level": 6,
}


def queued(staff) -> CandidateImport:
    job = create_import(by=staff, file_name="list.csv", text=FILE)
    CandidateImport.objects.filter(pk=job.pk).update(
        status=CandidateImport.Status.QUEUED, mapping=MAPPING
    )
    return job


def test_rows_are_read_from_where_the_last_batch_stopped():
    rows, offset, number = read_rows(FILE, offset=header_end(FILE), number=2, limit=1)
    assert rows == [
        (2, ["Ada", "Lovelace", "ada@example.org", "20001", "DC", "Washing\nton", "Other"])
    ]
    # The blank line is no row, but it keeps its number: as a spreadsheet shows it.
    rows, offset, number = read_rows(FILE, offset=offset, number=number, limit=5)
    assert [n for n, _ in rows] == [4, 5]
    assert (offset, number) == (len(FILE), 6)


def test_the_file_goes_when_the_import_ends_and_the_report_still_works(staff, settings):
    settings.RFS_IMPORT_BATCH_ROWS = 2
    job = queued(staff)
    assert run_import_batch(import_id=job.pk, start=0) == 2
    job.refresh_from_db()
    assert job.content == FILE and job.read_row == 5
    assert run_import_batch(import_id=job.pk, start=2) is None
    job.refresh_from_db()
    assert (job.status, job.content) == ("done", "")
    assert (job.imported, job.rejected) == (2, 1)
    rejection = job.rejections.get()
    assert (rejection.row, rejection.values["Zip"]) == (4, "123")
    report = "".join(rejection_report(candidate_import=job))
    assert "Row,Reason,First,Last,Email,Zip,State,City,Level" in report


def test_rejected_rows_are_purged_after_the_set_days(staff, settings):
    settings.RFS_IMPORT_BATCH_ROWS = 10
    job = queued(staff)
    run_import_batch(import_id=job.pk, start=0)
    assert purge_rejections() == 0
    later = timezone.now() + timedelta(days=settings.RFS_IMPORT_KEEP_REJECTED_DAYS + 1)
    assert purge_rejections(now=later) == 1
    job.refresh_from_db()
    assert not ImportRejection.objects.exists()
    assert job.rejected == 1


def test_deleting_a_candidate_deletes_their_submissions():
    submission = resolve_submission(
        data={
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@example.org",
            "zip_code": "20001",
            "state": "DC",
            "city": "Washington",
            "office_level": "other",
        },
        channel=Submission.Channel.FORM,
        payload={"email": "ada@example.org"},
    )
    CandidateFactory()  # someone else's record stays
    submission.candidate.delete()
    assert not Submission.objects.exists()


def test_a_body_too_large_for_a_form_is_refused_with_400(client):
    response = client.post("/signup/", {"why_run": "x" * (600 * 1024)})
    assert response.status_code == 400
    assert not Submission.objects.exists()
