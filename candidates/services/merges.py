"""Merge review: submissions whose email matched one person and phone another wait here
for staff, who merge the two records into one or keep them as two people."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from candidates import request_kinds
from candidates.details import (
    CANDIDATE_FIELDS,
    apply_changes,
    describe_changes,
    is_blank,
    label,
    show,
    stored_value,
)
from candidates.models import Candidate, HelpRequest, Note, Submission
from candidates.services.people_counts import count_people
from candidates.services.pipeline import restate_history
from rfs.notify.models import Notification

logger = logging.getLogger(__name__)


class MergeRefused(Exception):
    """The merge cannot be done as asked; the message says why."""


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
    phone = stored_value(phone_match, "phone") if phone_match else None
    duplicate = next((c for pk, c in locked.items() if pk != keep.pk), None)

    story = []
    if duplicate is not None:
        story = _absorb(keep=keep, duplicate=duplicate)
    # The identity the person gave: the email of one record and the phone of the other.
    identity = {"email": email, "phone": phone} if phone else {"email": email}
    identity_changes = apply_changes(candidate=keep, data=identity)
    for name, (old, new) in identity_changes.items():
        story.append(f"{label(name)}: {show(name, old)} → {show(name, new)}")
    keep.save()
    Note.objects.create(candidate=keep, author=by, body="\n".join(story) or "Merge review:")

    if data:
        changes = apply_changes(candidate=keep, data=data)
        if changes:
            keep.save()
            Note.objects.create(
                candidate=keep,
                author=by,
                body=describe_changes(changes, heading="Applied from the reviewed submission:"),
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
            f"{label(name)}: {show(name, stored_value(duplicate, name))}"
            for name in CANDIDATE_FIELDS
            if not is_blank(stored_value(duplicate, name))
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
    # The two histories are one now: its stays and the daily counts follow.
    restate_history(candidate_ids=[keep.pk])

    # Emails sent to the duplicate now show on this record.
    Notification.objects.filter(ref=duplicate.ref).update(ref=keep.ref)

    filled = []
    for name in CANDIDATE_FIELDS:
        if name in {"email", "phone"}:
            continue
        value, current = stored_value(duplicate, name), stored_value(keep, name)
        if name == "has_filed":
            value, current = value or None, current or None
        if is_blank(current) and not is_blank(value):
            setattr(keep, name, value)
            filled.append(label(name))
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
    # One person now: the count loses the duplicate, where it was first counted.
    count_people([duplicate.first_source_id], day=timezone.localdate(duplicate.created_at), add=-1)
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
