"""candidates.services.intake.resolve_submission: one person, one candidate."""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from candidates import request_kinds
from candidates.forms.intake import SignupForm
from candidates.models import Candidate, HelpRequest, Note, StageChange, Submission
from candidates.services.intake import resolve_submission
from rfs.notify.models import Notification
from tests.factories.candidates import CandidateFactory, signup_form_data


def cleaned(**overrides) -> dict:
    form = SignupForm(data=signup_form_data(**overrides))
    assert form.is_valid(), form.errors
    return form.cleaned_data


def resolve(channel: str = Submission.Channel.FORM, **overrides) -> Submission:
    return resolve_submission(
        data=cleaned(**overrides),
        channel=channel,
        payload=signup_form_data(**overrides),
        ip_hash="hash",
        user_agent="agent",
    )


@pytest.mark.django_db
def test_new_person_creates_candidate_history_request_and_email():
    submission = resolve()
    candidate = submission.candidate
    assert submission.outcome == Submission.Outcome.CREATED
    assert candidate.first_name == "Ada"
    assert candidate.needs == ["campaign_plan", "fundraising"]
    assert StageChange.objects.filter(candidate=candidate).count() == 1
    assert HelpRequest.objects.filter(
        candidate=candidate, kind=request_kinds.FIRST_CONTACT
    ).exists()
    email = Notification.objects.get()
    assert email.key == f"signup:confirm:{candidate.uuid}"
    assert "Hello Ada" in email.body_text
    # Emails carry a link and the person's own name, no other personal data.
    assert "202" not in email.body_text
    assert "Washington" not in email.body_text


@pytest.mark.django_db
def test_mixed_case_email_with_spaces_matches_the_same_person():
    first = resolve(email="Ada@Example.org")
    second = resolve(email="  ADA@EXAMPLE.ORG ", phone="202-555-0150")
    assert second.outcome == Submission.Outcome.UPDATED
    assert second.candidate == first.candidate
    assert Candidate.objects.count() == 1
    candidate = Candidate.objects.get()
    assert candidate.email == "ada@example.org"
    assert candidate.phone.as_e164 == "+12025550150"


@pytest.mark.django_db
@pytest.mark.parametrize("written", ["2025550142", "+1 (202) 555-0142", "202.555.0142"])
def test_phone_in_another_format_matches_the_same_e164(written):
    first = resolve(phone="(202) 555-0142")
    second = resolve(email="ada.other@example.org", phone=written)
    assert second.candidate == first.candidate
    assert Candidate.objects.count() == 1


@pytest.mark.django_db
def test_match_updates_what_is_new_and_keeps_earlier_answers_in_a_note():
    candidate = resolve().candidate
    submission = resolve(city="Baltimore", state="MD", zip_code="21201", preferred_name="Addie")
    candidate.refresh_from_db()
    assert (candidate.city, candidate.state, candidate.zip_code) == ("Baltimore", "MD", "21201")
    assert candidate.preferred_name == "Addie"
    assert submission.reason == "Changed: Preferred name, Zip code, State, City"
    note = Note.objects.get(candidate=candidate)
    assert note.body.splitlines() == [
        "Updated from a new submission (signup form):",
        "Preferred name: (blank) → Addie",
        "Zip code: 20001 → 21201",
        "State: District of Columbia → Maryland",
        "City: Washington → Baltimore",
    ]
    # The earlier submission is kept too, as it was posted.
    assert candidate.submissions.count() == 2


@pytest.mark.django_db
def test_blank_answers_never_erase_and_first_source_is_kept():
    candidate = resolve(source="press", source_detail="The Post").candidate
    resolve(pronouns="", why_run="", needs=[], source="friend", source_detail="Sam")
    candidate.refresh_from_db()
    assert candidate.pronouns == "she/her"
    assert candidate.why_run
    assert candidate.needs == ["campaign_plan", "fundraising"]
    assert (candidate.source, candidate.source_detail) == ("press", "The Post")


@pytest.mark.django_db
def test_filing_is_recorded_but_an_unticked_box_does_not_unfile():
    candidate = resolve(has_filed="on").candidate
    assert candidate.has_filed
    resolve()  # has_filed unticked
    candidate.refresh_from_db()
    assert candidate.has_filed


@pytest.mark.django_db
def test_update_emails_the_address_on_record():
    candidate = resolve().candidate
    submission = resolve(city="Baltimore")
    email = Notification.objects.get(key=f"signup:updated:{submission.uuid}")
    assert email.to_email == "ada@example.org"
    assert email.subject == "Your details were updated"
    assert email.ref == candidate.ref


@pytest.mark.django_db
def test_changed_email_notifies_both_the_old_and_the_new_address():
    resolve()
    submission = resolve(email="ada.new@example.org")
    recipients = set(
        Notification.objects.filter(
            key__startswith=f"signup:updated:{submission.uuid}"
        ).values_list("to_email", flat=True)
    )
    assert recipients == {"ada@example.org", "ada.new@example.org"}


@pytest.mark.django_db
def test_identical_repeat_soon_after_records_no_second_email():
    resolve()
    repeat = resolve()
    assert repeat.outcome == Submission.Outcome.UPDATED
    assert repeat.reason == "Nothing new."
    assert Notification.objects.count() == 1
    assert not Note.objects.exists()


@pytest.mark.django_db
def test_identical_repeat_later_says_we_already_have_the_details():
    first = resolve()
    Submission.objects.filter(pk=first.pk).update(received_at=timezone.now() - timedelta(days=30))
    repeat = resolve()
    email = Notification.objects.get(key=f"signup:updated:{repeat.uuid}")
    assert email.subject == "We already have your details"


@pytest.mark.django_db
def test_email_of_one_and_phone_of_another_waits_for_merge_review():
    by_email = CandidateFactory(email="ada@example.org", phone="+12025550100", city="Old")
    by_phone = CandidateFactory(email="lovelace@example.org", phone="+12025550142", city="Older")
    submission = resolve(city="New")
    assert submission.outcome == Submission.Outcome.MERGE_REVIEW
    assert (submission.candidate, submission.phone_match) == (by_email, by_phone)
    # Nothing guessed: neither record changed, nothing new created, no email.
    assert Candidate.objects.count() == 2
    assert {c.city for c in Candidate.objects.all()} == {"Old", "Older"}
    assert not Notification.objects.exists()
    assert not Note.objects.exists()


@pytest.mark.django_db
def test_import_channel_records_its_own_entry_reason():
    submission = resolve(channel=Submission.Channel.IMPORT)
    change = StageChange.objects.get(candidate=submission.candidate)
    assert change.reason == "Imported from an earlier signup list"


@pytest.mark.django_db
def test_a_broken_row_is_not_retried_as_a_race():
    data = cleaned()
    data["zip_code"] = "bad"  # the database's own check refuses it
    with pytest.raises(IntegrityError):
        resolve_submission(data=data, channel="form", payload={})
    assert not Candidate.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_identical_submissions_make_one_candidate_and_one_email():
    barrier = threading.Barrier(2)
    results, errors = [], []

    def submit() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(resolve())
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert Candidate.objects.count() == 1
    assert Submission.objects.count() == 2
    assert sorted(s.outcome for s in results) == ["created", "updated"]
    assert Notification.objects.count() == 1
    assert HelpRequest.objects.count() == 1
    assert StageChange.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_updates_of_one_person_record_one_change_and_one_email():
    candidate = resolve().candidate
    barrier = threading.Barrier(2)
    errors = []

    def submit() -> None:
        try:
            barrier.wait(timeout=10)
            resolve(city="Baltimore")
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert Note.objects.filter(candidate=candidate).count() == 1
    assert Notification.objects.filter(template="signup_updated").count() == 1
