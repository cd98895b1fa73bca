"""Intake: resolving every submission (signup form, import, partner webhook) to one candidate.

One person is one candidate: a submission matches an existing record by normalised email
or by E.164 phone, both unique in the database. Every raw submission is kept as a
Submission row, whatever became of it.

The trust rule: anyone can post a form, so a submission from the public never changes a
person we already know. Its differences become a proposed update that the person confirms
from the address on file (proposed_updates). What the submitter sees, and what is emailed
to the address they typed, is the same whether or not we knew them. A staff import is
staff's own list: it changes the record directly, the earlier values kept in a Note.
"""

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from candidates import request_kinds
from candidates.details import (
    CANDIDATE_FIELDS,
    apply_changes,
    describe_changes,
    differences,
    label,
    normalise_email,
    normalise_phone,
    stored_value,
    submitted_value,
)
from candidates.models import Candidate, Note, Submission
from candidates.services.help_requests import open_request
from candidates.services.pipeline import record_entry
from candidates.services.proposed_updates import propose_update
from rfs.accounts.limits import within_limit
from rfs.notify import services as outbox

logger = logging.getLogger(__name__)

ATTEMPTS = 3
UNIQUE_VIOLATION = "23505"

ENTRY_REASONS = {
    Submission.Channel.FORM: "Signed up",
    Submission.Channel.IMPORT: "Imported from an earlier signup list",
    Submission.Channel.WEBHOOK: "Signed up through a partner form",
}


def hash_ip(ip: str | None) -> str:
    """The address as we keep it: a keyed hash, enough to count and to block, not to locate."""
    if not ip:
        return ""
    return hashlib.sha256((settings.SECRET_KEY + ip).encode()).hexdigest()


def _storable(value: Any) -> Any:
    # PostgreSQL's jsonb cannot hold U+0000, so a posted null byte is kept as U+FFFD.
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list | tuple):
        return [_storable(item) for item in value]
    if isinstance(value, dict):
        return {_storable(str(key)): _storable(item) for key, item in value.items()}
    return value


# --- Spam and rate limits ----------------------------------------------------


def allow_signup(*, ip_hash: str) -> bool:
    """Count one signup from this address in the current hour. False once it is past
    settings.RFS_SIGNUP_RATE_LIMIT."""
    return within_limit(
        f"signup:{ip_hash}", limit=settings.RFS_SIGNUP_RATE_LIMIT, window_seconds=3600
    )


def keep_rejected(
    *,
    channel: str,
    payload: dict,
    outcome: str,
    reason: str,
    ip_hash: str = "",
    user_agent: str = "",
) -> Submission:
    """Keep a submission that was not resolved (spam, over the rate limit), as it was posted."""
    return Submission.objects.create(
        channel=channel,
        payload=_storable(payload),
        ip_hash=ip_hash,
        user_agent=user_agent[:500],
        outcome=outcome,
        reason=reason[:500],
    )


# --- Resolving a submission --------------------------------------------------


def resolve_submission(
    *,
    data: dict,
    channel: str,
    payload: dict,
    ip_hash: str = "",
    user_agent: str = "",
    by=None,
) -> Submission:
    """Keep the submission and resolve it to one candidate: create one; for a known person,
    propose what is new (or, from a staff import, apply it); or park it for merge review
    when email and phone match two different people. The address typed hears the same
    acknowledgement whichever it was."""
    for attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                return _resolve(
                    data=data,
                    channel=channel,
                    payload=payload,
                    ip_hash=ip_hash,
                    user_agent=user_agent,
                    by=by,
                )
        except IntegrityError as exc:
            # A concurrent submission inserted the same email or phone first (a
            # double-click, a second worker): match again and find its record.
            unique = getattr(exc.__cause__, "pgcode", None) == UNIQUE_VIOLATION
            if not unique or attempt == ATTEMPTS - 1:
                raise
            logger.info("submission raced a concurrent one for the same person; matching again")
    raise AssertionError("unreachable")


def _resolve(
    *, data: dict, channel: str, payload: dict, ip_hash: str, user_agent: str, by
) -> Submission:
    now = timezone.now()
    email = normalise_email(data["email"])
    phone = normalise_phone(data.get("phone"))
    lookup = Q(email=email) | Q(phone=phone) if phone else Q(email=email)
    # Locking the matches serialises concurrent submissions from one person, so the
    # second sees what the first did and records no second email.
    matches = list(Candidate.objects.select_for_update().filter(lookup).order_by("pk"))
    by_email = next((c for c in matches if c.email == email), None)
    by_phone = next((c for c in matches if phone and stored_value(c, "phone") == phone), None)

    submission = Submission(
        channel=channel,
        payload=_storable(payload),
        ip_hash=ip_hash,
        user_agent=user_agent[:500],
    )
    if by_email and by_phone and by_email.pk != by_phone.pk:
        # Nothing is guessed: staff decide whether these are one person or two.
        submission.outcome = Submission.Outcome.MERGE_REVIEW
        submission.candidate, submission.phone_match = by_email, by_phone
        submission.reason = "The email matches one candidate and the phone another."
        _save(submission)
        _acknowledge(submission=submission, data=data, now=now)
    elif (match := by_email or by_phone) and channel == Submission.Channel.IMPORT:
        _apply_staff_list(submission=submission, candidate=match, data=data, now=now, by=by)
    elif match:
        _match(submission=submission, candidate=match, data=data, now=now)
    else:
        _create(submission=submission, data=data, channel=channel, now=now, by=by)
    return submission


def _save(submission: Submission) -> None:
    submission.save(force_insert=True)


def _create(*, submission: Submission, data: dict, channel: str, now, by) -> None:
    fields = {
        name: submitted_value(data, name)
        for name in CANDIDATE_FIELDS
        if name in data and data[name] is not None
    }
    candidate = Candidate(**fields, consent_at=now if data.get("consent") else None)
    # A plain INSERT: the unique indexes on email and phone decide a concurrent race.
    candidate.save(force_insert=True)
    record_entry(candidate=candidate, by=by, at=now, reason=ENTRY_REASONS.get(channel, ""))
    open_request(candidate=candidate, kind=request_kinds.FIRST_CONTACT, at=now)
    submission.outcome = Submission.Outcome.CREATED
    submission.candidate = candidate
    _save(submission)
    _acknowledge(submission=submission, data=data, now=now)


def _proposed(candidate: Candidate, data: dict, now) -> dict[str, tuple[Any, Any]]:
    """The differences a submission brings, consent to be contacted among them."""
    changes = differences(candidate=candidate, data=data)
    if data.get("consent") and candidate.consent_at is None:
        changes["consent_at"] = (None, now.isoformat())
    return changes


def _match(*, submission: Submission, candidate: Candidate, data: dict, now) -> None:
    """A known person: keep the submission on their timeline, propose what is new."""
    changes = _proposed(candidate, data, now)
    submission.outcome = Submission.Outcome.MATCHED
    submission.candidate = candidate
    submission.reason = (
        "Proposed, waiting for the person to confirm: " + ", ".join(label(name) for name in changes)
        if changes
        else "Nothing new."
    )[:500]
    _save(submission)
    if changes:
        propose_update(candidate=candidate, submission=submission, changes=changes, now=now)
    _acknowledge(submission=submission, data=data, now=now)


def _apply_staff_list(*, submission: Submission, candidate: Candidate, data: dict, now, by):
    """A staff import is staff's own list: what is new applies, the earlier values kept in a
    Note, and the address on file hears of it."""
    changes = apply_changes(candidate=candidate, data=data)
    update_fields = list(changes)
    if data.get("consent") and candidate.consent_at is None:
        candidate.consent_at = now
        update_fields.append("consent_at")
    if update_fields:
        candidate.save(update_fields=[*update_fields, "updated_at"])
    if changes:
        Note.objects.create(
            candidate=candidate,
            author=by,
            body=describe_changes(changes, heading="Updated from a staff import:"),
        )
    submission.outcome = Submission.Outcome.UPDATED
    submission.candidate = candidate
    submission.reason = (
        "Changed: " + ", ".join(label(name) for name in changes) if changes else "Nothing new."
    )[:500]
    _save(submission)
    if changes:
        outbox.record(
            key=f"signup:updated:{submission.uuid}",
            to=changes.get("email", (candidate.email,))[0],
            template="signup_updated",
            context={"name": candidate.greeting_name, "changed": True},
            ref=candidate.ref,
        )


def _acknowledge(*, submission: Submission, data: dict, now) -> None:
    """The same thank-you to the address typed, whether or not we knew it, in the words
    typed: nothing on the record is ever read back to whoever posted the form. One an hour
    to an address at most, so a double click or a reload sends no second one."""
    email = normalise_email(data["email"])
    address = hashlib.sha256(f"{settings.SECRET_KEY}:{email}".encode()).hexdigest()[:24]
    outbox.record(
        key=f"signup:ack:{address}:{now:%Y%m%d%H}",
        to=email,
        template="signup_confirmation",
        context={
            "name": (str(data.get("preferred_name") or "").strip() or data["first_name"]).strip(),
            "privacy_path": reverse("candidates:privacy"),
        },
        ref=submission.candidate.ref if submission.candidate else "",
    )
