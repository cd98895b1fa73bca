"""The public signup form over HTTP: pages, outcomes, spam, rate limit, hostile input."""

import hashlib
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from candidates import request_kinds
from candidates.forms.intake import SignupForm
from candidates.models import (
    Candidate,
    HelpRequest,
    PeopleCount,
    Stage,
    StageChange,
    Submission,
    WaitingSignup,
)
from candidates.services import intake
from candidates.views import intake as signup_views
from rfs.notify.models import Notification
from tests.factories.candidates import CandidateFactory, signup_form_data
from tests.support.concurrency import at_once

pytestmark = pytest.mark.django_db
SIGNUP = "/signup/"


def post(client, **overrides):
    """Post a signup, then resolve it as a worker would moments later."""
    response = client.post(SIGNUP, signup_form_data(**overrides), HTTP_USER_AGENT="TestBrowser/1.0")
    intake.resolve_waiting_signups()
    return response


def test_signup_page_shows_every_field_to_anyone(client):
    response = client.get(reverse("intake:signup"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in signup_form_data():
        assert f'name="{name}"' in html, name
    assert 'href="/privacy/"' in html
    assert "Optional" in html
    # Hidden by a class, never by an inline style (the CSP forbids those).
    assert 'class="signup-extra"' in html
    # The honeypot is skipped by the keyboard and by autofill.
    assert re.search(r'<input[^>]*name="website"[^>]*tabindex="-1"', html)
    assert re.search(r'<input[^>]*name="website"[^>]*autocomplete="off"', html)
    assert "style=" not in html


def test_the_blank_form_is_rendered_once_per_process_and_language(client):
    """Its fields are the same for everyone reading the page in one language: the process
    renders them once and reuses them, and a Spanish reader gets their own."""
    first = client.get(SIGNUP)
    again = client.get(SIGNUP)
    assert "candidates/signup_fields.html" in [t.name for t in first.templates]
    assert "candidates/signup_fields.html" not in [t.name for t in again.templates]
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", first.content.decode()) == token.sub("", again.content.decode())
    spanish = client.get("/es/signup/", HTTP_ACCEPT_LANGUAGE="es")
    assert "candidates/signup_fields.html" in [t.name for t in spanish.templates]
    assert "Correo electrónico" in spanish.content.decode()


def test_a_form_sent_back_with_errors_renders_its_own_fields(client):
    client.get(SIGNUP)
    response = post(client, email="not-an-email")
    assert response.status_code == 200
    assert "candidates/signup_fields.html" in [t.name for t in response.templates]
    assert 'value="not-an-email"' in response.content.decode()


def test_one_persons_errors_never_reach_the_next_persons_form(client):
    """The page and the post check answers with fields every form shares; what is shown is
    rendered from fields of its own, so the widget classes of one person's errors are not in
    the next person's form, blank or sent back."""
    assert "is-invalid" in post(client, email="not-an-email").content.decode()
    signup_views._BLANK_FIELDS.clear()
    blank = client.get(SIGNUP).content.decode()
    assert "is-invalid" not in blank
    assert 'name="email"' in blank
    other = post(client, city="").content.decode()
    invalid = re.findall(r"<input[^>]*is-invalid[^>]*>", other)
    assert [re.search(r'name="(\w+)"', tag).group(1) for tag in invalid] == ["city"]
    assert Candidate.objects.count() == 0


def test_a_post_is_checked_with_fields_prepared_once_per_language(client):
    client.get(SIGNUP)
    first = SignupForm(shared=True)

    def same(form) -> bool:
        return all(first.fields[name] is field for name, field in form.fields.items())

    assert same(SignupForm(data=signup_form_data(), shared=True))
    assert not same(SignupForm())
    with translation.override("es"):
        spanish = SignupForm(shared=True)
    assert not same(spanish)
    assert "aviso de privacidad" in str(spanish.fields["consent"].label)
    assert "privacy notice" in str(first.fields["consent"].label)
    # Checked the same way as with fields of its own.
    for overrides in ({}, {"email": "x"}, {"birth_year": "1900"}, {"consent": ""}):
        shared = SignupForm(data=signup_form_data(**overrides), shared=True)
        own = SignupForm(data=signup_form_data(**overrides))
        assert shared.is_valid() == own.is_valid()
        assert shared.errors == own.errors
    assert post(client).status_code == 302


def test_home_page_links_the_signup_form(client):
    assert 'href="/signup/"' in client.get("/").content.decode()


def test_signup_creates_a_candidate_and_shows_the_thank_you_page(client):
    response = post(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:thanks")
    candidate = Candidate.objects.get()
    assert candidate.email == "ada@example.org"
    assert candidate.phone.as_e164 == "+12025550142"
    assert candidate.stage == Stage.SIGNED_UP
    assert candidate.consent_at is not None
    assert list(StageChange.objects.values_list("from_stage", "to_stage")) == [("", "signed_up")]
    first_contact = HelpRequest.objects.get(candidate=candidate)
    assert first_contact.kind == request_kinds.FIRST_CONTACT
    assert (first_contact.due_at - first_contact.opened_at).total_seconds() == 72 * 3600
    [email] = Notification.objects.all()
    assert email.to_email == "ada@example.org"
    assert email.template == "signup_confirmation"
    assert email.ref == candidate.ref


def test_raw_submission_is_kept_without_the_csrf_token(client):
    post(client)
    submission = Submission.objects.get()
    assert submission.outcome == Submission.Outcome.CREATED
    assert submission.payload["email"] == "ada@example.org"
    assert submission.payload["needs"] == ["campaign_plan", "fundraising"]
    assert "csrfmiddlewaretoken" not in submission.payload
    expected = hashlib.sha256((settings.SECRET_KEY + "127.0.0.1").encode()).hexdigest()
    assert submission.ip_hash == expected
    assert submission.user_agent == "TestBrowser/1.0"


def test_long_user_agent_is_truncated(client):
    client.post(SIGNUP, signup_form_data(), HTTP_USER_AGENT="x" * 5000)
    intake.resolve_waiting_signups()
    assert len(Submission.objects.get().user_agent) == 500


def test_signup_post_is_one_insert_and_answers_before_it_is_resolved(
    client, django_assert_num_queries, mailoutbox
):
    """The person's answer waits for nothing but their post's INSERT: a worker resolves it."""
    with django_assert_num_queries(1):
        response = post_only(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:thanks")
    waiting = WaitingSignup.objects.get()
    assert waiting.data["email"] == "ada@example.org"
    assert waiting.data["phone"] == "+12025550142"
    assert not Candidate.objects.exists()
    assert intake.waiting_signups() == 1
    assert intake.resolve_waiting_signups() == 1
    assert Candidate.objects.get().email == "ada@example.org"
    assert not WaitingSignup.objects.exists()
    # The email is recorded in the outbox and delivered by a worker after commit.
    assert mailoutbox == []
    assert (
        Notification.objects.get(to_email="ada@example.org").status == Notification.Status.PENDING
    )


def post_only(client, **overrides):
    return client.post(SIGNUP, signup_form_data(**overrides))


# The transaction and its savepoint (each with its end), the waiting signups taken, matching,
# the new people's ids, then one INSERT each: the first-contact requests, the submissions, the
# outbox rows, the candidates, their history rows with the day's stage counts, the day's count
# of unique people. (The working hours and response targets come from the cache.) The same
# for one signup as for many.
RESOLVE_QUERIES = 13


@pytest.mark.parametrize("signups", [1, 20])
def test_resolving_signups_takes_the_same_queries_for_one_or_many(
    client, django_assert_num_queries, settings, signups
):
    settings.RFS_SIGNUP_RATE_LIMIT = 100
    post(client, email="warm@example.org", phone="202-555-0100")  # fills the cache
    for n in range(signups):
        post_only(client, email=f"person{n}@example.org", phone=f"202-555-{n + 1:04d}")
    with django_assert_num_queries(RESOLVE_QUERIES):
        assert intake.resolve_waiting_signups() == signups
    assert Candidate.objects.count() == signups + 1
    assert Notification.objects.count() == signups + 1


def test_signup_query_count_does_not_grow_with_the_candidates(client):
    # The first signup reads the working hours and response targets into the cache.
    post(client, email="warm@example.org", phone="202-555-0100")
    with CaptureQueriesContext(connection) as first:
        post(client, email="first@example.org", phone="202-555-0101")
    CandidateFactory.create_batch(30)
    with CaptureQueriesContext(connection) as later:
        post(client, email="later@example.org", phone="202-555-0102")
    assert len(later) == len(first)


def test_nothing_but_the_days_counts_follows_the_new_persons_insert(client):
    # Every signup of a day adds to the same count rows and holds them until it commits (the
    # signups per state, by a trigger on the candidate's INSERT; then the day's stage entries
    # and unique people): a statement after them would keep every concurrent signup waiting.
    post(client, email="warm@example.org", phone="202-555-0100")
    with CaptureQueriesContext(connection) as queries:
        post(client)
    statements = [query["sql"] for query in queries.captured_queries]
    insert = next(
        n
        for n, sql in enumerate(statements)
        if sql.startswith(f'INSERT INTO "{Candidate._meta.db_table}"')
    )
    counts = (StageChange._meta.db_table, PeopleCount._meta.db_table)
    after = [sql for sql in statements[insert + 1 :] if not sql.startswith("RELEASE SAVEPOINT")]
    assert len(after) == 2
    assert all(any(table in sql for table in counts) for sql in after), after


def test_update_post_uses_a_fixed_number_of_queries(client, django_assert_num_queries):
    post(client)
    post_only(client, city="Baltimore", state="MD", zip_code="21201")
    # The transaction and its savepoint (each with its end), the signup taken, matching (the
    # ids locked, then the people read), the submission, the proposed update and its email,
    # the acknowledgement.
    with django_assert_num_queries(11):
        intake.resolve_waiting_signups()
    assert Candidate.objects.get().proposed_updates.get().changes["city"] == [
        "Washington",
        "Baltimore",
    ]


def test_thanks_page_says_what_happens_next(client):
    html = client.get(reverse("intake:thanks")).content.decode()
    assert "Check your email" in html
    assert "within about three days" in html


def test_thank_you_is_identical_for_known_and_unknown_people(client):
    CandidateFactory(email="known@example.org", phone="+12025550199")
    responses = [
        post(client, email="new@example.org", phone="202-555-0111"),
        post(client, email="KNOWN@example.org", phone="202-555-0199"),
        post(client, email="other@example.org", phone="(202) 555-0199"),
        post(client, email="new@example.org", phone="202-555-0199"),  # merge review
    ]
    assert {r.status_code for r in responses} == {302}
    assert {r["Location"] for r in responses} == {reverse("intake:thanks")}
    pages = {client.get(r["Location"]).content for r in responses}
    assert len(pages) == 1
    outcomes = list(Submission.objects.order_by("received_at").values_list("outcome", flat=True))
    assert outcomes == ["created", "matched", "matched", "merge_review"]


def test_invalid_post_shows_errors_beside_fields_keeps_values_and_stores_nothing(client):
    response = post(client, zip_code="2000", first_name="Zoë", birth_year="1850")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a 5-digit ZIP code, like 20001." in html
    assert "Enter a birth year from" in html
    assert 'value="Zoë"' in html
    assert 'value="2000"' in html
    assert "is-invalid" in html
    assert not Candidate.objects.exists()
    assert not Submission.objects.exists()
    assert not WaitingSignup.objects.exists()


def test_honeypot_keeps_a_spam_submission_and_shows_the_normal_thanks(client):
    response = post(client, website="http://cheap-pills.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:thanks")
    submission = Submission.objects.get()
    assert submission.outcome == Submission.Outcome.SPAM
    assert submission.payload["website"] == "http://cheap-pills.example"
    assert not Candidate.objects.exists()
    assert not Notification.objects.exists()


def test_honeypot_with_garbage_fields_is_still_spam_not_an_error_page(client):
    response = client.post(SIGNUP, {"website": "x", "email": "not-an-email", "birth_year": "?"})
    assert response.status_code == 302
    assert Submission.objects.get().outcome == Submission.Outcome.SPAM


def test_rate_limit_answers_429_and_keeps_the_submission(client, settings):
    settings.RFS_SIGNUP_RATE_LIMIT = 2
    assert post(client, email="a@example.org", phone="202-555-0101").status_code == 302
    assert post(client, email="b@example.org", phone="202-555-0102").status_code == 302
    response = post(client, email="c@example.org", phone="202-555-0103")
    assert response.status_code == 429
    assert "Please try again in an hour" in response.content.decode()
    assert Candidate.objects.count() == 2
    rejected = Submission.objects.get(outcome=Submission.Outcome.REJECTED)
    assert rejected.reason.startswith("Rate limit")
    assert rejected.payload["email"] == "c@example.org"


def test_rate_limit_is_per_address(client, settings):
    settings.RFS_SIGNUP_RATE_LIMIT = 1
    assert post(client, email="a@example.org", phone="202-555-0101").status_code == 302
    response = client.post(
        SIGNUP,
        signup_form_data(email="b@example.org", phone="202-555-0102"),
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    intake.resolve_waiting_signups()
    assert Candidate.objects.count() == 2


def test_invalid_posts_do_not_use_up_the_rate_limit(client, settings):
    settings.RFS_SIGNUP_RATE_LIMIT = 1
    for _ in range(3):
        assert post(client, zip_code="x").status_code == 200
    assert post(client).status_code == 302


def test_hostile_html_is_stored_as_typed_and_escaped_when_shown(client, staff, client_for):
    script = '<script>alert("x")</script>'
    response = post(client, first_name=script, why_run=script + "'; DROP TABLE x; --")
    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert candidate.first_name == script
    assert candidate.why_run == script + "'; DROP TABLE x; --"
    # Shown escaped on the staff merge-review page (the submission's name is shown there).
    CandidateFactory(email="other@example.org", phone="+12025550177")
    post(client, first_name=script, email="ada@example.org", phone="202-555-0177")
    html = client_for(staff).get(reverse("candidates:merge_review")).content.decode()
    assert script not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_null_bytes_are_refused_with_a_message_not_a_500(client):
    response = post(client, first_name="Ada\x00", why_run="\x00\x00")
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert not Submission.objects.exists()


def test_spam_with_null_bytes_is_kept_without_crashing(client):
    response = client.post(SIGNUP, {"website": "x\x00y", "first_name": "\x00"})
    assert response.status_code == 302
    assert Submission.objects.get().payload["website"] == "x\ufffdy"


def test_10000_character_fields_are_refused_not_crashed(client):
    long = "x" * 10_000
    response = post(client, first_name=long, why_run=long, email=long, zip_code=long, phone=long)
    assert response.status_code == 200
    assert not Candidate.objects.exists()


def test_sql_fragments_are_plain_text(client):
    fragment = "Robert'); DROP TABLE candidates_candidate;--"
    assert post(client, last_name=fragment, city="' OR '1'='1").status_code == 302
    candidate = Candidate.objects.get()
    assert candidate.last_name == fragment
    assert candidate.city == "' OR '1'='1"


def test_signup_only_answers_get_and_post(client):
    assert client.put(SIGNUP).status_code == 405


def test_privacy_notice_is_public(client):
    response = client.get(reverse("intake:privacy"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "What we collect" in html
    assert "delete" in html


@pytest.mark.django_db(transaction=True)
def test_double_submit_resolved_by_two_workers_at_once_makes_one_candidate_and_one_email():
    for _ in range(2):
        assert Client().post(SIGNUP, signup_form_data()).status_code == 302

    def resolve_one() -> int:
        return intake.resolve_waiting_signups(limit=1)

    # Each worker takes one of the two posts (SKIP LOCKED): both name the same new person.
    assert at_once(resolve_one, resolve_one) == [1, 1]
    assert Candidate.objects.count() == 1
    assert Submission.objects.count() == 2
    assert Notification.objects.count() == 1
    assert not WaitingSignup.objects.exists()
