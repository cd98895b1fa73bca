"""Reaching the candidate: contact attempts (the first one answers their signup), and moving
a candidate nobody could reach to unresponsive."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from candidates import request_kinds
from candidates.models import Candidate, HelpRequest, Stage
from candidates.services.help_requests import record_first_response, resolve_request
from rfs.notify import services as outbox
from screening.models import Claim, ContactAttempt
from screening.services.claims import conclude_claim, touch_claim
from screening.services.guards import ScreeningError, require_claim

# The same attempt logged again this soon, with no time of its own, is a double submit.
REPEAT_ATTEMPT_WINDOW = timedelta(minutes=1)


def first_contact_help_request(candidate: Candidate) -> HelpRequest | None:
    """The candidate's signup as a help request (answered by first contact), while unresolved."""
    return (
        HelpRequest.objects.filter(candidate=candidate, kind=request_kinds.FIRST_CONTACT)
        .exclude(status=HelpRequest.Status.RESOLVED)
        .first()
    )


@transaction.atomic
def log_attempt(
    *, candidate: Candidate, by, kind: str, at: datetime | None = None, note: str = ""
) -> ContactAttempt:
    """Record one try at reaching the candidate. The first one is the first response to the
    candidate's signup (their first-contact request). The same attempt posted twice (same
    kind and note, and the same time or none given within a minute) is recorded once."""
    claim = require_claim(candidate, by)
    note = note[:500]
    latest = claim.attempts.filter(call__isnull=True).order_by("-created_at", "-pk").first()
    if (
        latest is not None
        and (latest.kind, latest.note) == (kind, note)
        and (latest.at == at if at else latest.created_at >= timezone.now() - REPEAT_ATTEMPT_WINDOW)
    ):
        return latest
    at = at or timezone.now()
    attempt = ContactAttempt.objects.create(
        candidate=candidate, screener=by, claim=claim, at=at, kind=kind, note=note
    )
    touch_claim(claim, at=at)
    if help_request := first_contact_help_request(candidate):
        record_first_response(help_request=help_request, at=at)
    return attempt


# --- Unresponsive ------------------------------------------------------------------


@dataclass(frozen=True)
class UnresponsiveCheck:
    allowed: bool
    failed_attempts: int
    span: timedelta
    message: str


def unresponsive_check(*, candidate: Candidate) -> UnresponsiveCheck:
    """Whether the candidate may be moved to unresponsive: enough failed attempts since they
    last answered, spread over enough days."""
    needed = settings.RFS_UNRESPONSIVE_ATTEMPTS
    days = settings.RFS_UNRESPONSIVE_DAYS
    attempts = ContactAttempt.objects.filter(candidate=candidate)
    last_answer = attempts.filter(kind=ContactAttempt.Kind.ANSWERED).aggregate(at=Max("at"))["at"]
    failed = attempts.filter(kind__in=ContactAttempt.FAILED_KINDS)
    if last_answer is not None:
        failed = failed.filter(at__gt=last_answer)
    stats = failed.aggregate(n=Count("pk"), first=Min("at"), last=Max("at"))
    span = (stats["last"] - stats["first"]) if stats["n"] else timedelta(0)
    if stats["n"] < needed:
        message = f"{needed} failed attempts are needed first ({stats['n']} so far)."
    elif span < timedelta(days=days):
        message = f"The attempts must span at least {days} days (so far {span.days})."
    else:
        message = f"{stats['n']} failed attempts over {span.days} days."
    allowed = stats["n"] >= needed and span >= timedelta(days=days)
    return UnresponsiveCheck(allowed, stats["n"], span, message)


@transaction.atomic
def mark_unresponsive(*, candidate: Candidate, by) -> Claim:
    """Move a candidate nobody could reach to unresponsive and send a kind email inviting them
    to reply. Refused until unresponsive_check allows it."""
    claim = require_claim(candidate, by)
    check = unresponsive_check(candidate=candidate)
    if not check.allowed:
        raise ScreeningError(f"Not yet: {check.message}")
    now = timezone.now()
    conclude_claim(
        claim,
        candidate=candidate,
        to=Stage.UNRESPONSIVE,
        reason=check.message,
        release_reason=Claim.ReleaseReason.UNRESPONSIVE,
        by=by,
        at=now,
    )
    # The organisation did its part: the signup is answered, so it is not left overdue.
    if help_request := first_contact_help_request(candidate):
        resolve_request(help_request=help_request, at=now)
    outbox.record(
        key=f"screening:unresponsive:{claim.pk}",
        **candidate.recipient,
        template="screening_unresponsive",
        context={"name": candidate.greeting_name},
        ref=candidate.ref,
    )
    return claim
