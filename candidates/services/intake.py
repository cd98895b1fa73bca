"""Intake: resolving every submission (signup form, import, partner webhook) to one candidate.

One person is one candidate: a submission matches an existing record by normalised email
or by E.164 phone, both unique in the database. Every raw submission is kept as a
Submission row, whatever became of it. When a match changes a record, the earlier values
are written to a Note on the candidate's timeline ("Updated from a new signup: City:
Springfield → Shelbyville"), and the Submission's reason names the fields that changed.
"""

import hashlib
import logging
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from phonenumber_field.phonenumber import PhoneNumber, to_python

from candidates import request_kinds
from candidates.models import Candidate, HelpRequest, Note, Submission
from candidates.services.help_requests import open_request
from candidates.services.pipeline import record_entry
from rfs.notify import services as outbox
from rfs.notify.models import Notification

logger = logging.getLogger(__name__)

# The candidate fields a submission may carry, in the order the form asks for them.
CANDIDATE_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "pronouns",
    "email",
    "phone",
    "zip_code",
    "state",
    "city",
    "birth_year",
    "office_level",
    "office",
    "district",
    "election_year",
    "has_filed",
    "party",
    "source",
    "source_detail",
    "why_run",
    "needs",
    "gender",
    "race_ethnicity",
    "lgbtq",
)
# How someone first heard of us is kept for attribution: later submissions only fill it in.
FIRST_TOUCH_FIELDS = {"source", "source_detail"}
# A repeat of the same details this soon after the last one (a double-click, a reload)
# records no second email: the person has just been sent one.
REPEAT_QUIET = timedelta(hours=1)
ATTEMPTS = 3
UNIQUE_VIOLATION = "23505"

ENTRY_REASONS = {
    Submission.Channel.FORM: "Signed up",
    Submission.Channel.IMPORT: "Imported from an earlier signup list",
    Submission.Channel.WEBHOOK: "Signed up through a partner form",
}


class MergeRefused(Exception):
    """The merge cannot be done as asked; the message says why."""


# --- Normalising ------------------------------------------------------------


def normalise_email(value: str) -> str:
    return (value or "").strip().lower()


def normalise_phone(value: PhoneNumber | str | None) -> str | None:
    """E.164 text of a valid number (US numbers may be written nationally), else None."""
    if not value:
        return None
    number = value if isinstance(value, PhoneNumber) else to_python(str(value), region="US")
    if not isinstance(number, PhoneNumber) or not number.is_valid():
        return None
    return number.as_e164


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


def _field_value(data: dict, name: str) -> Any:
    value = data.get(name)
    if name == "email":
        return normalise_email(value)
    if name == "phone":
        return normalise_phone(value)
    if name == "needs":
        return sorted(value or [])
    if isinstance(value, str):
        return value.strip()
    return value


def _current_value(candidate: Candidate, name: str) -> Any:
    value = getattr(candidate, name)
    if name == "phone":
        return value.as_e164 if value else None
    if name == "needs":
        return sorted(value or [])
    return value


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or value == []


# --- Spam and rate limits ----------------------------------------------------


def allow_signup(*, ip_hash: str) -> bool:
    """Count one signup from this address in the current hour. False once it is past
    settings.RFS_SIGNUP_RATE_LIMIT."""
    window = int(time.time() // 3600)
    key = f"signup-rate:{ip_hash}:{window}"
    # add() is a no-op when the key exists, so the first request of the hour starts the count.
    cache.add(key, 0, timeout=3600 + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.add(key, 1, timeout=3600 + 60)
        count = 1
    return count <= settings.RFS_SIGNUP_RATE_LIMIT


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
    """Keep the submission and resolve it to one candidate: create one, update the match
    (earlier values kept in a Note), or park it for merge review when email and phone
    match two different people. Records the email and opens first contact for new people."""
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
    # second sees what the first changed and records no second email.
    matches = list(Candidate.objects.select_for_update().filter(lookup).order_by("pk"))
    by_email = next((c for c in matches if c.email == email), None)
    by_phone = next((c for c in matches if phone and _current_value(c, "phone") == phone), None)

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
    elif match := by_email or by_phone:
        _update(submission=submission, candidate=match, data=data, now=now, by=by)
    else:
        _create(submission=submission, data=data, channel=channel, now=now, by=by)
    submission.save(force_insert=True)
    return submission


def _create(*, submission: Submission, data: dict, channel: str, now, by) -> None:
    fields = {
        name: _field_value(data, name)
        for name in CANDIDATE_FIELDS
        if name in data and data[name] is not None
    }
    candidate = Candidate(**fields, consent_at=now if data.get("consent") else None)
    # A plain INSERT: the unique indexes on email and phone decide a concurrent race.
    candidate.save(force_insert=True)
    record_entry(candidate=candidate, by=by, at=now, reason=ENTRY_REASONS.get(channel, ""))
    open_request(candidate=candidate, kind=request_kinds.FIRST_CONTACT, at=now)
    outbox.record(
        key=f"signup:confirm:{candidate.uuid}",
        to=candidate.email,
        template="signup_confirmation",
        context=_email_context(candidate),
        ref=candidate.ref,
    )
    submission.outcome = Submission.Outcome.CREATED
    submission.candidate = candidate


def _update(*, submission: Submission, candidate: Candidate, data: dict, now, by) -> None:
    previous_email = candidate.email
    changes = apply_changes(candidate=candidate, data=data)
    update_fields = list(changes)
    if data.get("consent"):
        candidate.consent_at = now
        update_fields.append("consent_at")
    if update_fields:
        candidate.save(update_fields=[*update_fields, "updated_at"])
    if changes:
        Note.objects.create(
            candidate=candidate,
            author=by,
            body=describe_changes(changes, heading=_heading(submission)),
        )
    submission.outcome = Submission.Outcome.UPDATED
    submission.candidate = candidate
    submission.reason = (
        "Changed: " + ", ".join(_label(name) for name in changes) if changes else "Nothing new."
    )[:500]

    if not changes:
        recent = Submission.objects.filter(
            candidate=candidate, received_at__gte=now - REPEAT_QUIET
        ).exists()
        if recent:
            return
    context = {**_email_context(candidate), "changed": bool(changes)}
    key = f"signup:updated:{submission.uuid}"
    # The address on record hears of every change, so a changed email is never silent.
    outbox.record(
        key=key, to=previous_email, template="signup_updated", context=context, ref=candidate.ref
    )
    if candidate.email != previous_email:
        outbox.record(
            key=f"{key}:new",
            to=candidate.email,
            template="signup_updated",
            context=context,
            ref=candidate.ref,
        )


def apply_changes(*, candidate: Candidate, data: dict) -> dict[str, tuple[Any, Any]]:
    """Set on `candidate` (unsaved) what `data` says that is new; blank answers never erase.
    Returns {field: (before, after)}."""
    changes = {}
    for name in CANDIDATE_FIELDS:
        if name not in data:
            continue
        new = _field_value(data, name)
        old = _current_value(candidate, name)
        if _is_blank(new) or new == old:
            continue
        if name == "has_filed" and not new:
            continue  # an unticked box is no evidence someone withdrew their filing
        if name in FIRST_TOUCH_FIELDS and not _is_blank(old):
            continue
        changes[name] = (old, new)
        setattr(candidate, name, new)
    return changes


def describe_changes(changes: dict[str, tuple[Any, Any]], *, heading: str) -> str:
    lines = [heading]
    for name, (old, new) in changes.items():
        lines.append(f"{_label(name)}: {_show(name, old)} → {_show(name, new)}")
    return "\n".join(lines)


def _heading(submission: Submission) -> str:
    return f"Updated from a new submission ({submission.get_channel_display().lower()}):"


def _label(name: str) -> str:
    return str(Candidate._meta.get_field(name).verbose_name).capitalize()


def _show(name: str, value: Any) -> str:
    if _is_blank(value):
        return "(blank)"
    field = Candidate._meta.get_field(name)
    if name == "needs":
        labels = dict(field.base_field.choices)
        return ", ".join(str(labels.get(item, item)) for item in value)
    if name == "has_filed":
        return "yes" if value else "no"
    if field.choices:
        return str(dict(field.choices).get(value, value))
    return str(value)


def _email_context(candidate: Candidate) -> dict:
    return {
        "name": candidate.preferred_name or candidate.first_name,
        "privacy_path": reverse("candidates:privacy"),
    }


# --- Merge review ---------------------------------------------------------


def waiting_for_review():
    """Submissions that matched two different people, oldest first, with both candidates."""
    return (
        Submission.objects.filter(outcome=Submission.Outcome.MERGE_REVIEW)
        .select_related("candidate", "phone_match")
        .order_by("received_at", "pk")
    )


@transaction.atomic
def merge_candidates(
    *, submission: Submission, keep: Candidate, by, data: dict | None = None
) -> Candidate:
    """Combine the two candidates a merge-review submission matched into `keep`: move every
    related row onto it, record what happened in a Note, delete the other record, and apply
    the submission (its email and phone, plus `data`, its validated answers, if given)."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.outcome != Submission.Outcome.MERGE_REVIEW:
        raise MergeRefused("This submission has already been reviewed.")
    pair = [pk for pk in (submission.candidate_id, submission.phone_match_id) if pk]
    if keep.pk not in pair:
        raise MergeRefused("Keep one of the two candidates this submission matched.")
    # Lock both in a fixed order, so two staff merging at once cannot deadlock.
    locked = {
        c.pk: c for c in Candidate.objects.select_for_update().filter(pk__in=pair).order_by("pk")
    }
    keep = locked[keep.pk]
    email_match = locked.get(submission.candidate_id)
    phone_match = locked.get(submission.phone_match_id)
    email = email_match.email if email_match else keep.email
    phone = _current_value(phone_match, "phone") if phone_match else None
    duplicate = next((c for pk, c in locked.items() if pk != keep.pk), None)

    story = []
    if duplicate is not None:
        story = _absorb(keep=keep, duplicate=duplicate)
    # The identity the person gave: the email of one record and the phone of the other.
    identity = {"email": email, "phone": phone} if phone else {"email": email}
    identity_changes = apply_changes(candidate=keep, data=identity)
    for name, (old, new) in identity_changes.items():
        story.append(f"{_label(name)}: {_show(name, old)} → {_show(name, new)}")
    keep.save()
    Note.objects.create(candidate=keep, author=by, body="\n".join(story) or "Merge review:")

    if data:
        changes = apply_changes(candidate=keep, data=data)
        if changes:
            keep.save()
            Note.objects.create(
                candidate=keep,
                author=by,
                body=describe_changes(changes, heading=_heading(submission)),
            )

    Submission.objects.filter(pk=submission.pk).update(
        outcome=Submission.Outcome.MERGED,
        candidate=keep,
        phone_match=None,
        reviewed_by=by,
        reviewed_at=timezone.now(),
        reason=(
            f"Merged {duplicate.display_name} ({duplicate.uuid}) into this record."
            if duplicate
            else "Both matches were already one record; its details were applied."
        )[:500],
    )
    return keep


def _absorb(*, keep: Candidate, duplicate: Candidate) -> list[str]:
    """Move everything that points at `duplicate` onto `keep`, fill `keep`'s blanks from it,
    and delete it. Returns the lines of the merge note."""
    story = [
        f"Merged a duplicate record into this one: {duplicate.display_name}, {duplicate.email}, "
        f"{duplicate.phone or 'no phone'}, stage {duplicate.get_stage_display()}, "
        f"created {timezone.localtime(duplicate.created_at):%Y-%m-%d %H:%M}.",
        "The duplicate's answers were: "
        + "; ".join(
            f"{_label(name)}: {_show(name, _current_value(duplicate, name))}"
            for name in CANDIDATE_FIELDS
            if not _is_blank(_current_value(duplicate, name))
        ),
    ]
    _close_second_first_contact(keep=keep, duplicate=duplicate)

    moved = []
    # Every relation that points at Candidate, from this app or any other, found through
    # the model's metadata so this module needs to know none of the other apps.
    for relation in Candidate._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete):
            continue
        if not (relation.one_to_many or relation.one_to_one):
            continue
        model, field = relation.related_model, relation.field.name
        rows = model._base_manager.filter(**{field: duplicate})
        if (
            relation.one_to_one
            and rows.exists()
            and model._base_manager.filter(**{field: keep}).exists()
        ):
            raise MergeRefused(
                f"Both records have a {model._meta.verbose_name}; remove one of them first."
            )
        try:
            with transaction.atomic():
                count = rows.update(**{field: keep})
        except IntegrityError as exc:
            raise MergeRefused(
                f"Both records have {model._meta.verbose_name_plural} that can exist only once "
                "per person; close the duplicate's first, then merge."
            ) from exc
        if count and not relation.hidden:
            meta = model._meta
            moved.append(f"{count} {meta.verbose_name_plural if count > 1 else meta.verbose_name}")
    if moved:
        story.append("Moved from the duplicate: " + ", ".join(moved) + ".")

    # Emails sent to the duplicate now show on this record.
    Notification.objects.filter(ref=duplicate.ref).update(ref=keep.ref)

    filled = []
    for name in CANDIDATE_FIELDS:
        if name in {"email", "phone"}:
            continue
        value, current = _current_value(duplicate, name), _current_value(keep, name)
        if name == "has_filed":
            value, current = value or None, current or None
        if _is_blank(current) and not _is_blank(value):
            setattr(keep, name, value)
            filled.append(_label(name))
    if keep.owner_id is None and duplicate.owner_id is not None:
        keep.owner_id = duplicate.owner_id
        filled.append("Owner")
    if keep.consent_at is None and duplicate.consent_at is not None:
        keep.consent_at = duplicate.consent_at
    if filled:
        story.append("Filled in from the duplicate: " + ", ".join(filled) + ".")
    if keep.user_id is None and duplicate.user_id is not None:
        # The portal login follows the person; free it on the duplicate first (it is unique).
        user_id = duplicate.user_id
        Candidate.objects.filter(pk=duplicate.pk).update(user=None)
        keep.user_id = user_id
        story.append("The duplicate's portal login now opens this record.")
    duplicate.delete()
    return story


def _close_second_first_contact(*, keep: Candidate, duplicate: Candidate) -> None:
    """One person has one open first-contact request: keep the one opened first, and close
    the other unanswered, so response-time figures count the person once."""
    open_requests = list(
        HelpRequest.objects.select_for_update()
        .filter(candidate__in=[keep, duplicate], kind=request_kinds.FIRST_CONTACT)
        .exclude(status=HelpRequest.Status.RESOLVED)
        .order_by("opened_at", "pk")
    )
    for extra in open_requests[1:]:
        HelpRequest.objects.filter(pk=extra.pk).update(
            status=HelpRequest.Status.RESOLVED, resolved_at=timezone.now(), waiting_since=None
        )


@transaction.atomic
def split_submission(*, submission: Submission, by) -> Submission:
    """Keep both candidates as two people, exactly as they are: the submission is marked
    reviewed and nothing from it is applied; it stays kept, linked to the email's record."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.outcome != Submission.Outcome.MERGE_REVIEW:
        raise MergeRefused("This submission has already been reviewed.")
    submission.outcome = Submission.Outcome.SPLIT
    submission.reviewed_by = by
    submission.reviewed_at = timezone.now()
    submission.reason = "Kept as two people; nothing from this submission was applied."
    submission.save(update_fields=["outcome", "reviewed_by", "reviewed_at", "reason"])
    return submission
