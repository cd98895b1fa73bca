"""People flowing on to the organisation's other tools: each event (a new person, a stage
change, consent withdrawn) is recorded for every destination that wants it, in the
transaction of the change, and a worker posts it as signed JSON, retrying with backoff
under the same event id until the destination takes it."""

import json
import logging
import secrets
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from candidates.models import Candidate, Destination, DestinationEvent, Note
from rfs import redis_guard
from rfs.redis_guard import KeptSettings
from rfs.signatures import signature

logger = logging.getLogger(__name__)

SUBSCRIPTIONS_KEY = "destinations:subscriptions"
DOORBELL = "destinations:doorbell"
DELIVER_TASK = "candidates.tasks.deliver_events"
# A change to destinations is seen at once (the cache is dropped at commit); this bounds
# how long a reader that raced the change can hold the old list.
CACHED_FOR = 60
# A claimed event not answered within this long (a worker died) is tried again.
LEASE = timedelta(minutes=5)
TIMEOUT_SECONDS = 10
MAX_ATTEMPTS = 15
BATCH = 50


# --- Destinations ---------------------------------------------------------------------


def _forget_subscriptions() -> None:
    transaction.on_commit(_subscriptions.forget)


@transaction.atomic
def create_destination(*, name: str, url: str, events: list[str], active: bool = True):
    """A new destination and its signing secret."""
    destination = Destination.objects.create(
        name=name, url=url, events=events, active=active, secret=secrets.token_urlsafe(32)
    )
    _forget_subscriptions()
    return destination


@transaction.atomic
def update_destination(*, destination: Destination, **fields) -> Destination:
    for name, value in fields.items():
        setattr(destination, name, value)
    destination.save(update_fields=list(fields))
    _forget_subscriptions()
    return destination


def _read_subscriptions() -> dict[str, list[int]]:
    wanted: dict[str, list[int]] = {}
    for pk, events in Destination.objects.filter(active=True).values_list("pk", "events"):
        for event in events:
            wanted.setdefault(event, []).append(pk)
    return wanted


# Event -> ids of the active destinations that want it; kept in each process, as most changes
# (every signup, every stage move) ask and most organisations have few destinations.
_subscriptions = KeptSettings(SUBSCRIPTIONS_KEY, _read_subscriptions, seconds=CACHED_FOR)


# --- Recording events ---------------------------------------------------------------------


def person(candidate: Candidate) -> dict:
    """What a destination hears of a person."""
    return {
        "id": str(candidate.uuid),
        "first_name": candidate.first_name,
        "last_name": candidate.last_name,
        "email": candidate.email,
        "phone": str(candidate.phone or ""),
        "zip_code": candidate.zip_code,
        "state": candidate.state,
        "city": candidate.city,
        "stage": candidate.stage,
        "consent": candidate.consent_at is not None,
    }


def record(
    *, event: str, candidates: list[Candidate], at: datetime, extra: dict | None = None
) -> int:
    """Record `event` about each candidate for every destination that wants it, in the
    caller's transaction (one INSERT), and wake a worker after commit. Returns how many."""
    wanted = _subscriptions.get().get(event, [])
    if not wanted or not candidates:
        return 0
    rows = [
        DestinationEvent(
            destination_id=destination,
            event=event,
            created_at=at,
            next_attempt_at=at,
            payload={"person": person(candidate), **(extra or {})},
        )
        for destination in wanted
        for candidate in candidates
    ]
    DestinationEvent.objects.bulk_create(rows)
    transaction.on_commit(ring)
    return len(rows)


def ring() -> None:
    """Wake a worker to deliver events; Redis or the broker down, the sweep will."""
    redis_guard.ring(DOORBELL, DELIVER_TASK)


@transaction.atomic
def withdraw_consent(*, candidate: Candidate, by) -> bool:
    """The person asked not to be contacted: consent cleared, noted, and destinations told.
    False if there was no consent to withdraw."""
    now = timezone.now()
    if not Candidate.objects.filter(pk=candidate.pk, consent_at__isnull=False).update(
        consent_at=None, updated_at=now
    ):
        return False
    candidate.consent_at = None
    Note.objects.create(candidate=candidate, author=by, body="Consent to be contacted withdrawn.")
    record(event=Destination.Event.CONSENT_WITHDRAWN, candidates=[candidate], at=now)
    return True


# --- Delivering -----------------------------------------------------------------------------


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`th failure: 1, 2, 4 … minutes, at most 6 hours."""
    return min(timedelta(minutes=2 ** (attempts - 1)), timedelta(hours=6))


def _claim(limit: int) -> list[DestinationEvent]:
    """Take due events for this worker: another worker skips them, and a worker that dies
    leaves them to be taken again once LEASE has passed."""
    now = timezone.now()
    with transaction.atomic():
        due = list(
            DestinationEvent.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=DestinationEvent.Status.PENDING, next_attempt_at__lte=now)
            .select_related("destination")
            .order_by("next_attempt_at", "pk")[:limit]
        )
        ids = [row.pk for row in due]
        DestinationEvent.objects.filter(pk__in=ids).update(next_attempt_at=now + LEASE)
    return due


def _post(row: DestinationEvent) -> tuple[int | None, str]:
    """(HTTP status, error) of one attempt."""
    body = json.dumps(
        {
            "id": str(row.uuid),
            "type": row.event,
            "occurred_at": row.created_at.isoformat(),
            **row.payload,
        }
    ).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - staff set an http(s) URL
        row.destination.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "RunForSomething-Events/1",
            "X-RFS-Event-Id": str(row.uuid),
            "X-RFS-Timestamp": timestamp,
            "X-RFS-Signature": signature(row.destination.secret, timestamp=timestamp, body=body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"The destination answered {exc.code}."
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return None, f"Could not reach the destination: {type(exc).__name__}."


def deliver_due(*, limit: int = BATCH) -> int:
    """Post up to `limit` due events; each is marked delivered, or tried again later with the
    same id. Returns how many were tried."""
    rows = _claim(limit)
    for row in rows:
        status, error = _post(row)
        row.attempts += 1
        row.last_status, row.last_error = status, error
        now = timezone.now()
        if status is not None and 200 <= status < 300:
            row.status, row.sent_at = DestinationEvent.Status.SENT, now
        elif row.attempts >= MAX_ATTEMPTS:
            row.status = DestinationEvent.Status.FAILED
        else:
            row.next_attempt_at = now + backoff(row.attempts)
        row.save(
            update_fields=[
                "attempts",
                "last_status",
                "last_error",
                "status",
                "sent_at",
                "next_attempt_at",
            ]
        )
    return len(rows)


def due_count() -> int:
    return DestinationEvent.objects.filter(
        status=DestinationEvent.Status.PENDING, next_attempt_at__lte=timezone.now()
    ).count()


@transaction.atomic
def retry(*, destination: Destination) -> int:
    """Give the destination's failed events another round of attempts."""
    return destination.log.filter(status=DestinationEvent.Status.FAILED).update(
        status=DestinationEvent.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
