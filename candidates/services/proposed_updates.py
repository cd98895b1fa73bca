"""Proposed updates: the trust rule for people we already know.

Anyone can post a form with someone else's phone number, so a public submission never
changes a known person by itself. Its differences wait as a ProposedUpdate; the person
confirms them through a link sent to the address already on file (at most one such email a
day), or staff apply them from the candidate's page. Staff's own lists (imports) are staff
applying the update, and change the record directly.
"""

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from candidates.details import describe_changes, in_form_order, label, show, stored_value
from candidates.models import Candidate, Note, ProposedUpdate, Submission
from rfs.notify import services as outbox

SALT = "candidates.proposed-update"


class UpdateRefused(Exception):
    """The update cannot be applied as it stands; the message says why."""


def confirm_token(proposal: ProposedUpdate) -> str:
    """The secret in the confirmation link: the proposal's id, signed, with its time."""
    return signing.dumps(str(proposal.uuid), salt=SALT)


def proposal_for_token(token: str) -> ProposedUpdate | None:
    """The proposal a link names, if the link is genuine and not older than the set days."""
    max_age = timedelta(days=settings.RFS_UPDATE_CONFIRM_DAYS)
    try:
        proposal_uuid = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    return (
        ProposedUpdate.objects.select_related("candidate", "submission")
        .filter(uuid=proposal_uuid)
        .first()
    )


def _as_they_read_them(candidate: Candidate, changes: dict) -> list[tuple[str, str]]:
    """Each change as its field's name and new value, in the person's language."""
    with translation.override(candidate.language):
        return [(str(label(name)), str(show(name, new))) for name, (_, new) in changes.items()]


def propose_updates(
    proposals: list[tuple[Candidate, Submission, dict[str, tuple[Any, Any]]]], *, now
) -> list[ProposedUpdate]:
    """Keep each submission's differences for its person to confirm, and email the address on
    file, once a day at most, a link to confirm them (submissions saved by the caller)."""
    rows = ProposedUpdate.objects.bulk_create(
        ProposedUpdate(
            candidate=candidate,
            submission=submission,
            changes={name: [old, new] for name, (old, new) in changes.items()},
        )
        for candidate, submission, changes in proposals
    )
    day = now.astimezone(ZoneInfo(settings.RFS_TIME_ZONE)).date()
    outbox.record_many(
        [
            {
                "key": f"update:confirm:{candidate.uuid}:{day.isoformat()}",
                **candidate.recipient,
                "template": "update_confirm",
                "context": {
                    "name": candidate.greeting_name,
                    "changes": _as_they_read_them(candidate, changes),
                    "link": reverse("candidates:confirm_update", args=[confirm_token(proposal)]),
                    "days": settings.RFS_UPDATE_CONFIRM_DAYS,
                },
                "ref": candidate.ref,
            }
            for proposal, (candidate, _, changes) in zip(rows, proposals, strict=True)
        ],
        # Whoever holds the link speaks for the person: nobody reads it in the outbox.
        secret=True,
    )
    return rows


def confirm_update(*, proposal: ProposedUpdate, at=None) -> list[str]:
    """The person confirms from the address on file: the changes apply. Returns the labels of
    changes that could not apply (an email or phone now on another record)."""
    return _decide(
        proposal,
        status=ProposedUpdate.Status.CONFIRMED,
        by=None,
        at=at,
        heading="Confirmed by the person, from the email on file:",
    )


def apply_update(*, proposal: ProposedUpdate, by, at=None) -> list[str]:
    """Staff apply a proposed update; as confirm_update otherwise."""
    return _decide(
        proposal,
        status=ProposedUpdate.Status.APPLIED,
        by=by,
        at=at,
        heading="Proposed update applied by staff:",
    )


@transaction.atomic
def dismiss_update(*, proposal: ProposedUpdate, by, at=None) -> ProposedUpdate:
    """Staff decide a proposed update is not to be applied; the record stays as it is."""
    locked = _pending(proposal)
    locked.status = ProposedUpdate.Status.DISMISSED
    locked.decided_at, locked.decided_by = at or timezone.now(), by
    locked.save(update_fields=["status", "decided_at", "decided_by"])
    return locked


def _pending(proposal: ProposedUpdate) -> ProposedUpdate:
    locked = ProposedUpdate.objects.select_for_update().get(pk=proposal.pk)
    if not locked.is_pending:
        raise UpdateRefused("This update has already been decided.")
    return locked


@transaction.atomic
def _decide(proposal: ProposedUpdate, *, status: str, by, at, heading: str) -> list[str]:
    at = at or timezone.now()
    locked = _pending(proposal)
    candidate = Candidate.objects.select_for_update().get(pk=locked.candidate_id)
    wanted = {name: locked.changes[name][1] for name in in_form_order(locked.changes)}
    # An email or phone someone else has meanwhile is left as it is, and said so.
    taken = [
        name
        for name in ("email", "phone")
        if name in wanted
        and Candidate.objects.filter(**{name: wanted[name]}).exclude(pk=candidate.pk).exists()
    ]
    for name in taken:
        del wanted[name]
    previous_email = candidate.email
    changes = {
        name: (old, new)
        for name, new in wanted.items()
        if (old := stored_value(candidate, name)) != new
    }
    for name, (_, new) in changes.items():
        setattr(candidate, name, new)
    if changes:
        candidate.save(update_fields=[*changes, "updated_at"])
        Note.objects.create(
            candidate=candidate, author=by, body=describe_changes(changes, heading=heading)
        )
    if candidate.email != previous_email and candidate.user_id:
        # The login belonged to the old address; the person logs in again at the new one.
        from_user = candidate.user
        Candidate.objects.filter(pk=candidate.pk).update(user=None)
        from_user.is_active = False
        from_user.save(update_fields=["is_active"])
    locked.status, locked.decided_at, locked.decided_by = status, at, by
    locked.save(update_fields=["status", "decided_at", "decided_by"])
    proposal.refresh_from_db()
    return [label(name) for name in taken]


def described(proposal: ProposedUpdate) -> list[tuple[str, str, str]]:
    """(label, as stored, as submitted) for each change, as people read them."""
    return [
        (label(name), show(name, proposal.changes[name][0]), show(name, proposal.changes[name][1]))
        for name in in_form_order(proposal.changes)
    ]


def pending_updates(candidate: Candidate):
    """The candidate's proposed updates still waiting, newest first."""
    return candidate.proposed_updates.filter(status=ProposedUpdate.Status.PENDING).select_related(
        "submission"
    )
