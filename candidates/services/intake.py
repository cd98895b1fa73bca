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
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DataError, IntegrityError, connection, transaction
from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone, translation
from phonenumber_field.phonenumber import PhoneNumber

from candidates.details import (
    CANDIDATE_FIELDS,
    apply_changes,
    describe_changes,
    differences,
    listed,
    normalise_email,
    normalise_phone,
    stored_value,
    submitted_value,
)
from candidates.models import (
    Candidate,
    Destination,
    LeadSource,
    Note,
    Stage,
    Submission,
    WaitingSignup,
)
from candidates.services import destinations
from candidates.services.help_requests import open_first_contacts
from candidates.services.people_counts import count_people
from candidates.services.pipeline import record_entries
from candidates.services.proposed_updates import propose_updates
from rfs import bulk
from rfs.accounts.limits import within_limit
from rfs.notify import alerts
from rfs.notify import services as outbox

logger = logging.getLogger(__name__)

ATTEMPTS = 3
# How many submissions a worker resolves in one transaction.
BATCH = 500
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


def storable(value: Any) -> Any:
    """A posted value as jsonb can keep it."""
    # PostgreSQL's jsonb cannot hold U+0000, so a posted null byte is kept as U+FFFD.
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list | tuple):
        return [storable(item) for item in value]
    if isinstance(value, dict):
        return {storable(str(key)): storable(item) for key, item in value.items()}
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
        payload=storable(payload),
        ip_hash=ip_hash,
        user_agent=user_agent[:500],
        outcome=outcome,
        reason=reason[:500],
    )


# --- Resolving submissions ----------------------------------------------------


@dataclass
class Incoming:
    """One submission as it arrives: its validated answers and the raw payload it came in."""

    data: dict
    channel: str
    payload: dict
    ip_hash: str = ""
    user_agent: str = ""
    by: Any = None
    # A partner form's lead: its source, and whether that form asked to contact the person.
    # Someone new from a form that did not ask becomes a lead: counted, never queued or
    # emailed; a known person is not asked to confirm anything on its account.
    source: LeadSource | None = None
    contact: bool = True
    # The language of the page it was sent from (settings.LANGUAGES); blank when unknown.
    language: str = ""
    # When it was posted, if it was stored first and is resolved later.
    received_at: datetime | None = None


def resolve_submission(
    *,
    data: dict,
    channel: str,
    payload: dict,
    ip_hash: str = "",
    user_agent: str = "",
    by=None,
    language: str = "",
) -> Submission:
    """Keep the submission and resolve it to one candidate: see resolve_submissions. Someone
    new is stored with the language of the page they used (blank: the organisation's)."""
    incoming = Incoming(data, channel, payload, ip_hash, user_agent, by, language=language)
    return resolve_submissions([incoming])[0]


def resolve_submissions(incoming: list[Incoming]) -> list[Submission]:
    """Keep each submission and resolve it to one candidate: create one; for a known person,
    propose what is new (or, from a staff import, apply it); or park it for merge review
    when email and phone match two different people. The address typed hears the same
    acknowledgement whichever it was. A batch is set-based: one query finds everyone it
    names, and each kind of row is written in one INSERT, however many submissions."""
    for attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                return _Batch(incoming).resolve()
        except IntegrityError as exc:
            # A concurrent submission inserted the same email or phone first (a
            # double-click, a second worker): match again and find its record.
            unique = getattr(exc.__cause__, "pgcode", None) == UNIQUE_VIOLATION
            if not unique or attempt == ATTEMPTS - 1:
                raise
            logger.info("submissions raced concurrent ones for the same people; matching again")
    raise AssertionError("unreachable")


def resolve_each(incoming: list[Incoming]) -> list[Submission | str]:
    """resolve_submissions (which rolls its own savepoint back when it fails). When what one
    submission's own values can cause (too long for a column, a race lost three times) fails
    the batch, each is resolved alone; one that fails alone is given back as why it could not
    be saved. Anything else is ours to fix, and rolls the whole batch back to wait for it."""
    try:
        return resolve_submissions(incoming)
    except (DataError, IntegrityError) as exc:
        if len(incoming) == 1:
            # Not the message: a database error quotes the submission's values.
            return [f"Could not be saved: {type(exc).__name__}"]
        diag = getattr(exc.__cause__, "diag", None)
        logger.warning(
            "a batch of %s submissions failed (%s %s); resolving them one by one",
            len(incoming),
            type(exc).__name__,
            getattr(diag, "constraint_name", "") or "",
        )
        return [outcome for item in incoming for outcome in resolve_each([item])]


class _Batch:
    """One transaction's submissions, resolved together. A person new to us who comes twice
    in the same batch is created by the first and matched by the second."""

    def __init__(self, incoming: list[Incoming]) -> None:
        self.incoming = incoming
        # The batch happens when its oldest post came in: a first contact is owed from the
        # signup, not from when a worker got to it.
        posted = [item.received_at for item in incoming if item.received_at is not None]
        self.now = min(posted) if posted else timezone.now()
        self.by_email: dict[str, Candidate] = {}
        self.by_phone: dict[str, Candidate] = {}
        self.created: list[tuple[Candidate, Incoming]] = []
        self.matched: list[tuple[Candidate, Submission, dict]] = []
        self.messages: list[dict] = []

    def resolve(self) -> list[Submission]:
        # Each item's email and phone as stored, worked out once (checking a phone number
        # is the dearest part of matching).
        keys = [
            (normalise_email(item.data["email"]), normalise_phone(item.data.get("phone")))
            for item in self.incoming
        ]
        self._lock_known(keys)
        submissions = [
            self._classify(item, email, phone)
            for item, (email, phone) in zip(self.incoming, keys, strict=True)
        ]
        self._write(submissions)
        return submissions

    def _lock_known(self, keys: list[tuple[str, str | None]]) -> None:
        emails = {email for email, _ in keys}
        phones = {phone for _, phone in keys if phone}
        # One query for everyone the batch names. Locking them serialises concurrent
        # submissions from one person, so the second sees what the first did. (Written out:
        # every signup runs it, and building it through the ORM cost more than running it.
        # Ids only: most signups name nobody we know, and reading no row through a raw
        # queryset cost twice the query; the people found are read in a second one.)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {Candidate._meta.db_table} "  # noqa: S608 - our own table
                "WHERE email = ANY(%s) OR phone = ANY(%s) ORDER BY id FOR UPDATE",
                [sorted(emails), sorted(phones)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
        if ids:
            for candidate in Candidate.objects.filter(pk__in=ids).order_by("pk"):
                self._remember(candidate)

    def _remember(self, candidate: Candidate) -> None:
        self.by_email[candidate.email] = candidate
        if phone := stored_value(candidate, "phone"):
            self.by_phone[phone] = candidate

    def _classify(self, item: Incoming, email: str, phone: str | None) -> Submission:
        by_email, by_phone = self.by_email.get(email), self.by_phone.get(phone) if phone else None
        submission = Submission(
            received_at=item.received_at or self.now,
            channel=item.channel,
            lead_source=item.source,
            payload=storable(item.payload),
            ip_hash=item.ip_hash,
            user_agent=item.user_agent[:500],
            heard_from=(item.data.get("heard_from") or "")[:64],
        )
        if by_email and by_phone and by_email is not by_phone:
            # Nothing is guessed: staff decide whether these are one person or two.
            submission.outcome = Submission.Outcome.MERGE_REVIEW
            submission.candidate, submission.phone_match = by_email, by_phone
            submission.reason = "The email matches one candidate and the phone another."
        elif (match := by_email or by_phone) and item.channel == Submission.Channel.IMPORT:
            self._apply_staff_list(submission, match, item)
        elif match:
            self._match(submission, match, item)
        else:
            self._create(submission, item, email, phone)
        if submission.outcome != Submission.Outcome.UPDATED and item.contact:
            self._acknowledge(submission, item, email)
        return submission

    def _create(self, submission: Submission, item: Incoming, email: str, phone: str | None):
        fields = {
            name: submitted_value(item.data, name)
            for name in CANDIDATE_FIELDS
            if name not in ("email", "phone") and item.data.get(name) is not None
        }
        fields.update(email=email, phone=phone, first_source=item.source)
        if item.language:
            fields["language"] = item.language
        if not item.contact:
            fields["stage"] = Stage.LEAD
        consent = item.data.get("consent") and item.contact
        candidate = Candidate(**fields, consent_at=self.now if consent else None)
        self._remember(candidate)
        self.created.append((candidate, item))
        submission.outcome, submission.candidate = Submission.Outcome.CREATED, candidate

    def _match(self, submission: Submission, candidate: Candidate, item: Incoming) -> None:
        """A known person: keep the submission on their timeline, propose what is new."""
        changes = differences(candidate=candidate, data=item.data)
        if item.data.get("consent") and candidate.consent_at is None:
            changes["consent_at"] = (None, self.now.isoformat())
        submission.outcome, submission.candidate = Submission.Outcome.MATCHED, candidate
        if not item.contact:
            # Their form did not ask to contact them: nothing is emailed, so nothing proposed.
            submission.reason = "Kept; the form did not ask to contact them, so nothing proposed."
            return
        submission.reason = (
            "Proposed, waiting for the person to confirm: " + listed(changes)
            if changes
            else "Nothing new."
        )[:500]
        if changes:
            self.matched.append((candidate, submission, changes))

    def _apply_staff_list(self, submission: Submission, candidate: Candidate, item: Incoming):
        """A staff import is staff's own list: what is new applies, the earlier values kept in
        a Note, and the address on file hears of it."""
        changes = apply_changes(candidate=candidate, data=item.data)
        update_fields = list(changes)
        if item.data.get("consent") and candidate.consent_at is None:
            candidate.consent_at = self.now
            update_fields.append("consent_at")
        if update_fields and candidate.pk:
            candidate.save(update_fields=[*update_fields, "updated_at"])
        if changes and candidate.pk:
            Note.objects.create(
                candidate=candidate,
                author=item.by,
                body=describe_changes(changes, heading="Updated from a staff import:"),
            )
        submission.outcome, submission.candidate = Submission.Outcome.UPDATED, candidate
        submission.reason = ("Changed: " + listed(changes) if changes else "Nothing new.")[:500]
        if changes:
            self.messages.append(
                {
                    "key": f"signup:updated:{submission.uuid}",
                    "to": changes.get("email", (candidate.email,))[0],
                    "language": candidate.language,
                    "template": "signup_updated",
                    "context": {"name": candidate.greeting_name, "changed": True},
                    "ref": candidate.ref,
                }
            )

    def _acknowledge(self, submission: Submission, item: Incoming, email: str) -> None:
        """The same thank-you to the address typed, whether or not we knew it, in the words
        typed: nothing on the record is ever read back to whoever posted the form. One an
        hour to an address at most, so a double click or a reload sends no second one."""
        address = hashlib.sha256(f"{settings.SECRET_KEY}:{email}".encode()).hexdigest()[:24]
        name = str(item.data.get("preferred_name") or "").strip() or item.data["first_name"]
        # The notice in the language of the form (a worker resolving it has none active).
        with translation.override(item.language or settings.LANGUAGE_CODE):
            privacy_path = reverse("intake:privacy")
        self.messages.append(
            {
                "key": f"signup:ack:{address}:{self.now:%Y%m%d%H}",
                "to": email,
                # The language of the form they filled in, like the name: never the record's.
                "language": item.language,
                "template": "signup_confirmation",
                "context": {
                    "name": name.strip(),
                    "privacy_path": privacy_path,
                },
                "ref": submission.candidate.ref if submission.candidate else "",
            }
        )

    def _write(self, submissions: list[Submission]) -> None:
        """Every row of the batch: one INSERT per kind, whatever the batch's size.

        The new people and the daily counts come last. Every signup of a day adds to the
        same few count rows (signups per state, by a trigger on the candidate's INSERT; the
        day's entries per stage; the day's unique people), and a transaction holds the rows
        it added to until it commits: written first, they kept every concurrent signup
        waiting through all the statements after them. So the new people's ids are drawn
        first, the rows that name them are written before them (PostgreSQL checks foreign
        keys at commit), and the counts are the last statements before the commit."""
        created = [candidate for candidate, _ in self.created]
        if created:
            self._draw_ids(created)
            asked = [c for c in created if c.stage != Stage.LEAD]
            if asked:
                open_first_contacts(candidates=asked, at=self.now)
            destinations.record(
                event=Destination.Event.PERSON_CREATED, candidates=created, at=self.now
            )
        bulk.insert(submissions)
        if self.matched:
            propose_updates(self.matched, now=self.now)
        outbox.record_many(self.messages)
        if not created:
            return
        # Plain INSERTs: the unique indexes on email and phone decide a concurrent race.
        bulk.insert(created)
        for channel in {item.channel for _, item in self.created}:
            record_entries(
                candidates=[c for c, item in self.created if item.channel == channel],
                at=self.now,
                reason=ENTRY_REASONS.get(channel, ""),
                by=next(item.by for _, item in self.created if item.channel == channel),
            )
        count_people([c.first_source_id for c in created], day=timezone.localdate(self.now))

    @staticmethod
    def _draw_ids(candidates: list[Candidate]) -> None:
        """Ids for new people from their table's own sequence, in one round trip."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Candidate._meta.db_table, len(candidates)],
            )
            for candidate, (pk,) in zip(candidates, cursor.fetchall(), strict=True):
                candidate.pk = pk


# --- Signups from our own form --------------------------------------------------------


def accept_signup(
    *, data: dict, payload: dict, ip_hash: str = "", user_agent: str = "", language: str = ""
) -> WaitingSignup:
    """Keep a signup whose answers the form has checked, in one INSERT. A worker resolves it
    moments later (resolve_waiting_signups): the person's page and email do not wait for it."""
    signup = WaitingSignup(
        data=signup_answers(data),
        payload=storable(payload),
        ip_hash=ip_hash,
        user_agent=user_agent[:500],
        language=language,
    )
    return bulk.insert([signup])[0]


def signup_answers(data: dict) -> dict:
    """The signup form's checked answers as a waiting signup keeps them (JSON; the phone in
    E.164), which the form reads back as they were."""
    return storable(
        {
            name: value.as_e164 if isinstance(value, PhoneNumber) else value
            for name, value in data.items()
        }
    )


def resolve_waiting_signups(*, limit: int = BATCH) -> int:
    """Resolve up to `limit` waiting signups, oldest first, as one batch, in the transaction
    that deletes them; one that cannot be saved is kept, with why. Returns how many were
    taken. Concurrent workers take different ones (SKIP LOCKED)."""
    table = WaitingSignup._meta.db_table
    with transaction.atomic():
        # Taken and deleted in one statement, first: nothing is written after the day's
        # counts, which every concurrent batch waits for (see _Batch._write).
        taken = WaitingSignup.objects.raw(
            f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} "  # noqa: S608 - our own table
            "WHERE reason = '' ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED) RETURNING *",
            [limit],
        )
        waiting = sorted(taken, key=lambda signup: signup.pk)
        if not waiting:
            return 0
        outcomes = resolve_each(
            [
                Incoming(
                    data=signup.data,
                    channel=Submission.Channel.FORM,
                    payload=signup.payload,
                    ip_hash=signup.ip_hash,
                    user_agent=signup.user_agent,
                    language=signup.language,
                    received_at=signup.received_at,
                )
                for signup in waiting
            ]
        )
        failed = []
        for signup, outcome in zip(waiting, outcomes, strict=True):
            if not isinstance(outcome, Submission):
                logger.error("signup %s could not be saved: %s", signup.pk, outcome)
                signup.reason = outcome
                failed.append(signup)
        bulk.insert(failed)
    return len(waiting)


def waiting_signups() -> int:
    """Signups stored and not yet resolved (none once the workers have caught up)."""
    return WaitingSignup.objects.filter(reason="").count()


def alert_if_signups_wait(*, now: datetime | None = None) -> bool:
    """Record one alert to staff for this hour if a signup has waited to be saved longer than
    settings.RFS_INTAKE_ALERT_AFTER: the sweeps found it but saving keeps failing (the error
    log says why), so the people who signed up are not in the pipeline. Returns True when
    this call recorded it. (With no worker at all, nothing runs this: /healthz says so.)"""
    now = now or timezone.now()
    waiting = WaitingSignup.objects.filter(reason="").aggregate(
        count=Count("pk"), oldest=Min("received_at")
    )
    if not waiting["count"] or now - waiting["oldest"] < settings.RFS_INTAKE_ALERT_AFTER:
        return False
    minutes = int((now - waiting["oldest"]).total_seconds() // 60)
    logger.error("the oldest signup not yet saved has waited %d minute(s)", minutes)
    return alerts.alert_staff(
        topic="signups-waiting",
        template="signups_waiting",
        context={"minutes": minutes, "waiting": waiting["count"]},
        ref="signups",
        now=now,
    )


def purge_refused_signups(*, now: datetime | None = None) -> int:
    """Delete the signups the database refused that came in more than the set days ago (the
    reason stays in the error log, without the person's answers). Returns how many went."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.RFS_INTAKE_KEEP_REFUSED_DAYS)
    deleted, _ = WaitingSignup.objects.exclude(reason="").filter(received_at__lt=cutoff).delete()
    return deleted
