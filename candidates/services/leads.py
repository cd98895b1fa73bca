"""Leads from partner forms: sources and their secrets, accepting a post in one INSERT,
resolving stored leads in batches through intake, the dead-letter list, and the counts
that prove nothing was lost (received = resolved + dead-lettered + pending)."""

import copy
import hmac
import logging
import secrets
from datetime import datetime, timedelta

from django.core import signing
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from candidates.forms.answers import answers, describe_errors
from candidates.forms.leads import LeadForm
from candidates.lead_payloads import map_payload
from candidates.models import Candidate, Lead, LeadSecret, LeadSource, Note, Stage, Submission
from candidates.services.help_requests import open_first_contacts
from candidates.services.intake import BATCH, Incoming, resolve_each, storable
from candidates.services.pipeline import move_stage
from rfs import bulk, signatures
from rfs.notify import services as outbox

logger = logging.getLogger(__name__)

# After a rotation the old secret still works this long, so the sender can switch over.
ROTATION_OVERLAP = timedelta(hours=24)
INVITATION_SALT = "candidates.lead-invitation"
INVITATION_DAYS = 30


# --- Sources and secrets -----------------------------------------------------------


def _new_secret(source: LeadSource) -> str:
    value = secrets.token_urlsafe(32)
    LeadSecret.objects.create(source=source, value=value)
    return value


@transaction.atomic
def create_source(*, by, **fields) -> tuple[LeadSource, str]:
    """A new source and its first secret (returned once: staff copy it into the form tool)."""
    source = LeadSource.objects.create(created_by=by, **fields)
    return source, _new_secret(source)


@transaction.atomic
def rotate_secret(*, source: LeadSource, overlap: timedelta = ROTATION_OVERLAP) -> str:
    """A new secret; the ones in use keep working for `overlap`, then stop."""
    now = timezone.now()
    source.secrets.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now + overlap)).update(
        expires_at=now + overlap
    )
    return _new_secret(source)


def valid_secrets(source: LeadSource, *, now=None) -> list[str]:
    now = now or timezone.now()
    return list(
        source.secrets.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now)).values_list(
            "value", flat=True
        )
    )


# Each process keeps the sources it was posted to for this long, so that a post costs its
# INSERT and no read. A post whose secret is not among the kept ones reads its source again
# (a new secret works from its first post), a kept secret stops at its own expiry, and
# pausing or editing a source reaches every process within this time.
KEPT_FOR = timedelta(seconds=10)
_kept: dict[str, tuple[datetime, LeadSource]] = {}


def source_to_post(uuid, *, fresh: bool = False) -> LeadSource | None:
    """The source a post names, with its valid secrets (`.valid_secrets`): as this process
    keeps it, or (`fresh`, or none kept) read in one query. `.kept` says which."""
    now = timezone.now()
    key = str(uuid)
    if not fresh and (kept := _kept.get(key)) is not None and now < kept[0]:
        return kept[1]
    # Written out: every read runs it, and building it through the ORM cost more than
    # running it.
    found = LeadSource.objects.raw(
        f"SELECT source.*, ARRAY(SELECT secret.value FROM {LeadSecret._meta.db_table} secret "  # noqa: S608 - our own tables
        "WHERE secret.source_id = source.id "
        "AND (secret.expires_at IS NULL OR secret.expires_at > %s)) AS valid_secrets, "
        f"(SELECT min(secret.expires_at) FROM {LeadSecret._meta.db_table} secret "
        "WHERE secret.source_id = source.id AND secret.expires_at > %s) AS next_expiry "
        f"FROM {LeadSource._meta.db_table} source WHERE source.uuid = %s",
        [now, now, uuid],
    )
    source = next(iter(found), None)
    if source is None:
        _kept.pop(key, None)
        return None
    source.kept = False
    keep = copy.copy(source)
    keep.kept = True
    until = now + KEPT_FOR
    if source.next_expiry is not None:
        until = min(until, source.next_expiry)
    _kept[key] = (until, keep)
    return source


def _secrets(source: LeadSource) -> list[str]:
    found = getattr(source, "valid_secrets", None)
    return list(found) if found is not None else valid_secrets(source)


def token_matches(source: LeadSource, token: str) -> bool:
    """The URL's token is one of the source's secrets, compared in constant time."""
    found = False
    for value in _secrets(source):
        found |= hmac.compare_digest(value.encode(), token.encode())
    return found


def signature_matches(source: LeadSource, *, timestamp: str, sent: str, body: bytes) -> bool:
    """A signature by one of the source's secrets, made within the signing window of now."""
    return signatures.signature_matches(_secrets(source), timestamp=timestamp, sent=sent, body=body)


@transaction.atomic
def save_field_map(*, source: LeadSource, field_map: dict[str, str]) -> None:
    source.field_map = field_map
    source.save(update_fields=["field_map"])


# --- Accepting --------------------------------------------------------------------------


def accept_lead(*, source: LeadSource, payload: dict, key: str) -> tuple[Lead, bool]:
    """Store a posted lead in one INSERT. A resend with a key already used finds the first
    lead and stores nothing (False)."""
    lead = Lead(
        source=source,
        payload=storable(payload),
        idempotency_key=key or None,
        consent_wording=source.consent_wording,
    )
    # One statement, whatever happens: a duplicate key inserts nothing, and fails no
    # transaction around it.
    bulk.insert([lead], unless_exists=["source", "idempotency_key"])
    if lead.pk is None:
        return Lead.objects.get(source=source, idempotency_key=key), False
    return lead, True


# --- Resolving ---------------------------------------------------------------------------


def read_lead(*, source: LeadSource, payload: dict, field_map=None) -> tuple[dict | None, str]:
    """(the lead's answers as candidate fields, '') or (None, why it cannot be used)."""
    texts, custom, _ = map_payload(
        payload,
        preset=source.preset,
        field_map=source.field_map if field_map is None else field_map,
    )
    form = LeadForm(data=answers(form_class=LeadForm, texts=texts))
    if not form.is_valid():
        return None, describe_errors(form)
    data = dict(form.cleaned_data)
    # A form that asks and was answered "no" is no consent; one that asks but sends no
    # answer only lets people through who agreed.
    data["consent"] = source.asks_contact and ("consent" not in texts or data["consent"])
    data["custom"] = custom
    return data, ""


def _incoming(lead: Lead, data: dict) -> Incoming:
    custom = data["custom"]
    data = {name: value for name, value in data.items() if name != "custom"}
    payload = {**lead.payload, "lead": str(lead.uuid)}
    if custom:
        payload["custom"] = custom
    return Incoming(
        data=data,
        channel=Submission.Channel.WEBHOOK,
        payload=payload,
        source=lead.source,
        contact=bool(data["consent"]),
        received_at=lead.received_at,
    )


def resolve_pending(*, limit: int = BATCH) -> int:
    """Resolve up to `limit` waiting leads in one transaction, through intake as one batch;
    the ones that cannot be read go to their source's dead-letter list. Returns how many
    were taken. Concurrent workers take different leads (SKIP LOCKED)."""
    with transaction.atomic():
        leads = list(
            Lead.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=Lead.Status.PENDING)
            .select_related("source")
            .order_by("id")[:limit]
        )
        if not leads:
            return 0
        now = timezone.now()
        readable = []
        for lead in leads:
            data, reason = read_lead(source=lead.source, payload=lead.payload)
            if data is None:
                lead.status, lead.reason = Lead.Status.DEAD, reason
            else:
                readable.append((lead, data))
        _resolve(readable)
        for lead in leads:
            lead.resolved_at = now
        _save_outcomes(leads)
    return len(leads)


def _save_outcomes(leads: list[Lead]) -> None:
    """Each lead's status, reason, submission and time, in one UPDATE. (Written out:
    bulk_update's CASE per field and row cost 0.9 ms of CPU a lead, near half of what
    resolving it costs.)"""
    row = "(%s::bigint, %s, %s, %s::bigint, %s::timestamptz)"
    values = [
        value
        for lead in leads
        for value in (lead.pk, lead.status, lead.reason, lead.submission_id, lead.resolved_at)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Lead._meta.db_table} AS lead SET status = outcome.status, "  # noqa: S608 - our own table
            "reason = outcome.reason, submission_id = outcome.submission_id, "
            "resolved_at = outcome.resolved_at "
            f"FROM (VALUES {', '.join([row] * len(leads))}) "
            "AS outcome (id, status, reason, submission_id, resolved_at) "
            "WHERE lead.id = outcome.id",
            values,
        )


def _resolve(readable: list[tuple[Lead, dict]]) -> None:
    outcomes = resolve_each([_incoming(lead, data) for lead, data in readable])
    for (lead, _), outcome in zip(readable, outcomes, strict=True):
        if isinstance(outcome, Submission):
            lead.status, lead.submission, lead.reason = Lead.Status.RESOLVED, outcome, ""
        else:
            logger.warning("lead %s could not be saved: %s", lead.uuid, outcome)
            lead.status, lead.reason = Lead.Status.DEAD, outcome


@transaction.atomic
def replay(*, source: LeadSource, lead: Lead | None = None) -> int:
    """Send dead-lettered leads (one, or all of the source's) back to be resolved again,
    with the source's map as it is now. Returns how many."""
    dead = Lead.objects.filter(source=source, status=Lead.Status.DEAD)
    if lead is not None:
        dead = dead.filter(pk=lead.pk)
    return dead.update(status=Lead.Status.PENDING, reason="", resolved_at=None)


def pending_count() -> int:
    return Lead.objects.filter(status=Lead.Status.PENDING).count()


# --- What became of them -----------------------------------------------------------


RECONCILIATION = [
    ("created", "New people"),
    ("matched", "Matched a known person"),
    ("merge_review", "Waiting in merge review"),
    ("dead", "Dead-lettered"),
    ("pending", "Pending"),
]


def reconciliation(*, source: LeadSource | None = None) -> dict:
    """Received and what became of each lead, in one query: received is always the sum of
    the rest."""
    leads = Lead.objects.all() if source is None else Lead.objects.filter(source=source)
    rows = leads.values("status", "submission__outcome").annotate(n=Count("pk")).order_by()
    counts = dict.fromkeys([key for key, _ in RECONCILIATION], 0)
    for row in rows:
        if row["status"] != Lead.Status.RESOLVED:
            counts[row["status"]] += row["n"]
        elif row["submission__outcome"] == Submission.Outcome.CREATED:
            counts["created"] += row["n"]
        elif row["submission__outcome"] == Submission.Outcome.MERGE_REVIEW:
            counts["merge_review"] += row["n"]
        else:
            # Matched, or merged/split by staff since: a person we knew either way.
            counts["matched"] += row["n"]
    return {
        "received": sum(counts.values()),
        "counts": counts,
        "rows": [(key, label, counts[key]) for key, label in RECONCILIATION],
    }


def preview(*, source: LeadSource, field_map: dict[str, str], number: int = 20) -> list[dict]:
    """The source's latest payloads read with `field_map`: where each key went, and why a
    lead would be refused."""
    rows = []
    for lead in source.leads.order_by("-received_at")[:number]:
        texts, custom, used = map_payload(lead.payload, preset=source.preset, field_map=field_map)
        _, reason = read_lead(source=source, payload=lead.payload, field_map=field_map)
        rows.append(
            {"lead": lead, "mapped": used, "texts": texts, "custom": custom, "problem": reason}
        )
    return rows


# --- Inviting a lead ---------------------------------------------------------------------


def invitation_token(candidate: Candidate) -> str:
    return signing.dumps({"candidate": str(candidate.uuid)}, salt=INVITATION_SALT)


def invited_candidate(token: str) -> Candidate | None:
    """The lead an invitation link names, if the link is genuine, recent and still a lead."""
    try:
        value = signing.loads(token, salt=INVITATION_SALT, max_age=timedelta(days=INVITATION_DAYS))
    except signing.BadSignature:
        return None
    return Candidate.objects.filter(uuid=value.get("candidate"), stage=Stage.LEAD).first()


@transaction.atomic
def invite_lead(*, candidate: Candidate, by, path: str) -> bool:
    """Email a lead (once) a link to ask us to contact them. False if they are not a lead."""
    if candidate.stage != Stage.LEAD:
        return False
    Note.objects.create(candidate=candidate, author=by, body="Invited to sign up.")
    outbox.record(
        key=f"lead:invite:{candidate.uuid}",
        **candidate.recipient,
        template="lead_invitation",
        context={"name": candidate.greeting_name, "path": path},
        ref=candidate.ref,
    )
    return True


@transaction.atomic
def accept_invitation(*, candidate: Candidate) -> None:
    """The lead asked to be contacted: into the queue, with consent and a first contact."""
    now = timezone.now()
    move_stage(candidate=candidate, to=Stage.SIGNED_UP, reason="Accepted an invitation", at=now)
    Candidate.objects.filter(pk=candidate.pk, consent_at__isnull=True).update(consent_at=now)
    open_first_contacts(candidates=[candidate], at=now)
