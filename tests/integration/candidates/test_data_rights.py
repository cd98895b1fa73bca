"""A person's data rights: everything held about them (JSON and a page), and erasure that
removes them everywhere while the counts stay; the portal opens a data request."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone

from candidates import request_kinds
from candidates.models import (
    Candidate,
    CandidateImport,
    HelpRequest,
    ImportRejection,
    Lead,
    Note,
    ProposedUpdate,
    Submission,
    WaitingSignup,
)
from candidates.services import leads, people_counts
from candidates.services.help_requests import ask_question
from candidates.services.pipeline import move_stage
from endorsements.models import Answer, Contribution
from mentors.models import Mentorship
from partners.services.referrals import propose_referral
from rfs.accounts.events import Kind, record_event
from rfs.accounts.models import Role, SecurityEvent
from rfs.dashboard import metrics
from rfs.dashboard.forms import Period
from rfs.notify import services as outbox
from rfs.notify.models import Notification
from screening.models import ScreeningCall
from tests.factories.accounts import UserFactory
from tests.factories.candidates import CandidateFactory, SubmissionFactory
from tests.factories.endorsements import ApplicationFactory, CandidacyFactory, QuestionFactory
from tests.factories.mentors import MentorshipFactory
from tests.factories.partners import PartnerFactory
from tests.factories.screening import ScreeningCallFactory

EMAIL = "zenobia.quixote@example.org"
PHONE = "+12025550199"
NAME = "Zenobia"
SURNAME = "Quixotely"


@pytest.fixture
def person(db, staff):
    """A person known to every app: screened, mentored, referred, endorsed and funded."""
    login = UserFactory(email=EMAIL, name=f"{NAME} {SURNAME}", role=Role.CANDIDATE)
    candidate = CandidateFactory(
        email=EMAIL, phone=PHONE, first_name=NAME, last_name=SURNAME, user=login,
        gender="woman", race_ethnicity="Basque", birth_year=1990, state="VA",
    )  # fmt: skip
    submission = SubmissionFactory(candidate=candidate, payload={"email": EMAIL})
    ProposedUpdate.objects.create(
        candidate=candidate, submission=submission, changes={"city": ["", f"{SURNAME}ville"]}
    )
    move_stage(candidate=candidate, to="screening", by=staff, reason=f"{NAME} called back")
    ScreeningCallFactory(candidate=candidate, notes=f"{NAME} {SURNAME} is keen")
    MentorshipFactory(candidate=candidate, ended_reason=f"{NAME} moved away")
    propose_referral(
        candidate=candidate, partner=PartnerFactory(), by=staff, note=f"For {NAME} {SURNAME}"
    )
    candidacy = CandidacyFactory(candidate=candidate)
    application = ApplicationFactory(candidacy=candidacy, story=f"I am {NAME} {SURNAME}")
    Answer.objects.create(
        application=application,
        question=QuestionFactory(endorsement_class=application.endorsement_class),
        text=f"{SURNAME} family",
    )
    Contribution.objects.create(
        candidacy=candidacy, amount=Decimal("250.00"), date=date(2026, 3, 1),
        method=Contribution.Method.CHECK, committee_id="C001", recorded_by=staff,
    )  # fmt: skip
    ask_question(
        candidate=candidate, topic="", subject=f"{NAME}'s question", body=f"I am {SURNAME}",
        by=login,
    )  # fmt: skip
    Note.objects.create(candidate=candidate, author=staff, body=f"Met {NAME} {SURNAME}")
    outbox.record(
        key="hello:1", to=EMAIL, template="notice", context={"name": NAME}, ref=candidate.ref
    )
    record_event(
        kind=Kind.VIEWED_PERSONAL_DATA, actor=staff, subject_id=candidate.uuid,
        subject_label=f"{NAME} {SURNAME}",
    )  # fmt: skip
    record_event(kind=Kind.LOGIN_FAILED, actor_label=EMAIL)
    # Their signups not saved yet: one the database refused (kept for staff), one moments
    # from a worker.
    for reason in ("Could not be saved: DataError", ""):
        WaitingSignup.objects.create(
            data={"email": EMAIL, "phone": PHONE, "first_name": NAME},
            payload={"email": EMAIL, "first_name": NAME, "why_run": f"{SURNAME} for mayor"},
            reason=reason,
        )
    raw_traces(candidate, staff)
    return candidate


def raw_traces(candidate, staff) -> None:
    """Rows that name the person without being theirs."""
    other = CandidateFactory()
    Submission.objects.create(
        candidate=other, phone_match=candidate, outcome=Submission.Outcome.MERGE_REVIEW,
        payload={"email": other.email, "phone": "(202) 555-0199", "city": "Richmond"},
    )  # fmt: skip
    source, _ = leads.create_source(by=None, name="Partner form", owner="A partner")
    Lead.objects.create(
        source=source, status=Lead.Status.DEAD, payload={"Email": EMAIL.upper(), "zip": "1"}
    )
    # Another person's signup, refused and kept for staff, that gave their phone.
    WaitingSignup.objects.create(
        data={"email": other.email, "phone": PHONE, "city": "Richmond"},
        payload={"email": other.email, "phone": "(202) 555-0199", "city": "Richmond"},
        reason="Could not be saved: DataError",
    )
    job = CandidateImport.objects.create(
        by=staff, file_name="old.csv", content=f"email,name\n{EMAIL},{SURNAME}\nb@x.org,B\n"
    )
    ImportRejection.objects.create(
        candidate_import=job, row=2, reason="bad", values={"email": EMAIL, "state": "VA"}
    )


def everything_in_the_database() -> str:
    """Every row of every table, as text."""
    dumped = []
    for model in apps.get_models():
        for row in model._base_manager.values():
            dumped.append(json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False, default=str))
    return "\n".join(dumped)


def test_export_has_the_rows_of_every_app(client_for, staff, person):
    response = client_for(staff).get(reverse("candidates:data_export_json", args=[person.uuid]))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["Person"][0]["email"] == EMAIL
    assert data["Person"][0]["phone"] == PHONE
    assert data["Submissions"][0]["payload"]["email"] == EMAIL
    assert [row["reason"] for row in data["Signups not yet saved"]] == [
        "Could not be saved: DataError",
        "",
    ]
    assert data["Signups not yet saved"][0]["payload"]["why_run"] == f"{SURNAME} for mayor"
    assert data["Proposed updates"][0]["changes"]["city"][1] == f"{SURNAME}ville"
    assert "is keen" in data["Screening"][0]["screening calls"][0]["notes"]
    assert data["Mentorships"][0]["ended_reason"] == f"{NAME} moved away"
    assert data["Referrals"][0]["note"] == f"For {NAME} {SURNAME}"
    endorsements = data["Endorsements and contributions"][0]
    assert endorsements["applications"][0]["story"] == f"I am {NAME} {SURNAME}"
    assert endorsements["contributions"][0]["amount"] == "250.00"
    assert any(NAME in message["body"] or SURNAME in message["body"]
               for message in data["Request messages"])  # fmt: skip
    assert data["Emails"][0]["to_email"] == EMAIL
    event = SecurityEvent.objects.get(kind=Kind.DATA_EXPORT)
    assert (event.actor, event.subject_id) == (staff, person.uuid)


def test_export_page_is_readable(client_for, staff, person):
    response = client_for(staff).get(reverse("candidates:data_export", args=[person.uuid]))
    html = response.content.decode()
    assert response.status_code == 200
    assert EMAIL in html and "is keen" in html and "Endorsements and contributions" in html
    assert SecurityEvent.objects.filter(kind=Kind.DATA_EXPORT).count() == 1


def test_erasure_needs_the_word_or_the_name(client_for, staff, person):
    url = reverse("candidates:erase", args=[person.uuid])
    response = client_for(staff).post(url, {"confirm": "yes"})
    assert response.status_code == 400
    assert "Type ERASE" in response.content.decode()
    person.refresh_from_db()
    assert person.email == EMAIL


def dashboard_figures() -> tuple:
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    scope = metrics.Scope(period=Period(today - timedelta(days=13), today, zone))
    return (
        metrics.funnel(scope),
        metrics.signups_per_week(scope),
        metrics.states(scope),
        people_counts.total(),
        people_counts.by_source(),
        Candidate.objects.count(),
    )


def test_erasure_removes_the_person_everywhere_and_keeps_the_counts(
    client_for, staff, person, django_capture_on_commit_callbacks
):
    before = dashboard_figures()
    text = everything_in_the_database()
    assert EMAIL in text and PHONE in text and SURNAME in text
    url = reverse("candidates:erase", args=[person.uuid])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(url, {"confirm": f"{NAME} {SURNAME}"})
    assert response.status_code == 302
    text = everything_in_the_database()
    for trace in (EMAIL, PHONE, PHONE[2:], NAME, SURNAME, "Basque"):
        assert trace not in text, trace
    assert dashboard_figures() == before
    assert people_counts.differences() == {}
    # What the law and the counts need stays.
    contribution = Contribution.objects.get()
    assert (contribution.amount, contribution.date) == (Decimal("250.00"), date(2026, 3, 1))
    assert contribution.candidacy.candidate_id == person.pk
    assert ScreeningCall.objects.get().duration_minutes == 30
    assert Mentorship.objects.filter(candidate=person).exists()
    assert person.stage_changes.count() == 2
    assert Submission.objects.filter(candidate=person).get().payload == {}
    assert Notification.objects.get(key="hello:1").body_removed_at is not None
    assert ProposedUpdate.objects.get().status == ProposedUpdate.Status.DISMISSED
    # Others' rows lose only what named them.
    assert Submission.objects.get(phone_match=person).payload["city"] == "Richmond"
    assert Lead.objects.get().payload == {"zip": "1"}
    assert ImportRejection.objects.get().values == {"state": "VA"}
    others = WaitingSignup.objects.get()
    assert (others.data["city"], others.payload["city"]) == ("Richmond", "Richmond")
    assert "phone" not in others.data and "phone" not in others.payload
    assert CandidateImport.objects.get().content == "email,name\nb@x.org,B\n"
    erased = Candidate.objects.select_related("user").get(pk=person.pk)
    assert erased.display_name == "Erased person"
    assert erased.user is None
    login = type(staff).objects.get(pk=person.user_id)
    assert not login.is_active and not login.has_usable_password()
    event = SecurityEvent.objects.get(kind=Kind.ERASURE)
    assert (event.actor, event.subject_id) == (staff, person.uuid)
    assert Note.objects.get(candidate=person).body.startswith("Personal data erased")


def test_a_second_erasure_changes_nothing(client_for, staff, person):
    client = client_for(staff)
    url = reverse("candidates:erase", args=[person.uuid])
    client.post(url, {"confirm": "ERASE"})
    response = client.post(url, {"confirm": "ERASE"}, follow=True)
    assert "already erased" in response.content.decode()
    assert SecurityEvent.objects.filter(kind=Kind.ERASURE).count() == 1


@pytest.mark.parametrize("persona", ["screener", "mentor", "outsider"])
@pytest.mark.parametrize("name", ["data_export", "data_export_json", "erase"])
def test_other_roles_get_403(request, client_for, person, persona, name):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    url = reverse(f"candidates:{name}", args=[person.uuid])
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirm": "ERASE"}).status_code == 403
    person.refresh_from_db()
    assert person.email == EMAIL


@pytest.mark.parametrize("what", ["export", "erasure"])
def test_portal_request_opens_a_staff_request(client_for, staff, person, what, settings):
    client = client_for(person.user)
    response = client.post(reverse("portal:data_request"), {"what": what})
    assert response.status_code == 302
    help_request = HelpRequest.objects.get(kind=request_kinds.DATA_REQUEST)
    assert help_request.candidate == person and help_request.owner is None
    days = (help_request.due_at - help_request.opened_at).days
    assert days == settings.RFS_DATA_REQUEST_DAYS
    # Asking twice opens one request.
    client.post(reverse("portal:data_request"), {"what": what})
    assert HelpRequest.objects.filter(kind=request_kinds.DATA_REQUEST).count() == 1
    assert SecurityEvent.objects.filter(kind=Kind.DATA_REQUEST, actor=person.user).exists()
    page = client_for(staff).get(person.get_absolute_url()).content.decode()
    assert help_request.get_absolute_url() in page


def test_portal_request_of_an_unknown_kind_opens_nothing(client_for, person):
    response = client_for(person.user).post(reverse("portal:data_request"), {"what": "x"})
    assert response.status_code == 302
    assert not HelpRequest.objects.filter(kind=request_kinds.DATA_REQUEST).exists()
