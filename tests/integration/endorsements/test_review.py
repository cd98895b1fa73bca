"""Votes (one per reviewer, changeable until the decision, under concurrent posts), the
decision with its permission, its email, its stage move and the 30-day answer."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from candidates.models import HelpRequest, Stage, StageChange
from endorsements.models import Application, Vote
from endorsements.services import review
from endorsements.services.applications import apply_for_endorsement
from rfs.notify.models import Notification
from tests.factories.endorsements import (
    ApplicationFactory,
    CandidacyFactory,
    EndorsementClassFactory,
)
from tests.support.locks import wait_until_blocking_someone


@pytest.fixture
def application(db, reviewer):
    application = ApplicationFactory()
    application.reviewers.add(reviewer)
    return application


def test_a_vote_changes_until_the_decision(application, reviewer, decider):
    review.cast_vote(application=application, reviewer=reviewer, choice="abstain")
    review.cast_vote(application=application, reviewer=reviewer, choice="endorse", comment="Yes")
    assert list(Vote.objects.values_list("choice", "comment")) == [("endorse", "Yes")]
    application.refresh_from_db()
    assert application.status == Application.Status.IN_REVIEW
    review.decide(application=application, decision="endorsed", reason="Strong", by=decider)
    with pytest.raises(review.ReviewRefused, match="can no longer change"):
        review.cast_vote(application=application, reviewer=reviewer, choice="do_not_endorse")
    assert Vote.objects.get().choice == "endorse"


def test_a_reviewer_not_assigned_cannot_vote(application, other_reviewer, outsider):
    for user in (other_reviewer, outsider):
        with pytest.raises(review.ReviewRefused):
            review.cast_vote(application=application, reviewer=user, choice="endorse")
    assert not Vote.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_votes_of_one_reviewer_leave_one_row(reviewer):
    application = ApplicationFactory()
    application.reviewers.add(reviewer)
    errors: list = []

    def vote_again() -> None:
        try:
            review.cast_vote(application=application, reviewer=reviewer, choice="do_not_endorse")
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    with transaction.atomic():
        review.cast_vote(application=application, reviewer=reviewer, choice="endorse")
        thread = threading.Thread(target=vote_again)
        thread.start()
        wait_until_blocking_someone()
    thread.join(timeout=20)
    assert errors == []
    # The second post waited for the first, then changed its vote: one row, the last choice.
    assert list(Vote.objects.values_list("choice", flat=True)) == ["do_not_endorse"]


def test_the_database_holds_one_vote_per_reviewer(application, reviewer):
    Vote.objects.create(
        application=application, reviewer=reviewer, choice="endorse", updated_at=timezone.now()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(
            application=application, reviewer=reviewer, choice="abstain", updated_at=timezone.now()
        )


def test_only_a_person_with_the_permission_decides(application, staff):
    with pytest.raises(review.ReviewRefused, match="permission"):
        review.decide(application=application, decision="endorsed", reason="", by=staff)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_applying_opens_the_30_day_answer_and_the_decision_answers_it(decider, outsider):
    candidacy = CandidacyFactory(candidate__stage=Stage.ACTIVE)
    klass = EndorsementClassFactory(elections=[candidacy.election])
    application = apply_for_endorsement(
        endorsement_class=klass,
        candidate=candidacy.candidate,
        office=candidacy.office,
        election=candidacy.election,
        race={"status": "filed", "committee_id": "C001", "has_opponent": True},
        application={"story": "Mine.", "publish_consent": True},
        answers={},
        by=outsider,
    )
    promise = application.help_request
    assert (promise.kind, promise.owner, promise.team) == ("funding", None, "")
    assert (promise.due_at - promise.opened_at).days == 30
    assert Notification.objects.filter(
        template="endorsement_received", to_email=candidacy.candidate.email
    ).exists()

    review.decide(application=application, decision="endorsed", reason="Great fit", by=decider)
    promise.refresh_from_db()
    assert promise.status == HelpRequest.Status.RESOLVED
    assert promise.first_response_at is not None
    email = Notification.objects.get(template="endorsement_decision")
    assert email.to_email == candidacy.candidate.email
    assert email.context["reason"] == "Great fit"
    # The endorsement moved the stage, through the candidates app's move_stage (history row).
    candidacy.candidate.refresh_from_db()
    assert candidacy.candidate.stage == Stage.ENDORSED
    change = StageChange.objects.filter(candidate=candidacy.candidate).latest("at")
    assert (change.from_stage, change.to_stage, change.by) == (
        Stage.ACTIVE,
        Stage.ENDORSED,
        decider,
    )
    with pytest.raises(review.ReviewRefused, match="Already decided"):
        review.decide(application=application, decision="not_endorsed", reason="", by=decider)


def test_a_deferred_application_can_still_be_voted_on_and_decided(application, reviewer, decider):
    review.decide(
        application=application, decision="deferred", reason="After the filing", by=decider
    )
    review.cast_vote(application=application, reviewer=reviewer, choice="endorse")
    review.decide(application=application, decision="not_endorsed", reason="No", by=decider)
    application.refresh_from_db()
    assert application.status == Application.Status.NOT_ENDORSED
    assert Notification.objects.filter(template="endorsement_decision").count() == 2
