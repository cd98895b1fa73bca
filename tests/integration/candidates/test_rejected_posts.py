"""Anonymous posts cannot fill the database: rejected ones are counted and keep a short
extract, a few a day; every kept payload is capped in size and field count."""

import json

import pytest
from django.urls import reverse

from candidates.models import Candidate, RejectedPostCount, Submission
from candidates.services import intake
from candidates.services.spam import ACCEPTED, EXTRACT, capped, today
from tests.factories.candidates import signup_form_data

pytestmark = pytest.mark.django_db
SIGNUP = "/signup/"
# A post near the most Django reads (DATA_UPLOAD_MAX_MEMORY_SIZE): 800 fields of 400
# characters, about 400 KB with the multipart framing.
JUNK_FIELDS = 800
JUNK = {f"junk{i}": "x" * 400 for i in range(JUNK_FIELDS)}


def size(payload: dict) -> int:
    return len(json.dumps(payload, ensure_ascii=False).encode())


def assert_within(payload: dict, cap) -> None:
    assert len([key for key in payload if key != "_cut"]) <= cap.fields
    assert size(payload) <= cap.bytes
    for key, value in payload.items():
        if key == "_cut":
            continue
        values = value if isinstance(value, list) else [value]
        assert len(values) <= cap.items
        assert all(len(str(item)) <= cap.chars for item in values)


def test_a_huge_honeypot_post_keeps_a_short_extract(client):
    response = client.post(SIGNUP, {**signup_form_data(website="http://spam.example"), **JUNK})
    assert response.status_code == 302
    kept = Submission.objects.get()
    assert kept.outcome == Submission.Outcome.SPAM
    assert_within(kept.payload, EXTRACT)
    assert size(kept.payload) < 2_500
    # The fields a person would look at come first; the cut is marked.
    assert kept.payload["email"] == "ada@example.org"
    assert kept.payload["website"] == "http://spam.example"
    assert kept.payload["_cut"]["fields"] >= JUNK_FIELDS


def test_a_huge_post_over_the_rate_limit_keeps_a_short_extract(client, settings):
    settings.RFS_SIGNUP_RATE_LIMIT = 0
    long_why = "y" * 4000
    response = client.post(SIGNUP, {**signup_form_data(why_run=long_why), **JUNK})
    assert response.status_code == 429
    kept = Submission.objects.get()
    assert kept.outcome == Submission.Outcome.REJECTED
    assert_within(kept.payload, EXTRACT)
    assert kept.payload["why_run"].startswith("yyy")
    assert len(kept.payload["why_run"]) <= EXTRACT.chars
    assert kept.payload["_cut"]["values"] >= 1


def test_rejected_posts_are_counted_per_day_and_reason(client, settings):
    for _ in range(3):
        client.post(SIGNUP, signup_form_data(website="x"))
    settings.RFS_SIGNUP_RATE_LIMIT = 3
    for n in range(2):
        client.post(SIGNUP, signup_form_data(email=f"p{n}@example.org", website=""))
    counts = dict(RejectedPostCount.objects.filter(day=today()).values_list("reason", "count"))
    assert counts == {"honeypot": 3, "rate_limit": 2}


def test_past_the_daily_extracts_only_the_counter_grows(client, settings):
    settings.RFS_REJECTED_EXTRACTS_PER_DAY = 2
    for _ in range(5):
        assert client.post(SIGNUP, signup_form_data(website="x")).status_code == 302
    assert Submission.objects.count() == 2
    assert RejectedPostCount.objects.get(reason="honeypot").count == 5


def test_an_accepted_post_keeps_the_form_and_drops_the_padding(client):
    why = "w" * 4000
    response = client.post(SIGNUP, {**JUNK, **signup_form_data(why_run=why)})
    intake.resolve_waiting_signups()
    assert response.status_code == 302
    kept = Submission.objects.get()
    assert kept.outcome == Submission.Outcome.CREATED
    assert_within(kept.payload, ACCEPTED)
    # Every field of the form, whole, even though the padding came first.
    assert kept.payload["why_run"] == why
    assert kept.payload["needs"] == ["campaign_plan", "fundraising"]
    assert kept.payload["email"] == "ada@example.org"
    assert kept.payload["_cut"]["fields"] == JUNK_FIELDS
    assert Candidate.objects.get().why_run == why


def test_an_ordinary_post_is_kept_as_it_was_sent(client):
    client.post(SIGNUP, signup_form_data())
    intake.resolve_waiting_signups()
    kept = Submission.objects.get()
    assert "_cut" not in kept.payload
    assert kept.payload["first_name"] == "Ada"


@pytest.mark.parametrize(
    "payload",
    [
        {f"k{i}": "v" for i in range(100)},
        {"k" * 5000: "v"},
        {"list": ["x" * 500] * 500},
        {f"k{i}": ["x" * 199] * 5 for i in range(20)},
        {"nested": {"a": "b" * 10_000}},
    ],
)
def test_any_payload_is_cut_to_the_cap(payload):
    cut = capped(payload, EXTRACT)
    assert_within(cut, EXTRACT)
    assert cut["_cut"]


def test_staff_see_the_rejected_counts_on_the_merge_review(client, client_for, staff, settings):
    client.post(SIGNUP, signup_form_data(website="x"))
    client.post(SIGNUP, signup_form_data(website="x"))
    settings.RFS_SIGNUP_RATE_LIMIT = 0
    client.post(SIGNUP, signup_form_data())
    html = client_for(staff).get(reverse("candidates:merge_review")).content.decode()
    assert "Turned away today: 2 caught by the honeypot, 1 over the rate limit" in html
    counts = client_for(staff).get(reverse("candidates:unique_count"))
    assert counts.context["rejected_today"] == 3
