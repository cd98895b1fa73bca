from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from candidates.models import Candidate, HelpRequest, ResponseTarget

DEFAULT_TARGET_HOURS = {
    HelpRequest.Kind.FIRST_CONTACT: 72,
    HelpRequest.Kind.QUESTION: 48,
    HelpRequest.Kind.MENTOR_INTRO: 72,
    HelpRequest.Kind.PARTNER_INTRO: 120,
    HelpRequest.Kind.FUNDING: 120,
}


def target_hours(kind: str) -> int:
    """Hours the organisation gives itself to answer this kind (staff may change them)."""
    row = ResponseTarget.objects.filter(kind=kind).first()
    if row is not None:
        return row.hours
    return getattr(settings, "RFS_RESPONSE_TARGET_HOURS", {}).get(kind, DEFAULT_TARGET_HOURS[kind])


def due_time(*, kind: str, opened_at: datetime) -> datetime:
    return opened_at + timedelta(hours=target_hours(kind))


@transaction.atomic
def open_request(
    *, candidate: Candidate, kind: str, owner=None, subject: str = "", topic: str = "", at=None
) -> HelpRequest:
    """Open a request with its due time. A candidate has at most one open first-contact request:
    asking again returns the one already open."""
    at = at or timezone.now()
    if kind == HelpRequest.Kind.FIRST_CONTACT:
        existing = HelpRequest.objects.filter(candidate=candidate, kind=kind).exclude(
            status=HelpRequest.Status.RESOLVED
        )
        if found := existing.first():
            return found
    return HelpRequest.objects.create(
        candidate=candidate,
        kind=kind,
        owner=owner,
        subject=subject[:200],
        topic=topic,
        opened_at=at,
        due_at=due_time(kind=kind, opened_at=at),
    )


def record_first_response(*, request: HelpRequest, at=None) -> bool:
    """Set the request's first response time, once. Returns True if this call set it."""
    at = at or timezone.now()
    updated = HelpRequest.objects.filter(pk=request.pk, first_response_at__isnull=True).update(
        first_response_at=max(at, request.opened_at)
    )
    if updated:
        request.refresh_from_db(fields=["first_response_at"])
    return bool(updated)


def resolve_request(*, request: HelpRequest, at=None) -> HelpRequest:
    """Mark a request resolved (its first response too, if it had none)."""
    at = at or timezone.now()
    record_first_response(request=request, at=at)
    HelpRequest.objects.filter(pk=request.pk).exclude(status=HelpRequest.Status.RESOLVED).update(
        status=HelpRequest.Status.RESOLVED, resolved_at=at, waiting_since=None
    )
    request.refresh_from_db()
    return request
