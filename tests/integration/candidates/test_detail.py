import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from candidates import request_kinds
from candidates.models import Lgbtq, Note, Stage, StageChange, Submission
from candidates.services.help_requests import open_request, resolve_request
from candidates.services.pipeline import move_stage
from candidates.services.records import timeline
from rfs.notify.models import Notification
from tests.factories.candidates import CandidateFactory, SubmissionFactory


@pytest.fixture
def candidate(db):
    return CandidateFactory(
        first_name="Ada",
        last_name="Lovelace",
        preferred_name="Addie",
        pronouns="she/her",
        email="ada@example.org",
        phone="+12025550123",
        birth_year=2001,
        election_year=2027,
        gender="Woman",
        race_ethnicity="Black",
        lgbtq=Lgbtq.YES,
        why_run="Line one\nLine two",
    )


def _email(candidate, *, key: str, subject: str, at) -> Notification:
    row = Notification.objects.create(
        key=key,
        template="notice",
        to_email=candidate.email,
        subject=subject,
        body_text="Private body",
        ref=candidate.ref,
        next_attempt_at=at,
    )
    Notification.objects.filter(pk=row.pk).update(created_at=at)
    return row


@pytest.fixture
def history(candidate, staff):
    """One of each thing a timeline shows, an hour apart, oldest first."""
    start = timezone.now() - timedelta(days=2)
    at = [start + timedelta(hours=n) for n in range(8)]
    StageChange.objects.filter(candidate=candidate).update(at=at[0])
    submission = SubmissionFactory(candidate=candidate, payload={"email": "ada@example.org"})
    Submission.objects.filter(pk=submission.pk).update(received_at=at[1])
    request = open_request(candidate=candidate, kind=request_kinds.FIRST_CONTACT, at=at[2])
    _email(candidate, key="confirm:ada", subject="Thanks for signing up", at=at[3])
    move_stage(candidate=candidate, to=Stage.SCREENING, by=staff, reason="Claimed", at=at[4])
    resolve_request(help_request=request, at=at[5])
    note = Note.objects.create(candidate=candidate, author=staff, body="Called; <b>keen</b>")
    Note.objects.filter(pk=note.pk).update(created_at=at[6])
    # Someone else's email never shows on this page.
    other = CandidateFactory()
    _email(other, key="confirm:other", subject="Someone else's email", at=at[7])
    return at


def test_page_shows_everything_known(client_for, staff, candidate):
    response = client_for(staff).get(candidate.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Ada Lovelace", "Addie", "she/her", "ada@example.org", "Washington", "Ward 1"):
        assert text in html
    assert "Line one<br>Line two" in html
    assert "Campaign plan, Fundraising" in html
    assert "about 26 in 2027" in html


def test_personal_data_is_in_its_own_marked_section(client_for, staff, candidate):
    html = client_for(staff).get(candidate.get_absolute_url()).content.decode()
    start = html.index('class="card border-warning mb-3 personal-data"')
    end = html.index("</section>", start)
    section, rest = html[start:end], html[:start] + html[end:]
    assert "Personal data" in section
    for text in ("(202) 555-0123", "2001", "Woman", "Black", "Yes"):
        assert text in section
    for text in ("(202) 555-0123", "Woman", "Black"):
        assert text not in rest


def test_timeline_merges_everything_newest_first(candidate, history):
    entries = timeline(candidate=candidate)
    assert [entry.kind for entry in entries] == [
        "note",
        "request",  # resolved
        "request",  # first response, at the same moment
        "stage",
        "email",
        "request",  # opened
        "submission",
        "stage",  # entered the pipeline
    ]
    assert [entry.at for entry in entries] == sorted((e.at for e in entries), reverse=True)
    titles = [entry.title for entry in entries]
    assert "Moved from Signed up to Screening" in titles
    assert "Email: Thanks for signing up" in titles
    assert "Someone else's email" not in " ".join(titles)


def test_timeline_on_the_page(client_for, staff, candidate, history, django_assert_max_num_queries):
    client = client_for(staff)
    client.get(candidate.get_absolute_url())
    # The user, the candidate, one query for each kind of timeline entry, and open data
    # requests.
    with django_assert_max_num_queries(9):
        response = client.get(candidate.get_absolute_url())
    html = response.content.decode()
    assert "Claimed" in html
    assert "Called; &lt;b&gt;keen&lt;/b&gt;" in html
    assert "Thanks for signing up" in html
    assert "Private body" not in html
    assert "First contact resolved" in html
    assert "Alice Staff" in html


def test_panels_from_other_apps_are_included(client_for, staff, candidate):
    response = client_for(staff).get(candidate.get_absolute_url())
    assert "candidates/_panels.html" in [t.name for t in response.templates]


def test_script_in_every_field_is_escaped(client_for, staff, db):
    payload = "<script>alert(1)</script>"
    candidate = CandidateFactory(
        first_name=payload,
        last_name=payload,
        preferred_name=payload,
        pronouns=payload[:40],
        city=payload,
        office=payload,
        district=payload,
        why_run=payload,
        gender=payload,
        race_ethnicity=payload,
        source_detail=payload,
    )
    SubmissionFactory(candidate=candidate, payload={"first_name": payload})
    Note.objects.create(candidate=candidate, body=payload)
    html = client_for(staff).get(candidate.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_unknown_candidate_is_404(client_for, staff, db):
    assert client_for(staff).get(f"/candidates/{uuid.uuid4()}/").status_code == 404


def test_staff_add_a_note(client_for, staff, candidate):
    client = client_for(staff)
    url = f"/candidates/{candidate.uuid}/notes/"
    response = client.post(url, {"body": "  Wants to run for school board.  "})
    assert response.status_code == 302
    note = Note.objects.get(candidate=candidate)
    assert (note.body, note.author) == ("Wants to run for school board.", staff)
    assert "Wants to run for school board." in client.get(response.url).content.decode()


def test_empty_note_is_refused_beside_the_field(client_for, staff, candidate):
    response = client_for(staff).post(f"/candidates/{candidate.uuid}/notes/", {"body": "   "})
    assert response.status_code == 400
    assert response.context["note_form"].errors["body"]
    assert not Note.objects.exists()


def test_overlong_note_keeps_what_was_typed(client_for, staff, candidate):
    body = "x" * 5001
    response = client_for(staff).post(f"/candidates/{candidate.uuid}/notes/", {"body": body})
    assert response.status_code == 400
    assert body in response.content.decode()
    assert not Note.objects.exists()


def test_note_page_only_takes_posts(client_for, staff, candidate):
    assert client_for(staff).get(f"/candidates/{candidate.uuid}/notes/").status_code == 405
