"""The security event log: one function records an event, one forgets a person in it.

Callers above this app (an export, a merge, a staff member viewing someone's contact
details) name their subject themselves, as a UUID and a label.
"""

import uuid as uuid_module
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from rfs.accounts.models import SecurityEvent, User
from rfs.accounts.security import client_ip
from rfs.redis_guard import guarded

Kind = SecurityEvent.Kind
_HASH_SALT = "rfs.accounts.events.address"
# Rows deleted per statement by the retention purge, so no long lock is held.
BATCH = 5000


def hash_address(ip: str | None) -> str:
    """A keyed hash of a client address: the same address gives the same hash (so staff can
    see that two events came from one place) but the address cannot be read back."""
    if not ip:
        return ""
    return salted_hmac(_HASH_SALT, ip, algorithm="sha256").hexdigest()


def record_event(
    *,
    kind: str,
    actor: User | None = None,
    actor_label: str = "",
    subject_id: uuid_module.UUID | str | None = None,
    subject_label: str = "",
    detail: str = "",
    request: HttpRequest | None = None,
) -> SecurityEvent:
    """Record one event (one INSERT). `request`, when given, supplies the hashed address and,
    without `actor`, the logged-in user."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if actor is not None and not actor_label:
        actor_label = actor.email
    return SecurityEvent.objects.create(
        kind=kind,
        actor=actor,
        actor_label=actor_label[:254],
        subject_id=subject_id,
        subject_label=subject_label[:200],
        detail=detail[:500],
        address_hash=hash_address(client_ip(request)) if request is not None else "",
    )


def record_view(
    *, request: HttpRequest, subject_id: uuid_module.UUID, subject_label: str
) -> SecurityEvent | None:
    """Record that the request's user viewed a person's contact details or demographics,
    at most once an hour per viewer and person (a reload is no new look)."""
    key = f"security-view:{request.user.pk}:{subject_id}"
    # Redis down: record every view rather than none.
    first = guarded("the viewed-data log", lambda: cache.add(key, 1, 3600), fallback=True)
    if not first:
        return None
    return record_event(
        kind=Kind.VIEWED_PERSONAL_DATA,
        subject_id=subject_id,
        subject_label=subject_label,
        request=request,
    )


@transaction.atomic
def forget_subject(
    *, subject_id: uuid_module.UUID | None, label: str, user: User | None = None, email: str = ""
) -> None:
    """An erased person in the log: events about them, by them, or naming the address they
    logged in with keep their kind and time, under `label` instead of who they were."""
    if subject_id is not None:
        SecurityEvent.objects.filter(subject_id=subject_id).update(subject_label=label)
    if user is not None:
        SecurityEvent.objects.filter(actor=user).update(actor_label=label)
    if email:
        # A failed login or a lockout names the address tried, not a user.
        SecurityEvent.objects.filter(actor_label=email).update(actor_label=label)
        SecurityEvent.objects.filter(subject_label=email).update(subject_label=label)


def purge_old_events(*, now=None) -> int:
    """Delete events older than settings.RFS_SECURITY_EVENT_RETENTION_DAYS. Returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.RFS_SECURITY_EVENT_RETENTION_DAYS)
    old = SecurityEvent.objects.older_than(cutoff)
    purged = 0
    while True:
        ids = list(old.order_by().values_list("pk", flat=True)[:BATCH])
        if not ids:
            return purged
        purged += SecurityEvent.objects.filter(pk__in=ids).delete()[0]
