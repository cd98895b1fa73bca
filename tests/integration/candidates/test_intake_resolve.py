"""candidates.services.intake.resolve_submission: one person, one candidate."""

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from candidates import request_kinds
from candidates.forms.intake import SignupForm
from candidates.models import (
    Candidate,
    HelpRequest,
    Note,
    ProposedUpdate,
    StageChange,
    Submission,
)
from candidates.services.intake import resolve_submission
from candidates.services.proposed_updates import (
    UpdateRefused,
    confirm_update,
    proposal_for_token,
)
from rfs.accounts.models import User
from rfs.notify.models import Notification
from tests.factories.candidates import CandidateFactory, signup_form_data
from tests.support.concurrency import at_once
from tests.support.outbox import delivered


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
    assert email.key.startswith("signup:ack:") and email.to_email == "ada@example.org"
    assert "Hello Ada" in delivered(email).body
    # Emails carry a link and the person's own name, no other personal data.
    assert "202" not in delivered(email).body
    assert "Washington" not in delivered(email).body


@pytest.mark.django_db
def test_mixed_case_email_with_spaces_matches_the_same_person():
    first = resolve(email="Ada@Example.org")
    second = resolve(email="  ADA@EXAMPLE.ORG ", phone="202-555-0150")
    assert second.outcome == Submission.Outcome.MATCHED
    assert second.candidate == first.candidate
    assert Candidate.objects.count() == 1
    candidate = Candidate.objects.get()
    assert candidate.email == "ada@example.org"
    # The new phone waits for the person to confirm it.
    assert candidate.phone.as_e164 == "+12025550142"
    assert second.proposed_update.changes == {"phone": ["+12025550142", "+12025550150"]}


@pytest.mark.django_db
@pytest.mark.parametrize("written", ["2025550142", "+1 (202) 555-0142", "202.555.0142"])
def test_phone_in_another_format_matches_the_same_e164(written):
    first = resolve(phone="(202) 555-0142")
    second = resolve(email="ada.other@example.org", phone=written)
    assert second.candidate == first.candidate
    assert Candidate.objects.count() == 1


@pytest.mark.django_db
def test_a_match_changes_nothing_until_the_person_confirms_from_the_address_on_file():
    candidate = resolve().candidate
    submission = resolve(city="Baltimore", state="MD", zip_code="21201", preferred_name="Addie")
    candidate.refresh_from_db()
    assert (candidate.city, candidate.state, candidate.zip_code) == ("Washington", "DC", "20001")
    assert submission.reason == (
        "Proposed, waiting for the person to confirm: Preferred name, Zip code, State, City"
    )
    # The earlier submission is kept too, as it was posted.
    assert candidate.submissions.count() == 2
    proposal = submission.proposed_update
    email = Notification.objects.get(template="update_confirm")
    assert email.to_email == "ada@example.org" and email.ref == candidate.ref
    assert "City: Baltimore" in delivered(email).body
    token = delivered(email).body.split("/signup/confirm/")[1].split("/")[0]
    assert proposal_for_token(token) == proposal

    confirm_update(proposal=proposal)
    candidate.refresh_from_db()
    assert (candidate.city, candidate.state, candidate.zip_code) == ("Baltimore", "MD", "21201")
    assert candidate.preferred_name == "Addie"
    note = Note.objects.get(candidate=candidate)
    assert note.body.splitlines() == [
        "Confirmed by the person, from the email on file:",
        "Preferred name: (blank) → Addie",
        "Zip code: 20001 → 21201",
        "State: District of Columbia → Maryland",
        "City: Washington → Baltimore",
    ]
    proposal.refresh_from_db()
    assert proposal.status == ProposedUpdate.Status.CONFIRMED
    with pytest.raises(UpdateRefused):
        confirm_update(proposal=proposal)


@pytest.mark.django_db
def test_only_real_differences_are_proposed():
    resolve(source="press", source_detail="The Post", has_filed="on")
    # Blanks never erase, the first source stays, an unticked box does not unfile.
    repeat = resolve(pronouns="", why_run="", needs=[], source="friend", source_detail="Sam")
    assert repeat.reason == "Nothing new."
    assert not ProposedUpdate.objects.exists()


@pytest.mark.django_db
def test_a_stranger_with_a_known_phone_cannot_take_over_the_record(client):
    victim = resolve().candidate  # ada@example.org, (202) 555-0142
    attack = resolve(email="mallory@example.org", first_name="Mal", last_name="Ory")
    victim.refresh_from_db()
    assert attack.candidate == victim and attack.outcome == Submission.Outcome.MATCHED
    assert (victim.email, victim.first_name) == ("ada@example.org", "Ada")
    # The victim is asked, at the address on file; the attacker hears what anyone would.
    asked = Notification.objects.get(template="update_confirm")
    assert asked.to_email == "ada@example.org"
    told = Notification.objects.get(to_email="mallory@example.org")
    assert told.template == "signup_confirmation" and "Hello Mal," in delivered(told).body
    assert "Ada" not in delivered(told).body + told.subject
    # And the attacker's address opens no portal: no candidate has it.
    client.post(reverse("portal:login"), {"email": "mallory@example.org"})
    assert not User.objects.filter(email="mallory@example.org").exists()
    victim.refresh_from_db()
    assert victim.user is None


@pytest.mark.django_db
def test_what_the_typed_address_receives_is_the_same_for_known_and_unknown_people():
    CandidateFactory(email="known@example.org", phone="+12025550199", first_name="Kay")
    resolve(email="new@example.org", phone="202-555-0111", first_name="Sam")
    resolve(email="other@example.org", phone="202-555-0199", first_name="Sam")
    first, second = (
        Notification.objects.get(to_email=address)
        for address in ("new@example.org", "other@example.org")
    )
    assert (first.template, first.subject, delivered(first).body) == (
        second.template,
        second.subject,
        delivered(second).body,
    )


@pytest.mark.django_db
def test_at_most_one_confirmation_email_a_day():
    resolve()
    resolve(city="Baltimore")
    resolve(city="Annapolis")
    assert ProposedUpdate.objects.count() == 2
    assert Notification.objects.filter(template="update_confirm").count() == 1
    tomorrow = timezone.now() + timedelta(days=1)
    with time_machine.travel(tomorrow, tick=False):
        resolve(city="Towson")
    assert Notification.objects.filter(template="update_confirm").count() == 2


@pytest.mark.django_db
def test_a_staff_import_applies_what_is_new_and_tells_the_address_on_file():
    candidate = resolve().candidate
    submission = resolve(channel=Submission.Channel.IMPORT, city="Baltimore")
    candidate.refresh_from_db()
    assert submission.outcome == Submission.Outcome.UPDATED
    assert candidate.city == "Baltimore"
    assert Note.objects.get(candidate=candidate).body.startswith("Updated from a staff import:")
    email = Notification.objects.get(key=f"signup:updated:{submission.uuid}")
    assert email.to_email == "ada@example.org"
    assert email.subject == "Your details were updated"


@pytest.mark.django_db
def test_an_email_now_on_another_record_is_not_applied_on_confirmation():
    resolve()
    submission = resolve(email="ada.new@example.org")
    CandidateFactory(email="ada.new@example.org", phone="+12025550177")
    assert confirm_update(proposal=submission.proposed_update) == ["Email"]
    assert Candidate.objects.filter(email="ada@example.org").exists()


@pytest.mark.django_db
def test_identical_repeat_soon_after_records_no_second_email():
    resolve()
    repeat = resolve()
    assert repeat.outcome == Submission.Outcome.MATCHED
    assert repeat.reason == "Nothing new."
    assert Notification.objects.count() == 1
    assert not Note.objects.exists()


@pytest.mark.django_db
def test_identical_repeat_later_gets_the_same_thanks_as_anyone():
    resolve()
    resolve()
    assert Notification.objects.filter(template="signup_confirmation").count() == 1
    with time_machine.travel(timezone.now() + timedelta(hours=2), tick=False):
        resolve()
    assert Notification.objects.filter(template="signup_confirmation").count() == 2


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
    assert not Note.objects.exists()
    # The typed address hears the same thanks as anyone who signs up.
    assert Notification.objects.get().template == "signup_confirmation"


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
    results = at_once(resolve, resolve)
    assert Candidate.objects.count() == 1
    assert Submission.objects.count() == 2
    assert sorted(s.outcome for s in results) == ["created", "matched"]
    assert Notification.objects.count() == 1
    assert HelpRequest.objects.count() == 1
    assert StageChange.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_updates_of_one_person_record_two_proposals_and_one_email():
    candidate = resolve().candidate
    at_once(lambda: resolve(city="Baltimore"), lambda: resolve(city="Baltimore"))
    candidate.refresh_from_db()
    assert candidate.city == "Washington"
    assert ProposedUpdate.objects.filter(candidate=candidate).count() == 2
    assert Notification.objects.filter(template="update_confirm").count() == 1
