"""The endorsement pages: a reviewer sees only what is assigned to them; the portal's
application; the public page shows nothing unapproved, is cacheable and changes when an
endorsement does; contributions past the limit get a clear error; the compliance CSV."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from endorsements.models import Application, Contribution
from endorsements.services import review
from tests.factories.accounts import UserFactory
from tests.factories.candidates import CandidateFactory
from tests.factories.endorsements import (
    ApplicationFactory,
    CandidacyFactory,
    ContributionLimitFactory,
    EndorsementClassFactory,
    OfficeFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db


def test_a_reviewer_sees_only_the_applications_assigned_to_them(client_for, reviewer):
    mine = ApplicationFactory(candidacy__candidate__first_name="Mina")
    mine.reviewers.add(reviewer)
    theirs = ApplicationFactory(candidacy__candidate__first_name="Theo")
    client = client_for(reviewer)
    page = client.get(reverse("endorsements:applications")).content.decode()
    assert "Mina" in page and "Theo" not in page
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert (
        client.post(
            reverse("endorsements:vote", args=[theirs.uuid]), {"choice": "endorse"}
        ).status_code
        == 404
    )


def test_a_reviewer_votes_and_sees_checks_but_cannot_decide(client_for, reviewer):
    application = ApplicationFactory()
    application.reviewers.add(reviewer)
    review.update_check(
        application=application, kind="criminal", status="flagged", note="1999 DUI", by=None
    )
    client = client_for(reviewer)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "1999 DUI" in page
    assert reverse("endorsements:decide", args=[application.uuid]) not in page
    response = client.post(
        reverse("endorsements:vote", args=[application.uuid]),
        {"choice": "endorse", "comment": "Yes"},
    )
    assert response.status_code == 302
    assert application.votes.get().reviewer == reviewer
    assert (
        client.post(reverse("endorsements:decide", args=[application.uuid]), {}).status_code == 403
    )


def test_the_list_page_queries_do_not_grow_with_rows(client_for, staff, django_assert_num_queries):
    for _ in range(3):
        ApplicationFactory()
    client = client_for(staff)
    client.get(reverse("endorsements:applications"))
    # The user, the applications with their race and class, the open classes.
    with django_assert_num_queries(3):
        client.get(reverse("endorsements:applications"))
    for _ in range(5):
        ApplicationFactory()
    with django_assert_num_queries(3):
        client.get(reverse("endorsements:applications"))


@pytest.fixture
def candidate_login(db):
    user = UserFactory(email="vera@example.org", role="candidate")
    return CandidateFactory(
        email=user.email, user=user, state="VA", stage="active", first_name="Vera"
    )


def _form(candidacy, question) -> dict:
    return {
        "election": candidacy.election.pk,
        "office": candidacy.office.pk,
        "status": "qualified",
        "previous_runs": "0",
        "story": "I teach here.",
        "campaign_url": "https://vera.example.org",
        "publish_consent": "on",
        f"q_{question.pk}": "Schools.",
    }


def test_a_candidate_applies_from_the_portal(client_for, candidate_login):
    candidacy = CandidacyFactory.build(office=OfficeFactory(), election=CandidacyFactory().election)
    question = QuestionFactory(
        endorsement_class=EndorsementClassFactory(elections=[candidacy.election])
    )
    klass = question.endorsement_class
    client = client_for(candidate_login.user)
    assert str(klass) in client.get(reverse("portal:endorsements")).content.decode()
    url = reverse("portal:endorsement_apply", args=[klass.uuid])
    assert question.text in client.get(url).content.decode()
    response = client.post(url, _form(candidacy, question))
    assert response.status_code == 302
    application = Application.objects.get(candidacy__candidate=candidate_login)
    assert application.submitted_by == candidate_login.user
    assert application.help_request.kind == "funding"


def test_a_late_portal_application_shows_the_reason_and_keeps_the_answers(
    client_for, candidate_login
):
    candidacy = CandidacyFactory.build(office=OfficeFactory(), election=CandidacyFactory().election)
    question = QuestionFactory(
        endorsement_class=EndorsementClassFactory(elections=[candidacy.election], max_run_number=1)
    )
    client = client_for(candidate_login.user)
    response = client.post(
        reverse("portal:endorsement_apply", args=[question.endorsement_class.uuid]),
        {**_form(candidacy, question), "previous_runs": "2"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This would be run number 3; the class takes up to run number 1." in page
    assert "I teach here." in page
    assert not Application.objects.exists()


def test_the_public_page_shows_only_what_was_approved(client, decider):
    shown = ApplicationFactory(
        status="endorsed",
        candidacy__candidate__first_name="Shona",
        candidacy__candidate__city="Lynchburg",
        story="Shona's story",
    )
    ApplicationFactory(
        status="endorsed", publish_consent=False, candidacy__candidate__first_name="Hidden"
    )
    ApplicationFactory(status="in_review", candidacy__candidate__first_name="Waiting")
    response = client.get(reverse("endorsements:public"))
    page = response.content.decode()
    assert "Shona" in page and "Shona&#x27;s story" in page
    assert "Hidden" not in page and "Waiting" not in page
    candidate = shown.candidacy.candidate
    for private in (candidate.email, str(candidate.phone), candidate.city, candidate.why_run):
        assert private not in page
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    etag = response["ETag"]
    assert (
        client.get(reverse("endorsements:public"), headers={"if-none-match": etag}).status_code
        == 304
    )


def test_the_public_page_changes_when_an_endorsement_does(
    client, decider, django_capture_on_commit_callbacks
):
    first = client.get(reverse("endorsements:public"))
    application = ApplicationFactory(candidacy__candidate__first_name="Newt")
    with django_capture_on_commit_callbacks(execute=True):
        review.decide(application=application, decision="endorsed", reason="Yes", by=decider)
    second = client.get(reverse("endorsements:public"), headers={"if-none-match": first["ETag"]})
    assert second.status_code == 200
    assert "Newt" in second.content.decode()


def test_the_public_page_filters(client):
    ApplicationFactory(status="endorsed", candidacy__candidate__first_name="Virgil")
    ApplicationFactory(
        status="endorsed",
        candidacy__candidate__first_name="Penny",
        candidacy__election__state="PA",
    )
    page = client.get(reverse("endorsements:public"), {"state": "PA"}).content.decode()
    assert "Penny" in page and "Virgil" not in page
    assert client.get(reverse("endorsements:public"), {"cycle": "nonsense"}).status_code == 200


def test_a_contribution_past_the_limit_is_a_form_error(client_for, staff):
    candidacy = ApplicationFactory(status="endorsed").candidacy
    ContributionLimitFactory(amount=Decimal("500.00"))
    url = reverse("endorsements:contribute", args=[candidacy.uuid])
    data = {"date": "2027-05-01", "method": "check", "committee_id": "C1"}
    client = client_for(staff)
    assert client.post(url, {**data, "amount": "500.00"}).status_code == 302
    response = client.post(url, {**data, "amount": "0.01"})
    assert response.status_code == 400
    assert "allow $500.00 per candidacy, and $0.00 is left" in response.content.decode()
    assert Contribution.objects.count() == 1
    csv = b"".join(
        client_for(staff).get(reverse("endorsements:contributions_csv")).streaming_content
    )
    assert b"500.00" in csv and dt.date(2027, 5, 1).isoformat().encode() in csv


def test_deciding_needs_the_permission(client_for, staff):
    application = ApplicationFactory()
    response = client_for(staff).post(
        reverse("endorsements:decide", args=[application.uuid]),
        {"decision": "endorsed", "reason": "Yes"},
        follow=True,
    )
    assert "permission to decide" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_staff_apply_on_behalf_and_record_the_result(client_for, staff, candidate_login):
    candidacy = CandidacyFactory.build(office=OfficeFactory(), election=CandidacyFactory().election)
    question = QuestionFactory(
        endorsement_class=EndorsementClassFactory(elections=[candidacy.election])
    )
    client = client_for(staff)
    panel = client.get(reverse("endorsements:panel", args=[candidate_login.uuid])).content.decode()
    url = reverse(
        "endorsements:apply_for", args=[question.endorsement_class.uuid, candidate_login.uuid]
    )
    assert url in panel
    response = client.post(url, _form(candidacy, question))
    application = Application.objects.get()
    assert response.url == application.get_absolute_url()
    assert application.submitted_by == staff
    made = application.candidacy
    candidate_login.refresh_from_db()
    assert candidate_login.stage == "on_ballot"
    response = client.post(
        reverse("endorsements:candidacy_result", args=[made.uuid]),
        {"result": "won", "vote_share": "51.5"},
    )
    assert response.status_code == 302
    candidate_login.refresh_from_db()
    assert candidate_login.stage == "won"
    bad = client.post(
        reverse("endorsements:candidacy_result", args=[made.uuid]),
        {"result": "won", "vote_share": "151"},
    )
    assert bad.status_code == 400


def test_one_card_per_person_and_cycle_the_latest_race(client):
    primary = ApplicationFactory(status="endorsed", candidacy__candidate__first_name="Petra")
    general = CandidacyFactory(
        candidate=primary.candidacy.candidate,
        office=primary.candidacy.office,
        election__kind="general",
        election__date=primary.candidacy.election.date + dt.timedelta(days=150),
        election__cycle=primary.candidacy.election.cycle,
        result="won",
    )
    ApplicationFactory(status="endorsed", candidacy=general)
    response = client.get(reverse("endorsements:public"))
    cards = response.content.decode().count('class="col-12 col-md-6 col-xl-4 endorsement"')
    assert cards == 1
    assert "general" in response.content.decode() and "Won" in response.content.decode()
