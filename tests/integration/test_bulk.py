"""rfs.bulk.insert: rows of one model in one INSERT, stored as bulk_create stores them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from candidates import request_kinds
from candidates.models import Candidate, HelpRequest, Submission
from rfs import bulk
from rfs.notify.models import Notification

pytestmark = pytest.mark.django_db

# What the database or the clock fills differently for two rows of the same answers.
OWN = {
    "id",
    "uuid",
    "email",
    "phone",
    "created_at",
    "updated_at",
    "stage_changed_at",
    "search_vector",
}


def _person(n: int) -> Candidate:
    return Candidate(
        first_name="Ana",
        last_name="Ruiz",
        email=f"ana{n}@example.org",
        phone=f"+1202555{n:04d}",
        state="DC",
        zip_code="20001",
        birth_year=1998,
        needs=["fundraising"],
        why_run="Rent.",
    )


def _stored(model, pk) -> dict:
    return {k: v for k, v in model.objects.filter(pk=pk).values().get().items() if k not in OWN}


def test_rows_are_stored_as_bulk_create_stores_them_in_one_statement():
    ours, djangos = [_person(1), _person(2)], [_person(3), _person(4)]
    with CaptureQueriesContext(connection) as queries:
        assert bulk.insert(ours) == ours
    Candidate.objects.bulk_create(djangos)
    assert len(queries) == 1
    assert [c.pk for c in ours] == sorted(c.pk for c in ours)
    for mine, theirs in zip(ours, djangos, strict=True):
        assert _stored(Candidate, mine.pk) == _stored(Candidate, theirs.pk)
        # The columns the database fills in come back as they do from bulk_create.
        assert mine.language == theirs.language == Candidate.objects.get(pk=mine.pk).language
        assert mine._state.adding is False
    request = HelpRequest(
        candidate=ours[0],
        kind=request_kinds.FIRST_CONTACT,
        opened_at=timezone.now(),
        due_at=timezone.now(),
    )
    bulk.insert([request])
    stored = HelpRequest.objects.get(pk=request.pk)
    assert (stored.candidate, stored.kind) == (ours[0], request_kinds.FIRST_CONTACT)
    # A generated column comes back with the INSERT: reading it asks the database nothing.
    with CaptureQueriesContext(connection) as reads:
        assert request.response_bucket == stored.response_bucket
    assert len(reads) == 0


def test_rows_that_bring_their_ids_and_name_people_whose_ids_came_later():
    person = _person(5)
    # The submission names the person before the person has an id (ids are drawn first).
    submission = Submission(channel="form", payload={"first_name": "Ana"}, candidate=person)
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('candidates_candidate', 'id'))")
        person.pk = cursor.fetchone()[0]
    bulk.insert([submission])
    bulk.insert([person])
    assert Submission.objects.get(pk=submission.pk).candidate_id == person.pk
    assert Candidate.objects.get(pk=person.pk).email == "ana5@example.org"


def test_a_row_whose_key_is_stored_already_is_skipped_and_gets_no_id():
    def message(key: str) -> Notification:
        return Notification(
            key=key,
            template="signup_confirmation",
            to_email="a@example.org",
            next_attempt_at=timezone.now(),
        )

    first = message("k1")
    bulk.insert([first], unless_exists=["key"])
    rows = [message("k1"), message("k2"), message("k2"), message("k3")]
    bulk.insert(rows, unless_exists=["key"])
    assert [row.pk is not None for row in rows] == [False, True, False, True]
    assert Notification.objects.count() == 3
    assert Notification.objects.get(key="k3").pk == rows[3].pk


def test_rows_with_and_without_ids_are_refused():
    with_id, without = _person(6), _person(7)
    with_id.pk = 10**9
    with pytest.raises(ValueError, match="all with an id or all without"):
        bulk.insert([with_id, without])
    assert not Candidate.objects.exists()
