"""Reviewing an application: reviewers assigned, background checks, the rubric, votes (one
per reviewer, changeable until the decision) and the decision, which answers the 30-day
promise and tells the candidate."""

from django.db import transaction
from django.utils import timezone

from candidates.models import Stage
from candidates.services.help_requests import resolve_request
from endorsements.models import Application, BackgroundCheck, RubricScore, Vote
from endorsements.services import public, races
from rfs.accounts.models import Role
from rfs.notify import services as outbox

DECIDE_PERMISSION = "endorsements.decide_application"


class ReviewRefused(Exception):
    """The review step is not possible as asked; the message says why."""


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("candidacy__candidate", "candidacy__office", "endorsement_class")
        .get(pk=application.pk)
    )


def _start_review(locked: Application) -> None:
    if locked.status == Application.Status.SUBMITTED:
        locked.status = Application.Status.IN_REVIEW
        locked.save(update_fields=["status"])


def may_vote(*, application: Application, user) -> bool:
    """Staff, and the outside reviewers assigned to the application."""
    if user.has_role(Role.STAFF):
        return True
    return user.has_role(Role.REVIEWER) and application.reviewers.filter(pk=user.pk).exists()


@transaction.atomic
def assign_reviewers(*, application: Application, reviewers: list, by) -> Application:
    """Set who reviews the application; each newly assigned reviewer hears of it by email."""
    locked = _locked(application)
    before = set(locked.reviewers.values_list("pk", flat=True))
    locked.reviewers.set(reviewers)
    for reviewer in reviewers:
        if reviewer.pk not in before:
            outbox.record(
                key=f"endorsement:assigned:{locked.pk}:{reviewer.pk}:{timezone.now().timestamp()}",
                to=reviewer.email,
                template="endorsement_assigned",
                context={"name": reviewer.get_short_name(), "link": locked.get_absolute_url()},
                ref=locked.candidacy.candidate.ref,
            )
    _start_review(locked)
    return locked


@transaction.atomic
def update_check(*, application: Application, kind: str, status: str, note: str, by):
    """Record one background check's status and note."""
    check, _ = BackgroundCheck.objects.update_or_create(
        application=application,
        kind=kind,
        defaults={"status": status, "note": note, "updated_by": by},
    )
    _start_review(_locked(application))
    return check


@transaction.atomic
def score(*, application: Application, scores: dict, by) -> None:
    """Save the rubric: {criterion: (score, note)}, each score within its criterion's maximum."""
    for criterion, (value, note) in scores.items():
        if value is None:
            RubricScore.objects.filter(application=application, criterion=criterion).delete()
            continue
        if not 0 <= value <= criterion.max_score:
            raise ReviewRefused(f"{criterion}: a score from 0 to {criterion.max_score}.")
        RubricScore.objects.update_or_create(
            application=application, criterion=criterion, defaults={"score": value, "note": note}
        )
    _start_review(_locked(application))


@transaction.atomic
def cast_vote(
    *, application: Application, reviewer, choice: str, comment: str = "", at=None
) -> Vote:
    """The reviewer's vote, or their changed vote: one each (the application's row lock
    orders concurrent posts, the unique constraint holds it). Refused once decided."""
    at = at or timezone.now()
    locked = _locked(application)
    if locked.is_decided:
        raise ReviewRefused("The decision is made: votes can no longer change.")
    if not may_vote(application=locked, user=reviewer):
        raise ReviewRefused("Only staff and the reviewers assigned to it vote on an application.")
    vote, _ = Vote.objects.update_or_create(
        application=locked,
        reviewer=reviewer,
        defaults={"choice": choice, "comment": comment, "updated_at": at},
    )
    _start_review(locked)
    return vote


@transaction.atomic
def decide(*, application: Application, decision: str, reason: str, by, at=None) -> Application:
    """Record the decision (endorsed, not endorsed, deferred) with its reason, by someone with
    the permission. It answers the 30-day promise, tells the candidate, and an endorsement
    moves the candidate's stage. Endorsed or not endorsed is final."""
    at = at or timezone.now()
    if not by.has_perm(DECIDE_PERMISSION):
        raise ReviewRefused("You do not have the permission to decide endorsements.")
    if decision not in Application.DECISIONS:
        raise ReviewRefused("Choose endorsed, not endorsed or deferred.")
    locked = _locked(application)
    if locked.is_decided:
        raise ReviewRefused(f"Already decided: {locked.get_status_display()}.")
    locked.status, locked.decision_reason = decision, reason
    locked.decided_at, locked.decided_by = at, by
    locked.save(update_fields=["status", "decision_reason", "decided_at", "decided_by"])
    if locked.help_request_id:
        resolve_request(help_request=locked.help_request, at=at)
    candidacy = locked.candidacy
    if decision == Application.Status.ENDORSED:
        races.move_if_allowed(
            candidate=candidacy.candidate,
            to=Stage.ENDORSED,
            by=by,
            reason=f"Endorsed: {locked.endorsement_class}",
            at=at,
        )
    outbox.record(
        key=f"endorsement:decision:{locked.pk}:{decision}:{int(at.timestamp())}",
        **candidacy.candidate.recipient,
        template="endorsement_decision",
        context={
            "name": candidacy.candidate.greeting_name,
            "class_name": str(locked.endorsement_class),
            "race": str(candidacy.office),
            "decision": decision,
            "reason": reason,
            "may_reapply": decision == Application.Status.NOT_ENDORSED
            and locked.endorsement_class.reapply_after_decline
            and at < locked.endorsement_class.deadline,
        },
        ref=candidacy.candidate.ref,
    )
    public.changed()
    application.refresh_from_db()
    return application
