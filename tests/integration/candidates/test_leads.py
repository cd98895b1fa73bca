"""Leads from partner forms: the endpoint (authentication, bodies, sizes, rates, resends),
resolution through intake in batches, the dead-letter list, the reconciliation and the
count of unique people."""

import json
import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from candidates.forms.intake import SignupForm
from candidates.forms.leads import LeadForm
from candidates.models import (
    Candidate,
    HelpRequest,
    Lead,
    LeadSource,
    PeopleBySource,
    Stage,
    Submission,
)
from candidates.services import leads, people_counts
from candidates.services.intake import resolve_submission
from candidates.services.merges import merge_candidates
from rfs.notify.models import Notification
from rfs.signatures import signature
from tests.factories.candidates import CandidateFactory, signup_form_data
from tests.support.outbox import delivered

pytestmark = pytest.mark.django_db

ADA = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@example.org",
    "phone": "202-555-0170",
    "zip_code": "20001",
    "state": "DC",
}


def make_source(**fields) -> tuple[LeadSource, str]:
    values = {"name": "Partner form", "owner": "A partner", "auth": LeadSource.Auth.SIGNATURE}
    return leads.create_source(by=None, **(values | fields))


def url(source: LeadSource, token: str = "") -> str:
    if token:
        return reverse("leads_api:receive_token", args=[source.uuid, token])
    return reverse("leads_api:receive", args=[source.uuid])


def post_signed(client, source, secret, payload, *, at=None, headers=None, body=None):
    body = body if body is not None else json.dumps(payload).encode()
    timestamp = str(int(at if at is not None else time.time()))
    signed = signature(secret, timestamp=timestamp, body=body)
    return client.post(
        url(source),
        body,
        content_type="application/json",
        headers={"X-Lead-Timestamp": timestamp, "X-Lead-Signature": signed, **(headers or {})},
    )


def resolve_all() -> None:
    while leads.resolve_pending():
        pass


# --- Authentication -------------------------------------------------------------------


def test_a_signed_lead_is_stored_and_answered_202_with_its_id(client):
    source, secret = make_source()
    response = post_signed(client, source, secret, ADA)
    assert response.status_code == 202
    lead = Lead.objects.get()
    assert response.json() == {"id": str(lead.uuid), "duplicate": False}
    assert lead.status == Lead.Status.PENDING
    assert lead.payload["email"] == "ada@example.org"


@pytest.mark.parametrize(
    "tamper",
    ["bad signature", "other secret", "stale", "future", "no headers", "body changed"],
)
def test_a_request_not_signed_by_the_source_is_refused_401(client, tamper):
    source, secret = make_source()
    body = json.dumps(ADA).encode()
    now = int(time.time())
    timestamp, key = str(now), secret
    if tamper == "stale":
        timestamp = str(now - 301)
    elif tamper == "future":
        timestamp = str(now + 301)
    elif tamper == "other secret":
        key = "not-the-secret"
    signed = signature(key, timestamp=timestamp, body=body)
    if tamper == "bad signature":
        signed = "sha256=" + "0" * 64
    sent = body.replace(b"Ada", b"Eve") if tamper == "body changed" else body
    headers = (
        {}
        if tamper == "no headers"
        else {
            "X-Lead-Timestamp": timestamp,
            "X-Lead-Signature": signed,
        }
    )
    response = client.post(url(source), sent, content_type="application/json", headers=headers)
    assert response.status_code == 401
    assert "signature" in response.json()["error"]
    assert not Lead.objects.exists()


def test_a_rotated_secret_keeps_working_until_the_overlap_ends(client):
    source, old = make_source()
    new = leads.rotate_secret(source=source, overlap=timedelta(hours=1))
    assert post_signed(client, source, old, ADA | {"email": "a@example.org"}).status_code == 202
    assert post_signed(client, source, new, ADA | {"email": "b@example.org"}).status_code == 202
    with time_machine.travel(timezone.now() + timedelta(hours=1, seconds=1)):
        assert post_signed(client, source, old, ADA | {"email": "c@example.org"}).status_code == 401
        assert post_signed(client, source, new, ADA | {"email": "d@example.org"}).status_code == 202


def test_a_kept_source_costs_a_post_its_insert_and_nothing_else(client, django_assert_num_queries):
    source, token = make_source(auth=LeadSource.Auth.TOKEN)
    assert client.post(url(source, token), json.dumps(ADA), "application/json").status_code == 202
    with django_assert_num_queries(1):
        response = client.post(
            url(source, token), json.dumps(ADA | {"email": "b@example.org"}), "application/json"
        )
    assert response.status_code == 202


def test_a_new_secret_works_from_its_first_post_though_the_source_is_kept(client):
    source, old = make_source()
    assert post_signed(client, source, old, ADA).status_code == 202
    new = leads.rotate_secret(source=source)
    assert post_signed(client, source, new, ADA | {"email": "b@example.org"}).status_code == 202


def test_a_kept_secret_stops_at_its_own_expiry(client):
    source, old = make_source()
    new = leads.rotate_secret(source=source, overlap=timedelta(seconds=3))
    assert post_signed(client, source, old, ADA).status_code == 202
    # Well inside the time a source is kept, but past the old secret's overlap.
    with time_machine.travel(timezone.now() + timedelta(seconds=4)):
        assert post_signed(client, source, old, ADA | {"email": "b@example.org"}).status_code == 401
        assert post_signed(client, source, new, ADA | {"email": "c@example.org"}).status_code == 202


def test_pausing_a_source_reaches_its_posts_within_the_time_it_is_kept(client):
    source, secret = make_source()
    assert post_signed(client, source, secret, ADA).status_code == 202
    LeadSource.objects.filter(pk=source.pk).update(active=False)
    with time_machine.travel(timezone.now() + leads.KEPT_FOR + timedelta(seconds=1)):
        assert (
            post_signed(client, source, secret, ADA | {"email": "b@example.org"}).status_code == 403
        )
    assert Lead.objects.count() == 1


def test_a_token_source_takes_its_token_in_the_url_and_nothing_else(client):
    source, token = make_source(auth=LeadSource.Auth.TOKEN)
    body = json.dumps(ADA)
    assert client.post(url(source, token), body, "application/json").status_code == 202
    assert client.post(url(source, "wrong"), body, "application/json").status_code == 401
    # Without the token, a signature made with it does not do instead.
    assert post_signed(client, source, token, ADA).status_code == 401


def test_unknown_and_paused_sources_are_refused(client):
    source, secret = make_source(active=False)
    assert post_signed(client, source, secret, ADA).status_code == 403
    missing = reverse("leads_api:receive", args=["00000000-0000-0000-0000-000000000000"])
    response = client.post(missing, "{}", "application/json")
    assert response.status_code == 404
    assert response.json()["error"] == "No such lead source."


def test_over_the_rate_answers_429_with_retry_after(client):
    source, secret = make_source(rate_per_minute=2)
    for n in range(2):
        assert post_signed(client, source, secret, ADA | {"email": f"{n}@x.org"}).status_code == 202
    response = post_signed(client, source, secret, ADA | {"email": "3@x.org"})
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert Lead.objects.count() == 2


# --- Hostile bodies: 4xx, never a 500, nothing stored -------------------------------------


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"[" * 5000 + b"]" * 5000, 400),  # deep JSON
        (b'{"a": ' * 20 + b"1" + b"}" * 20, 400),  # deeper than any form
        (b'{"email": "\xff\xfe"}', 400),  # invalid UTF-8
        (b'{"email": "a@x.org", "email": "b@x.org"}', 400),  # duplicate keys
        (b"not json at all", 400),
        (b'["a list"]', 400),
        (b"x" * (10 * 1024 * 1024), 413),  # 10 MB
        (b'{"notes": "' + b"y" * (70 * 1024) + b'"}', 413),  # over the 64 KB default
    ],
)
def test_hostile_bodies_are_refused_with_a_reason(client, body, status):
    source, token = make_source(auth=LeadSource.Auth.TOKEN)
    response = client.post(url(source, token), body, content_type="application/json")
    assert response.status_code == status
    assert response.json()["error"]
    assert not Lead.objects.exists()


# --- Every payload shape --------------------------------------------------------------


def test_form_encoded_leads_are_read(client):
    source, token = make_source(auth=LeadSource.Auth.TOKEN, preset=LeadSource.Preset.JSON)
    client.post(url(source, token), ADA)  # the test client posts multipart by default
    client.post(
        url(source, token),
        "first_name=Bo&email=bo%40example.org&zip_code=20002",
        content_type="application/x-www-form-urlencoded",
    )
    resolve_all()
    assert set(Candidate.objects.values_list("email", flat=True)) == {
        "ada@example.org",
        "bo@example.org",
    }


def test_jotform_multipart_with_raw_request_is_read_and_its_id_stops_resends(client):
    source, token = make_source(
        auth=LeadSource.Auth.TOKEN,
        preset=LeadSource.Preset.JOTFORM,
        idempotency_field="submissionID",
    )
    raw = {
        "q3_name": {"first": "Juana", "last": "Diaz"},
        "q4_email": "juana@example.org",
        "q5_phoneNumber": {"full": "(202) 555-0181"},
        "q6_address": {"postal": "20003", "state": "DC", "city": "Washington"},
        "q9_whatDo": "organiser",
    }
    form = {"submissionID": "5551", "formID": "99", "rawRequest": json.dumps(raw)}
    first = client.post(url(source, token), form)
    again = client.post(url(source, token), form)
    assert first.status_code == again.status_code == 202
    assert again.json() == {"id": first.json()["id"], "duplicate": True}
    resolve_all()
    person = Candidate.objects.get()
    assert (person.first_name, person.last_name, str(person.phone)) == (
        "Juana",
        "Diaz",
        "+12025550181",
    )
    assert (person.zip_code, person.state, person.city) == ("20003", "DC", "Washington")
    # Keys with no field are kept with the lead.
    assert person.submissions.get().payload["custom"]["q9_whatDo"] == "organiser"


def test_airtable_and_osdi_payloads_are_read(client):
    airtable, a_token = make_source(
        name="Airtable", auth=LeadSource.Auth.TOKEN, preset=LeadSource.Preset.AIRTABLE
    )
    osdi, o_token = make_source(
        name="Action Network", auth=LeadSource.Auth.TOKEN, preset=LeadSource.Preset.OSDI
    )
    client.post(
        url(airtable, a_token),
        json.dumps({"id": "rec1", "fields": {"First": "Kai", "Email": "kai@example.org"}}),
        "application/json",
    )
    osdi_body = {
        "person": {
            "given_name": "Lee",
            "family_name": "Wong",
            "email_addresses": [{"address": "lee@example.org"}],
            "postal_addresses": [{"postal_code": "22201", "region": "VA"}],
        }
    }
    client.post(url(osdi, o_token), json.dumps(osdi_body), "application/json")
    resolve_all()
    kai = Candidate.objects.get(email="kai@example.org")
    lee = Candidate.objects.get(email="lee@example.org")
    assert kai.first_name == "Kai" and kai.first_source == airtable
    assert (lee.first_name, lee.last_name, lee.state, lee.zip_code) == (
        "Lee",
        "Wong",
        "VA",
        "22201",
    )


# --- Leads and the people they become ---------------------------------------------------


def test_a_lead_whose_form_did_not_ask_is_counted_but_never_queued_or_emailed(client):
    source, secret = make_source(asks_contact=False)
    post_signed(client, source, secret, ADA | {"consent": "yes"})
    resolve_all()
    person = Candidate.objects.get()
    assert person.stage == Stage.LEAD
    assert person.consent_at is None
    assert not HelpRequest.objects.exists()
    assert not Notification.objects.exists()
    assert people_counts.total() == 1


def test_a_lead_from_a_form_that_asked_joins_the_queue_with_an_email(client):
    source, secret = make_source(asks_contact=True, consent_wording="May we call you?")
    post_signed(client, source, secret, ADA | {"consent": "yes"})
    resolve_all()
    person = Candidate.objects.get()
    assert person.stage == Stage.SIGNED_UP
    assert person.consent_at is not None
    assert person.help_requests.count() == 1
    assert Notification.objects.get().template == "signup_confirmation"
    assert Lead.objects.get().consent_wording == "May we call you?"


def test_a_lead_resolved_late_keeps_the_time_it_was_posted(client):
    source, secret = make_source(asks_contact=True, consent_wording="May we call you?")
    posted = timezone.now() - timedelta(minutes=5)  # resolved after an outage of five minutes
    with time_machine.travel(posted, tick=False):
        post_signed(client, source, secret, ADA | {"consent": "yes"})
    resolve_all()
    person = Candidate.objects.get()
    assert Lead.objects.get().submission.received_at == posted
    # The first contact is owed from the post, and the history says when it came.
    assert person.help_requests.get().opened_at == posted
    assert person.stage_changes.get().at == posted


def test_a_form_that_asked_and_was_told_no_makes_a_lead(client):
    source, secret = make_source(asks_contact=True, consent_wording="May we call you?")
    post_signed(client, source, secret, ADA | {"consent": "no"})
    resolve_all()
    assert Candidate.objects.get().stage == Stage.LEAD


def test_a_lead_for_a_known_person_changes_nothing_on_their_record(client):
    known = CandidateFactory(email="ada@example.org", first_name="Ada", city="Washington")
    source, secret = make_source(asks_contact=False)
    post_signed(client, source, secret, ADA | {"first_name": "Eve", "city": "Elsewhere"})
    resolve_all()
    known.refresh_from_db()
    assert (known.first_name, known.city) == ("Ada", "Washington")
    assert Submission.objects.get().outcome == Submission.Outcome.MATCHED
    assert not Notification.objects.exists()
    assert leads.reconciliation(source=source)["counts"]["matched"] == 1


def test_staff_invite_a_lead_who_then_joins_the_queue(client_for, staff, client):
    source, secret = make_source(asks_contact=False)
    post_signed(client, source, secret, ADA)
    resolve_all()
    person = Candidate.objects.get()
    response = client_for(staff).post(reverse("candidates:lead_invite", args=[person.uuid]))
    assert response.status_code == 302
    message = delivered(Notification.objects.get(template="lead_invitation"))
    path = "/signup/join/" + message.body.split("/signup/join/")[1].split()[0]
    client.logout()
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302
    person.refresh_from_db()
    assert person.stage == Stage.SIGNED_UP and person.consent_at is not None
    assert person.help_requests.count() == 1
    # The link has done its work.
    assert client.get(path).status_code == 404


# --- Dead letters, replay and the reconciliation ------------------------------------------


def test_an_unreadable_lead_is_dead_lettered_then_replayed_after_the_map_is_fixed(
    client, client_for, staff
):
    source, secret = make_source()
    assert leads.reconciliation(source=source)["received"] == 0
    post_signed(client, source, secret, {"given": "Mo", "mail": "mo@example.org"})
    post_signed(client, source, secret, ADA)
    counts = leads.reconciliation(source=source)
    assert counts["received"] == counts["counts"]["pending"] == 2
    resolve_all()
    counts = leads.reconciliation(source=source)
    assert counts["counts"] == {
        "created": 1,
        "matched": 0,
        "merge_review": 0,
        "dead": 1,
        "pending": 0,
    }
    dead = Lead.objects.get(status=Lead.Status.DEAD)
    assert "Email" in dead.reason and "First name" in dead.reason

    staff_client = client_for(staff)
    preview = staff_client.post(
        reverse("candidates:lead_field_map", args=[source.uuid]),
        {"field_map": "given = first_name\nmail = email", "preview": "1"},
    )
    assert preview.status_code == 200
    assert "<code>mail</code> → email" in preview.content.decode()
    assert Lead.objects.filter(status=Lead.Status.DEAD).count() == 1  # a preview saves nothing
    staff_client.post(
        reverse("candidates:lead_field_map", args=[source.uuid]),
        {"field_map": "given = first_name\nmail = email", "save": "1"},
    )
    staff_client.post(reverse("candidates:lead_replay", args=[source.uuid]))
    assert leads.reconciliation(source=source)["counts"]["pending"] == 1
    resolve_all()
    counts = leads.reconciliation(source=source)
    assert counts["received"] == 2 and counts["counts"]["created"] == 2
    assert Candidate.objects.get(email="mo@example.org").first_name == "Mo"


def test_every_lead_is_read_by_the_same_rules_though_their_forms_share_fields():
    source, _ = make_source()
    bad = ADA | {"election_year": "1999"}
    first = leads.read_lead(source=source, payload=bad)
    assert first == leads.read_lead(source=source, payload=bad)
    assert first[0] is None
    assert "Election year" in first[1]
    assert leads.read_lead(source=source, payload=ADA)[0]["email"] == "ada@example.org"
    # A lead's form is not made anew, and what the first one prepared was prepared once.
    form, other = LeadForm(data={}), LeadForm(data={})
    assert all(form.fields[name] is field for name, field in other.fields.items())
    assert other.fields["gender"].label == "Gender (optional)"
    assert other.fields["email"].required
    assert not other.fields["phone"].required


def test_a_leads_form_speaks_the_active_language_and_moves_with_the_year():
    source, _ = make_source()
    bad = ADA | {"election_year": "1999"}
    english = leads.read_lead(source=source, payload=bad)[1]
    with translation.override("es"):
        spanish = leads.read_lead(source=source, payload=bad)[1]
    year = timezone.localdate().year
    assert f"Choose a year from {year} to" in english
    assert f"Elige un año entre {year} y" in spanish
    with time_machine.travel(timezone.now().replace(year=year + 1, month=1, day=2)):
        later = leads.read_lead(source=source, payload=ADA | {"election_year": str(year)})[1]
    assert f"Choose a year from {year + 1} to" in later


def test_one_lead_that_fails_to_save_does_not_hold_up_its_batch(client):
    source, secret = make_source()
    post_signed(client, source, secret, ADA)
    # Valid for the form, too long for the database's column.
    post_signed(
        client, source, secret, ADA | {"email": "b@example.org", "phone": "", "district": "d" * 150}
    )
    post_signed(client, source, secret, ADA | {"email": "c@example.org", "phone": ""})
    resolve_all()
    counts = leads.reconciliation(source=source)["counts"]
    assert counts["created"] + counts["dead"] == 3
    assert counts["pending"] == 0


# --- Concurrency: two clients, two workers -----------------------------------------------


def _in_threads(*calls):
    errors = []

    def run(call):
        try:
            call()
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_a_resend_from_two_clients_at_once_stores_one_lead():
    from django.test import Client

    source, secret = make_source()
    answers = []

    def send():
        answers.append(
            post_signed(Client(), source, secret, ADA, headers={"Idempotency-Key": "k1"})
        )

    _in_threads(send, send)
    assert sorted(r.status_code for r in answers) == [202, 202]
    assert len({r.json()["id"] for r in answers}) == 1
    assert Lead.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_burst_for_one_new_person_from_two_sources_makes_one_person():
    first, _ = make_source(name="First")
    second, _ = make_source(name="Second")
    for source in (first, second) * 3:
        leads.accept_lead(source=source, payload=ADA, key="")
    _in_threads(lambda: leads.resolve_pending(limit=1), lambda: leads.resolve_pending(limit=1))
    resolve_all()
    assert Candidate.objects.count() == 1
    assert Lead.objects.filter(status=Lead.Status.RESOLVED).count() == 6
    assert people_counts.total() == 1
    assert leads.reconciliation()["counts"]["created"] == 1
    assert leads.reconciliation()["counts"]["matched"] == 5


# --- The count of unique people ---------------------------------------------------------


def test_the_count_is_per_source_and_day_and_a_merge_counts_the_person_once(client):
    source, secret = make_source(name="Partner A")
    CandidateFactory(email="own@example.org", phone="+12025550100")
    post_signed(client, source, secret, ADA)
    resolve_all()
    assert people_counts.total() == 2
    by_source = {row["source"]: row["people"] for row in people_counts.by_source()}
    assert by_source == {"": 1, "Partner A": 1}
    # A signup with the first one's email and the lead's phone: staff find they are one.
    posted = signup_form_data(email="own@example.org", phone="202-555-0170")
    form = SignupForm(data=posted)
    assert form.is_valid(), form.errors
    review = resolve_submission(data=form.cleaned_data, channel="form", payload=posted)
    assert review.outcome == Submission.Outcome.MERGE_REVIEW
    merge_candidates(submission=review, keep=review.candidate, by=None)
    assert people_counts.total() == Candidate.objects.count() == 1
    assert people_counts.by_source() == [{"source": "", "source_id": None, "people": 1}]
    assert people_counts.differences() == {}


def test_recount_reports_a_wrong_count_and_fixes_it(capsys):
    CandidateFactory()
    call_command("recount_people")
    PeopleBySource.objects.update(people=5)
    with pytest.raises(CommandError):
        call_command("recount_people")
    assert "kept 5, recounted 1" in capsys.readouterr().out
    call_command("recount_people", "--fix")
    assert people_counts.total() == 1
    call_command("recount_people")


def test_the_count_reads_the_same_few_rows_at_any_size(
    client_for, staff, django_assert_num_queries
):
    staff_client = client_for(staff)
    staff_client.get(reverse("candidates:unique_count"))
    CandidateFactory.create_batch(5)
    # The session and user, the count, the review queue, the last day's submissions, the
    # posts turned away, per source with its name, per day.
    with django_assert_num_queries(7):
        response = staff_client.get(reverse("candidates:unique_count"))
    assert (
        '<p class="display-5 fw-semibold mb-0" id="unique-people">5</p>'
        in response.content.decode()
    )
    csv = b"".join(staff_client.get(reverse("candidates:unique_count_csv")).streaming_content)
    assert b"Our own form or an import,5" in csv


# --- Staff pages -------------------------------------------------------------------------


def test_staff_create_a_source_and_see_its_secret_once(client_for, staff):
    staff_client = client_for(staff)
    response = staff_client.post(
        reverse("candidates:lead_source_new"),
        {
            "name": "Sunrise volunteers",
            "owner": "Sunrise",
            "auth": "token",
            "preset": "jotform",
            "idempotency_field": "submissionID",
            "max_bytes": 65536,
            "rate_per_minute": 600,
            "active": "on",
        },
    )
    source = LeadSource.objects.get()
    assert response.url == source.get_absolute_url()
    page = staff_client.get(response.url).content.decode()
    [secret] = source.secrets.values_list("value", flat=True)
    assert secret in page
    assert f"/api/leads/{source.uuid}/{secret}/" in page
    assert secret not in staff_client.get(response.url).content.decode()


def test_a_source_that_asks_to_contact_needs_its_words(client_for, staff):
    response = client_for(staff).post(
        reverse("candidates:lead_source_new"),
        {
            "name": "X",
            "owner": "Y",
            "auth": "token",
            "preset": "json",
            "asks_contact": "on",
            "max_bytes": 65536,
            "rate_per_minute": 600,
        },
    )
    assert response.status_code == 200
    assert "Give the words the form uses to ask" in response.content.decode()
    assert not LeadSource.objects.exists()


def test_a_post_to_a_source_not_kept_is_one_read_and_one_insert(client, django_assert_num_queries):
    source, token = make_source(auth=LeadSource.Auth.TOKEN)
    with django_assert_num_queries(2):
        response = client.post(url(source, token), json.dumps(ADA), "application/json")
    assert response.status_code == 202
