"""A person's data rights: everything held about them, and its erasure.

The candidates app gathers its own rows and asks each section registered in
candidates.data_rights for the rows of the apps above it. Erasure removes what is personal
and keeps what the counts and the law need: the candidate row itself (so the count of unique
people and the dashboard's figures stay), the stage history, request times, and whatever a
section keeps (a contribution's amount, date and candidacy).
"""

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Func, Q, TextField, Value
from django.db.models.functions import Cast
from django.http import HttpRequest
from django.utils import timezone

from candidates import data_rights, request_kinds
from candidates.details import CANDIDATE_FIELDS
from candidates.models import (
    Candidate,
    CandidateImport,
    DestinationEvent,
    HelpRequest,
    ImportRejection,
    Lead,
    Note,
    ProposedUpdate,
    RequestMessage,
    StageChange,
    Submission,
    WaitingSignup,
)
from candidates.services import help_requests
from rfs.accounts.erasure import erase_login
from rfs.accounts.events import Kind, forget_subject, record_event
from rfs.notify.models import Notification
from rfs.notify.retention import forget_recipient

ERASED_NAME = "Erased person"
# What erasure keeps on the candidate row: what the dashboard counts by, nothing that names.
KEPT_FIELDS = {"state", "office_level", "election_year", "has_filed", "source", "needs", "stage"}


def placeholder_email(candidate: Candidate) -> str:
    """The unique, undeliverable address an erased person's record keeps."""
    return f"erased-{candidate.uuid}@erased.invalid"


def is_erased(candidate: Candidate) -> bool:
    return candidate.email == placeholder_email(candidate)


# --- Export ------------------------------------------------------------------------------


def personal_data(candidate: Candidate) -> dict[str, Any]:
    """Everything held about `candidate`, as JSON-ready sections (label -> rows)."""
    person = {name: _plain(getattr(candidate, name)) for name in CANDIDATE_FIELDS}
    person |= {
        "id": str(candidate.uuid),
        "stage": candidate.stage,
        "consent_at": candidate.consent_at,
        "created_at": candidate.created_at,
        "login": candidate.user.email if candidate.user else None,
    }
    sections: dict[str, Any] = {
        "Person": [person],
        "Submissions": data_rights.rows(
            Submission.objects.filter(candidate=candidate),
            "received_at",
            "channel",
            "outcome",
            "payload",
            "user_agent",
        ),
        "Signups not yet saved": data_rights.rows(
            _waiting_signups(candidate), "received_at", "reason", "payload", "user_agent"
        ),
        "Proposed updates": data_rights.rows(
            ProposedUpdate.objects.filter(candidate=candidate), "created_at", "status", "changes"
        ),
        "Stage history": data_rights.rows(
            StageChange.objects.filter(candidate=candidate),
            "at",
            "from_stage",
            "to_stage",
            "reason",
        ),
        "Notes": data_rights.rows(Note.objects.filter(candidate=candidate), "created_at", "body"),
        "Requests": data_rights.rows(
            HelpRequest.objects.filter(candidate=candidate),
            "opened_at",
            "kind",
            "subject",
            "status",
            "resolved_at",
        ),
        "Request messages": data_rights.rows(
            RequestMessage.objects.filter(help_request__candidate=candidate),
            "created_at",
            "body",
        ),
        "Emails": data_rights.rows(
            Notification.objects.filter(ref=candidate.ref).exclude(secret=True),
            "created_at",
            "to_email",
            "subject",
            "status",
            "sent_at",
        ),
    }
    for section in data_rights.sections():
        sections[section.label] = section.export(candidate)
    return sections


def export_person(
    *, candidate: Candidate, by, request: HttpRequest | None = None
) -> dict[str, Any]:
    """Everything held about `candidate` (personal_data), the export logged as an event."""
    data = personal_data(candidate)
    record_event(
        kind=Kind.DATA_EXPORT,
        actor=by,
        subject_id=candidate.uuid,
        subject_label=candidate.display_name,
        request=request,
    )
    return data


def _plain(value: Any) -> Any:
    return value.as_e164 if hasattr(value, "as_e164") else value


def _waiting_signups(candidate: Candidate):
    """Their signups from our form that a worker has not saved yet: moments away, or refused
    by the database and kept, with why, for staff."""
    return WaitingSignup.objects.filter(data__email__iexact=candidate.email)


# --- Erasure -----------------------------------------------------------------------------


@transaction.atomic
def erase_person(*, candidate: Candidate, by, request: HttpRequest | None = None) -> Candidate:
    """Remove what is personal about `candidate` everywhere, in one transaction, keeping the
    record (counts), its stage history and request times; logged as an event."""
    candidate = (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=candidate.pk)
    )
    email, login = candidate.email, candidate.user
    placeholder = placeholder_email(candidate)
    _erase_records(candidate)
    forget_recipient(refs=[candidate.ref], email=email, placeholder=placeholder)
    for section in data_rights.sections():
        section.erase(candidate)
    forget_subject(subject_id=candidate.uuid, label=ERASED_NAME, user=login, email=email)
    if login is not None:
        erase_login(user=login, placeholder_email=placeholder)
    _erase_fields(candidate, placeholder)
    Note.objects.create(
        candidate=candidate, author=by, body="Personal data erased at the person's request."
    )
    record_event(
        kind=Kind.ERASURE,
        actor=by,
        subject_id=candidate.uuid,
        subject_label=ERASED_NAME,
        request=request,
    )
    return candidate


def _erase_records(candidate: Candidate) -> None:
    """The candidates app's own rows: raw submissions and what came of them, notes, words."""
    submissions = Submission.objects.filter(candidate=candidate)
    Lead.objects.filter(submission__in=submissions).update(payload={}, reason="")
    submissions.update(payload={}, ip_hash="", user_agent="", reason="")
    proposals = ProposedUpdate.objects.filter(candidate=candidate)
    proposals.filter(status=ProposedUpdate.Status.PENDING).update(
        status=ProposedUpdate.Status.DISMISSED, decided_at=timezone.now()
    )
    proposals.update(changes={})
    Note.objects.filter(candidate=candidate).delete()
    StageChange.objects.filter(candidate=candidate).update(reason="")
    HelpRequest.objects.filter(candidate=candidate).update(subject="")
    RequestMessage.objects.filter(help_request__candidate=candidate).update(body="")
    DestinationEvent.objects.filter(payload__person__id=str(candidate.uuid)).update(
        payload={"person": {"id": str(candidate.uuid), "erased": True}}
    )
    # Their signups not saved yet. One a worker is saving at this very moment is skipped, not
    # waited for (that would deadlock on this record's lock): the worker waits for this
    # transaction and, the address gone from this record, keeps it as a new signup.
    WaitingSignup.objects.filter(
        pk__in=_waiting_signups(candidate).select_for_update(skip_locked=True).values("pk")
    ).delete()
    # Rows that name them without being theirs: another record's signup that gave their
    # phone (merge review), another person's signup refused and kept for staff, dead-lettered
    # leads and rejected import rows never resolved to anyone, and the files of staff imports.
    traces = _traces(candidate)
    _scrub(Submission.objects.filter(phone_match=candidate), "payload", traces)
    for field in ("data", "payload"):
        _scrub(WaitingSignup.objects.exclude(reason=""), field, traces)
    _scrub(Lead.objects.filter(status=Lead.Status.DEAD), "payload", traces)
    _scrub(ImportRejection.objects.all(), "values", traces)
    for candidate_import in _mentioning(CandidateImport.objects.all(), "content", traces):
        lines = candidate_import.content.splitlines(keepends=True)
        candidate_import.content = "".join(line for line in lines if not _names(line, traces))
        candidate_import.save(update_fields=["content"])


@dataclass(frozen=True)
class Traces:
    """What identifies a person in raw text: their address, and their phone's digits however
    they were written (202-555-0170, (202) 555 0170, +12025550170)."""

    email: str
    phone_digits: str


def _traces(candidate: Candidate) -> Traces:
    digits = str(candidate.phone.national_number) if candidate.phone else ""
    return Traces(email=candidate.email, phone_digits=digits)


def _names(value: Any, traces: Traces) -> bool:
    text = str(value).lower()
    if traces.email in text:
        return True
    return bool(traces.phone_digits) and traces.phone_digits in re.sub(r"\D", "", text)


def _mentioning(queryset, field: str, traces: Traces):
    """The rows of `queryset` whose `field` names them (found in the database)."""
    text = Cast(field, TextField())
    digits = Func(
        text,
        Value(r"\D"),
        Value(""),
        Value("g"),
        function="REGEXP_REPLACE",
        output_field=TextField(),
    )
    mentions = Q(as_text__icontains=traces.email)
    if traces.phone_digits:
        mentions |= Q(as_digits__contains=traces.phone_digits)
    return queryset.annotate(as_text=text, as_digits=digits).filter(mentions)


def _scrub(queryset, field: str, traces: Traces) -> None:
    """Drop the answers naming them from the JSON `field` of the rows of `queryset` that do."""
    for row in _mentioning(queryset, field, traces):
        value = getattr(row, field)
        if isinstance(value, dict):
            kept = {k: v for k, v in value.items() if not _names(v, traces)}
        else:
            kept = [v for v in value if not _names(v, traces)]
        type(row).objects.filter(pk=row.pk).update(**{field: kept})


def _erase_fields(candidate: Candidate, placeholder: str) -> None:
    blank = {
        "first_name": ERASED_NAME.split()[0],
        "last_name": ERASED_NAME.split()[1],
        "email": placeholder,
        "phone": None,
        "birth_year": None,
        "zip_code": "",
    }
    for name in CANDIDATE_FIELDS:
        if name in KEPT_FIELDS:
            continue
        setattr(candidate, name, blank.get(name, ""))
    candidate.user = None
    candidate.save()


# --- The person asks ----------------------------------------------------------------------

WHAT = {"export": "A copy of their data", "erasure": "Erasure of their data"}


@transaction.atomic
def ask_for_data(
    *, candidate: Candidate, what: str, by, request: HttpRequest | None = None
) -> HelpRequest:
    """The person asks for a copy of their data or its erasure: a data request for staff,
    due within settings.RFS_DATA_REQUEST_DAYS. Asking again while one is open returns it."""
    subject = WHAT[what]
    # One person's asks one at a time, so a second click finds the first request.
    Candidate.objects.select_for_update().values("pk").get(pk=candidate.pk)
    open_already = (
        HelpRequest.objects.unresolved()
        .filter(candidate=candidate, kind=request_kinds.DATA_REQUEST, subject=subject)
        .first()
    )
    if open_already is not None:
        return open_already
    help_request = help_requests.open_request(
        candidate=candidate, kind=request_kinds.DATA_REQUEST, subject=subject
    )
    record_event(
        kind=Kind.DATA_REQUEST,
        actor=by,
        subject_id=candidate.uuid,
        subject_label=candidate.display_name,
        detail=subject,
        request=request,
    )
    return help_request
