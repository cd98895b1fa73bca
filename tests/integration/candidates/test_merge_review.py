"""Merge review: submissions matching two people, merged or split by staff."""

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates import request_kinds
from candidates.forms.intake import SignupForm, answers_from_payload
from candidates.models import Candidate, HelpRequest, Note, StageChange, Submission
from candidates.services.help_requests import open_request
from candidates.services.intake import resolve_submission
from candidates.services.merges import MergeRefused, merge_candidates, split_submission
from candidates.services.pipeline import move_stage
from rfs.accounts.models import SecurityEvent
from rfs.notify import services as outbox
from rfs.notify.models import Notification
from screening.models import Claim
from tests.factories.accounts import UserFactory
from tests.factories.candidates import CandidateFactory, signup_form_data

pytestmark = pytest.mark.django_db


def waiting_submission(**overrides) -> Submission:
    """Two people, then a signup with the email of the first and the phone of the second."""
    first = CandidateFactory(
        email="ada@example.org", phone="+12025550100", first_name="Ada", city="Washington"
    )
    second = CandidateFactory(
        email="lovelace@example.org", phone="+12025550142", first_name="Augusta", city=""
    )
    for candidate in (first, second):
        open_request(candidate=candidate, kind=request_kinds.FIRST_CONTACT)
        Note.objects.create(candidate=candidate, body=f"Note on {candidate.first_name}")
    posted = signup_form_data(**overrides)
    form = SignupForm(data=posted)
    assert form.is_valid(), form.errors
    submission = resolve_submission(data=form.cleaned_data, channel="form", payload=posted)
    assert submission.outcome == Submission.Outcome.MERGE_REVIEW
    return submission


def test_merge_keeps_one_record_with_all_history_and_deletes_the_other(staff):
    submission = waiting_submission()
    keep, duplicate = submission.candidate, submission.phone_match
    outbox.record(key="old:1", to=duplicate.email, template="notice", context={}, ref=duplicate.ref)
    move_stage(candidate=duplicate, to="screening", by=staff, reason="claimed")

    merged = merge_candidates(submission=submission, keep=keep, by=staff)

    assert merged.pk == keep.pk
    assert not Candidate.objects.filter(pk=duplicate.pk).exists()
    assert Candidate.objects.count() == 1
    # The identity the person gave: the first's email with the second's phone.
    assert (merged.email, merged.phone.as_e164) == ("ada@example.org", "+12025550142")
    # Every row of both records is on the kept one.
    assert StageChange.objects.filter(candidate=merged).count() == 3
    assert merged.help_requests.count() == 2
    assert merged.help_requests.exclude(status=HelpRequest.Status.RESOLVED).count() == 1
    assert set(Note.objects.filter(candidate=merged).values_list("body", flat=True)) >= {
        "Note on Ada",
        "Note on Augusta",
    }
    assert Notification.objects.get(key="old:1").ref == merged.ref
    merge_note = Note.objects.filter(candidate=merged, author=staff).first()
    assert "Merged a duplicate record into this one: Augusta" in merge_note.body
    assert "lovelace@example.org" in merge_note.body
    assert "Moved from the duplicate: 2 stage changes, 1 note, 1 help request." in merge_note.body
    assert merge_note.body.endswith("Phone: +12025550100 → +12025550142")
    submission.refresh_from_db()
    assert submission.outcome == Submission.Outcome.MERGED
    assert submission.candidate == merged
    assert submission.reviewed_by == staff
    assert submission.reviewed_at is not None
    assert str(duplicate.uuid) in submission.reason


def test_merge_into_the_phone_match_takes_the_email_of_the_other(staff):
    submission = waiting_submission()
    keep = submission.phone_match
    merged = merge_candidates(submission=submission, keep=keep, by=staff)
    assert merged.pk == keep.pk
    assert (merged.email, merged.phone.as_e164) == ("ada@example.org", "+12025550142")
    # Blanks are filled from the duplicate.
    assert merged.city == "Washington"


def test_merge_applies_the_submissions_answers_with_history(staff):
    submission = waiting_submission(city="Baltimore", state="MD", zip_code="21201")
    merged = merge_candidates(
        submission=submission,
        keep=submission.candidate,
        by=staff,
        data=answers_from_payload(submission.payload),
    )
    assert (merged.city, merged.state) == ("Baltimore", "MD")
    assert Note.objects.filter(candidate=merged, body__contains="City: Washington → Baltimore")


def test_merge_moves_the_portal_login_of_the_duplicate(staff):
    submission = waiting_submission()
    login = UserFactory(role="candidate", email="lovelace@example.org")
    Candidate.objects.filter(pk=submission.phone_match.pk).update(user=login)
    merged = merge_candidates(submission=submission, keep=submission.candidate, by=staff)
    assert merged.user == login


def test_other_waiting_submissions_follow_the_kept_record(staff):
    submission = waiting_submission()
    other = Submission.objects.create(
        payload={},
        outcome=Submission.Outcome.MERGE_REVIEW,
        candidate=submission.phone_match,
        phone_match=submission.candidate,
    )
    merged = merge_candidates(submission=submission, keep=submission.candidate, by=staff)
    other.refresh_from_db()
    assert (other.candidate, other.phone_match) == (merged, merged)
    # Both sides are now one record: merging it simply applies it.
    merge_candidates(submission=other, keep=merged, by=staff)
    other.refresh_from_db()
    assert other.outcome == Submission.Outcome.MERGED


def test_merge_moves_rows_of_other_apps_too(staff, screener):
    submission = waiting_submission()
    duplicate = submission.phone_match
    claim = Claim.objects.create(candidate=duplicate, screener=screener, claimed_at=timezone.now())
    merged = merge_candidates(submission=submission, keep=submission.candidate, by=staff)
    claim.refresh_from_db()
    assert claim.candidate == merged


def test_merge_refuses_what_can_exist_once_per_person_and_changes_nothing(staff, screener):
    submission = waiting_submission()
    for candidate in (submission.candidate, submission.phone_match):
        Claim.objects.create(candidate=candidate, screener=screener, claimed_at=timezone.now())
    with pytest.raises(MergeRefused, match="claims that can exist only once per person"):
        merge_candidates(submission=submission, keep=submission.candidate, by=staff)
    assert Candidate.objects.count() == 2
    submission.refresh_from_db()
    assert submission.outcome == Submission.Outcome.MERGE_REVIEW
    assert HelpRequest.objects.exclude(status=HelpRequest.Status.RESOLVED).count() == 2


def test_merge_refuses_a_reviewed_submission_or_a_stranger(staff):
    submission = waiting_submission()
    with pytest.raises(MergeRefused):
        merge_candidates(submission=submission, keep=CandidateFactory(), by=staff)
    split_submission(submission=submission, by=staff)
    with pytest.raises(MergeRefused):
        merge_candidates(submission=submission, keep=submission.candidate, by=staff)
    with pytest.raises(MergeRefused):
        split_submission(submission=submission, by=staff)
    assert Candidate.objects.filter(pk=submission.phone_match_id).exists()


def test_split_keeps_both_as_they_are(staff):
    submission = waiting_submission(city="Baltimore")
    before = list(Candidate.objects.order_by("pk").values())
    split_submission(submission=submission, by=staff)
    assert list(Candidate.objects.order_by("pk").values()) == before
    submission.refresh_from_db()
    assert submission.outcome == Submission.Outcome.SPLIT
    assert submission.reviewed_by == staff
    assert submission.payload["city"] == "Baltimore"


# --- Pages --------------------------------------------------------------------


def test_review_list_shows_both_candidates_side_by_side(client_for, staff):
    submission = waiting_submission()
    response = client_for(staff).get(reverse("candidates:merge_review"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ada@example.org" in html
    assert "lovelace@example.org" in html
    assert "Email matches" in html and "Phone matches" in html
    assert reverse("candidates:merge_review_merge", args=[submission.uuid]) in html
    assert reverse("candidates:merge_review_split", args=[submission.uuid]) in html


def test_review_list_query_count_does_not_grow(client_for, staff, django_assert_max_num_queries):
    waiting_submission()
    for _ in range(5):
        a = CandidateFactory()
        b = CandidateFactory()
        Submission.objects.create(
            payload={"email": a.email}, outcome="merge_review", candidate=a, phone_match=b
        )
    client = client_for(staff)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("candidates:merge_review")).status_code == 200


def test_merge_page_action_merges(client_for, staff):
    submission = waiting_submission(city="Baltimore")
    keep = submission.candidate
    response = client_for(staff).post(
        reverse("candidates:merge_review_merge", args=[submission.uuid]),
        {f"{submission.uuid}-keep": str(keep.uuid)},
        follow=True,
    )
    assert response.status_code == 200
    assert "All history was kept" in response.content.decode()
    assert Candidate.objects.count() == 1
    assert Candidate.objects.get().city == "Baltimore"
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.MERGE)
    assert (event.actor, event.subject_id) == (staff, keep.uuid)


def test_merge_page_without_a_choice_changes_nothing(client_for, staff):
    submission = waiting_submission()
    response = client_for(staff).post(
        reverse("candidates:merge_review_merge", args=[submission.uuid]), {}, follow=True
    )
    assert "Choose which of the two records to keep." in response.content.decode()
    assert Candidate.objects.count() == 2


def test_split_page_action_splits(client_for, staff):
    submission = waiting_submission()
    response = client_for(staff).post(
        reverse("candidates:merge_review_split", args=[submission.uuid])
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.outcome == Submission.Outcome.SPLIT


def test_reviewed_submission_is_gone_from_the_actions(client_for, staff):
    submission = waiting_submission()
    split_submission(submission=submission, by=staff)
    url = reverse("candidates:merge_review_split", args=[submission.uuid])
    assert client_for(staff).post(url).status_code == 404


def test_unique_count_page_shows_live_counts(client_for, staff):
    waiting_submission()
    response = client_for(staff).get(reverse("candidates:unique_count"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<p class="display-5 fw-semibold mb-0" id="unique-people">2</p>' in html
    assert 'hx-trigger="every 15s"' in html
    assert response.context["waiting_for_review"] == 1
    assert response.context["unique_people"] == Candidate.objects.count()


STAFF_PAGES = [
    ("get", "candidates:merge_review", False),
    ("get", "candidates:unique_count", False),
    ("post", "candidates:merge_review_merge", True),
    ("post", "candidates:merge_review_split", True),
]


@pytest.mark.parametrize(("method", "name", "needs_uuid"), STAFF_PAGES)
@pytest.mark.parametrize("persona", ["screener", "mentor", "outsider"])
def test_other_roles_get_403(request, client_for, method, name, needs_uuid, persona):
    submission = waiting_submission()
    url = reverse(name, args=[submission.uuid] if needs_uuid else [])
    user = request.getfixturevalue(persona)
    assert getattr(client_for(user), method)(url).status_code == 403
    submission.refresh_from_db()
    assert submission.outcome == Submission.Outcome.MERGE_REVIEW


@pytest.mark.parametrize(("method", "name", "needs_uuid"), STAFF_PAGES)
def test_anonymous_is_sent_to_login(client, method, name, needs_uuid):
    submission = waiting_submission()
    url = reverse(name, args=[submission.uuid] if needs_uuid else [])
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
