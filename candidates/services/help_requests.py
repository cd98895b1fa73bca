"""Help requests: opening, routing, conversations, the clock, reminders and escalations.

A request's due time counts business hours (see business_hours) or calendar days, as its
kind and team say (request_kinds, ResponseTarget). For some kinds (a first contact, an
introduction) the first response answers it; any other request is due to be resolved, or
handed back to the candidate with a question, by its due time. While it waits on the
candidate the clock stops; when they answer, the due time moves on by the business time
the wait lasted. What "overdue", "decided" and "answered" mean is written once, on the
HelpRequest QuerySet.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from candidates import request_kinds
from candidates.models import Candidate, HelpRequest, Holiday, RequestMessage, ResponseTarget
from candidates.models import WorkingHours as WorkingHoursRow
from candidates.request_kinds import Clock
from candidates.services.business_hours import (
    Schedule,
    add_business_days,
    add_business_time,
    business_time_between,
)
from rfs import bulk
from rfs.accounts.models import Role
from rfs.notify import services as outbox
from rfs.redis_guard import KeptSettings

# The same words posted again this soon are a double submit (a double click, a reload that
# posts again): they are answered with what the first post made, and nobody is emailed twice.
REPEAT_WINDOW = timedelta(minutes=10)


class RequestRefused(Exception):
    """The action is not possible on this request as it stands."""


# --- Due times ------------------------------------------------------------------


# The working hours, holidays and response targets change a few times a year and are read
# for every request opened: each process keeps them (redis_guard.KeptSettings), reads them
# again when staff change them, and reads the database whenever Redis cannot answer.
SETTINGS_KEY = "help-requests:settings"
# A staff change drops the version at once; this bounds how long processes keep the old
# schedule when Redis could not be reached at that moment (each rereads it once a period).
CACHED_FOR = 10 * 60


def _forget_settings() -> None:
    """After staff change hours, holidays or targets: the next request reads them anew. Now,
    and again at commit, in case another request kept the old ones in between."""
    _settings.forget()
    transaction.on_commit(_settings.forget)


def _read_schedule() -> Schedule:
    hours = {row.weekday: (row.opens, row.closes) for row in WorkingHoursRow.objects.all()}
    holidays = frozenset(Holiday.objects.values_list("date", flat=True))
    return Schedule(zone=ZoneInfo(settings.RFS_TIME_ZONE), hours=hours, holidays=holidays)


def load_schedule() -> Schedule:
    """The organisation's schedule from the WorkingHours and Holiday rows."""
    return _settings.get()[0]


def _read_targets() -> dict[tuple[str, str], tuple[int, str]]:
    return {(row.kind, row.team): (row.amount, row.clock) for row in ResponseTarget.objects.all()}


_settings = KeptSettings(
    SETTINGS_KEY, lambda: (_read_schedule(), _read_targets()), seconds=CACHED_FOR
)


def response_target(kind: str, *, team: str = "") -> tuple[int, str]:
    """(amount, clock) the organisation gives itself to answer this kind for this team: the
    team's own target, else the kind's target set by staff, else the kind's default."""
    return _target(_settings.get()[1], kind, team)


def _target(targets: dict, kind: str, team: str) -> tuple[int, str]:
    if (kind, team) in targets:
        return targets[(kind, team)]
    if (kind, "") in targets:
        return targets[(kind, "")]
    default = request_kinds.get(kind)
    return default.amount, default.clock


def due_time(
    *, kind: str, opened_at: datetime, team: str = "", schedule: Schedule | None = None
) -> datetime:
    """When a request of this kind (for this team) opened at `opened_at` is due: business
    hours and days count the organisation's working hours and holidays, calendar days do not."""
    kept_schedule, targets = _settings.get()
    amount, clock = _target(targets, kind, team)
    if clock == Clock.CALENDAR_DAYS:
        return opened_at + timedelta(days=amount)
    if clock == Clock.BUSINESS_DAYS:
        return add_business_days(opened_at, amount, schedule or kept_schedule)
    return add_business_time(opened_at, timedelta(hours=amount), schedule or kept_schedule)


@transaction.atomic
def set_response_targets(*, targets: dict[str, tuple[int, str]], team: str = "") -> None:
    """Store (amount, clock) per kind, for every owner or for one team; new requests get
    their due times from them."""
    for kind, (amount, clock) in targets.items():
        ResponseTarget.objects.update_or_create(
            kind=kind, team=team, defaults={"amount": amount, "clock": clock}
        )
    _forget_settings()


@transaction.atomic
def set_working_hours(*, days: dict[int, tuple | None]) -> None:
    """Replace the working hours: {weekday: (opens, closes) or None for closed}. No open day
    at all means every hour counts. Due times already set stay as they are."""
    open_days = {day: period for day, period in days.items() if period}
    WorkingHoursRow.objects.exclude(weekday__in=open_days).delete()
    # Row by row, so a second save at the same moment updates what the first one wrote
    # instead of inserting the same weekday again.
    for day, (opens, closes) in sorted(open_days.items()):
        WorkingHoursRow.objects.update_or_create(
            weekday=day, defaults={"opens": opens, "closes": closes}
        )
    _forget_settings()


@transaction.atomic
def add_holiday(*, date, name: str) -> Holiday:
    """Close the organisation on `date` (a second call for the same date renames it)."""
    holiday, _ = Holiday.objects.update_or_create(date=date, defaults={"name": name})
    _forget_settings()
    return holiday


@transaction.atomic
def remove_holiday(*, holiday: Holiday) -> None:
    """Open the organisation again on a day it had marked closed."""
    holiday.delete()
    _forget_settings()


# --- Who answers ------------------------------------------------------------------


def is_helper(*, help_request: HelpRequest, user) -> bool:
    """True for anyone on the helping side of the request: everyone but its candidate."""
    return help_request.candidate.user_id != user.pk


def _org_time(moment: datetime) -> str:
    """A time as emails show it: in the organisation's zone, which a worker has not activated."""
    local = moment.astimezone(ZoneInfo(settings.RFS_TIME_ZONE))
    return f"{local:%b} {local.day}, {local:%Y %H:%M %Z}"


def _owner_email(help_request: HelpRequest) -> tuple[str, str]:
    """Where the owner hears of the request: the person, else their team, else staff."""
    if help_request.owner_id and help_request.owner.is_active:
        return help_request.owner.email, help_request.owner.get_short_name()
    if help_request.team and (contact := request_kinds.team_contact(help_request.team)):
        return contact
    return settings.RFS_STAFF_EMAIL, "team"


def _candidate_recipient(help_request: HelpRequest) -> tuple[dict[str, str], str]:
    """Where the candidate hears of it, in their language (Candidate.recipient), and their name."""
    candidate = help_request.candidate
    return candidate.recipient, candidate.greeting_name


# --- Opening ----------------------------------------------------------------------


def open_request(
    *,
    candidate: Candidate,
    kind: str,
    owner=None,
    team: str = "",
    subject: str = "",
    topic: str = "",
    at=None,
) -> HelpRequest:
    """Open a request of a registered kind, owned by `owner` (a person) or `team`, or by the
    staff pool when neither is given, with its due time. A candidate has at most one open
    first-contact request: asking again returns the one already open (a unique index holds
    it under concurrent calls, so this needs no transaction of its own)."""
    at = at or timezone.now()
    if kind == request_kinds.FIRST_CONTACT:
        existing = HelpRequest.objects.filter(candidate=candidate, kind=kind).exclude(
            status=HelpRequest.Status.RESOLVED
        )
        if found := existing.first():
            return found
    return HelpRequest.objects.create(
        candidate=candidate,
        kind=kind,
        owner=owner,
        team=team,
        answered_by_first_response=request_kinds.get(kind).answered_by_first_response,
        subject=subject[:200],
        topic=topic,
        opened_at=at,
        due_at=due_time(kind=kind, opened_at=at, team=team),
    )


def open_first_contacts(*, candidates: list[Candidate], at: datetime) -> None:
    """The first-contact requests of new people, in one INSERT (they have none open yet)."""
    due = due_time(kind=request_kinds.FIRST_CONTACT, opened_at=at)
    answered_by_first = request_kinds.get(request_kinds.FIRST_CONTACT).answered_by_first_response
    bulk.insert(
        [
            HelpRequest(
                candidate=candidate,
                kind=request_kinds.FIRST_CONTACT,
                answered_by_first_response=answered_by_first,
                opened_at=at,
                due_at=due,
            )
            for candidate in candidates
        ]
    )


@transaction.atomic
def ask_question(
    *, candidate: Candidate, topic: str, subject: str, body: str, by, owner=None, at=None
) -> HelpRequest:
    """A candidate's question, with the question as the first message, for `owner` (whoever
    the caller routes it to, such as their mentor) or else the staff pool; the owner hears of
    it by email (a link only). The same question posted again within REPEAT_WINDOW returns
    the request it opened."""
    at = at or timezone.now()
    # One candidate's questions one at a time, so a second post sees the first one's request.
    Candidate.objects.select_for_update().values("pk").get(pk=candidate.pk)
    repeat = (
        HelpRequest.objects.filter(
            candidate=candidate,
            kind=request_kinds.QUESTION,
            subject=subject[:200],
            opened_at__gte=at - REPEAT_WINDOW,
            messages__from_helper=False,
            messages__body=body,
        )
        .order_by("-opened_at")
        .first()
    )
    if repeat is not None:
        return repeat
    help_request = open_request(
        candidate=candidate,
        kind=request_kinds.QUESTION,
        owner=owner,
        subject=subject,
        topic=topic,
        at=at,
    )
    RequestMessage.objects.create(
        help_request=help_request, author=by, from_helper=False, body=body
    )
    to, name = _owner_email(help_request)
    outbox.record(
        key=f"request:new:{help_request.pk}",
        to=to,
        template="request_new",
        context={"name": name, "link": help_request.get_absolute_url()},
        ref=candidate.ref,
    )
    return help_request


# --- The conversation ---------------------------------------------------------------


@transaction.atomic
def post_reply(
    *,
    help_request: HelpRequest,
    author,
    body: str,
    wait_for_candidate: bool = False,
    resolve: bool = False,
    at=None,
) -> RequestMessage:
    """Add a reply and tell the other side by email (a link, never the text).
    A helper's first reply is the request's first response; a helper may hand the request
    back to the candidate (the clock stops) or resolve it. A candidate's reply restarts
    the clock, and reopens a resolved request. The author's last reply posted again within
    REPEAT_WINDOW changes nothing and returns that reply."""
    at = at or timezone.now()
    locked = (
        HelpRequest.objects.select_for_update().select_related("candidate").get(pk=help_request.pk)
    )
    last = locked.messages.order_by("-created_at", "-pk").first()
    if (
        last is not None
        and last.author_id == author.pk
        and last.body == body
        and last.created_at >= timezone.now() - REPEAT_WINDOW
    ):
        return last
    helper = is_helper(help_request=locked, user=author)
    message = RequestMessage.objects.create(
        help_request=locked, author=author, from_helper=helper, body=body
    )
    if helper:
        _record_first_response(locked, at)
        if locked.owner_id is None and not locked.team and author.has_role(Role.STAFF):
            # Staff who answer a pool request take it: its reminders now reach them.
            locked.owner = author
        if resolve:
            _resolve(locked, at, count_as_response=True)
        elif wait_for_candidate and locked.status == HelpRequest.Status.OPEN:
            locked.status = HelpRequest.Status.WAITING
            locked.waiting_since = at
        recipient, name = _candidate_recipient(locked)
    else:
        if locked.status == HelpRequest.Status.RESOLVED:
            _reopen(locked)
        elif locked.status == HelpRequest.Status.WAITING:
            _restart_clock(locked, at)
        to, name = _owner_email(locked)
        recipient = {"to": to}
    # The row is locked, so saving every field overwrites nothing a sweep just wrote.
    locked.save()
    outbox.record(
        key=f"request:reply:{message.pk}",
        **recipient,
        template="request_reply",
        context={"name": name, "link": locked.get_absolute_url()},
        ref=locked.candidate.ref,
    )
    help_request.refresh_from_db()
    return message


def _restart_clock(help_request: HelpRequest, at: datetime) -> None:
    """End a wait on the candidate: the due time moves on by the business time it lasted."""
    if help_request.waiting_since is not None:
        schedule = load_schedule()
        paused = business_time_between(help_request.waiting_since, at, schedule)
        help_request.due_at = add_business_time(help_request.due_at, paused, schedule)
    help_request.status = HelpRequest.Status.OPEN
    help_request.waiting_since = None


def _record_first_response(help_request: HelpRequest, at: datetime) -> None:
    if help_request.first_response_at is None:
        help_request.first_response_at = max(at, help_request.opened_at)


def _resolve(help_request: HelpRequest, at: datetime, *, count_as_response: bool) -> None:
    if count_as_response:
        _record_first_response(help_request, at)
    if help_request.status != HelpRequest.Status.RESOLVED:
        help_request.status = HelpRequest.Status.RESOLVED
        help_request.resolved_at = max(at, help_request.opened_at)
        help_request.waiting_since = None


def _reopen(help_request: HelpRequest) -> None:
    # The first response and the due time stay: they are what the figures measure.
    help_request.status = HelpRequest.Status.OPEN
    help_request.resolved_at = None
    help_request.waiting_since = None


def record_first_response(*, help_request: HelpRequest, at=None) -> bool:
    """Set the request's first response time, once. Returns True if this call set it."""
    at = at or timezone.now()
    updated = HelpRequest.objects.filter(pk=help_request.pk, first_response_at__isnull=True).update(
        first_response_at=max(at, help_request.opened_at)
    )
    if updated:
        help_request.refresh_from_db(fields=["first_response_at"])
    return bool(updated)


@transaction.atomic
def resolve_request(*, help_request: HelpRequest, at=None, by=None) -> HelpRequest:
    """Mark a request resolved. Resolved by the helping side (or by no one named) it counts as
    answered, so its first response is set if it had none; closed by the candidate it does not."""
    at = at or timezone.now()
    locked = (
        HelpRequest.objects.select_for_update().select_related("candidate").get(pk=help_request.pk)
    )
    by_candidate = by is not None and not is_helper(help_request=locked, user=by)
    _resolve(locked, at, count_as_response=not by_candidate)
    locked.save()
    help_request.refresh_from_db()
    return help_request


@transaction.atomic
def withdraw_request(*, help_request: HelpRequest, at=None) -> HelpRequest:
    """Close a request that no longer holds (what asked for it changed), unanswered: it
    leaves the owner's work and, never answered, counts in no response time."""
    at = at or timezone.now()
    locked = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
    if locked.status != HelpRequest.Status.RESOLVED:
        _resolve(locked, at, count_as_response=False)
        locked.save()
    help_request.refresh_from_db()
    return help_request


@transaction.atomic
def retitle_request(*, help_request: HelpRequest, subject: str) -> HelpRequest:
    """Change what an open request asks for, keeping its owner and clock."""
    HelpRequest.objects.filter(pk=help_request.pk).update(subject=subject[:200])
    help_request.subject = subject[:200]
    return help_request


@transaction.atomic
def reopen_request(*, help_request: HelpRequest, by, at=None) -> HelpRequest:
    """The candidate reopens a resolved request; its owner hears of it by email."""
    at = at or timezone.now()
    locked = (
        HelpRequest.objects.select_for_update().select_related("candidate").get(pk=help_request.pk)
    )
    if locked.status != HelpRequest.Status.RESOLVED:
        raise RequestRefused("This request is still open.")
    _reopen(locked)
    locked.save()
    to, name = _owner_email(locked)
    outbox.record(
        key=f"request:reopened:{locked.pk}:{int(at.timestamp())}",
        to=to,
        template="request_reopened",
        context={"name": name, "link": locked.get_absolute_url()},
        ref=locked.candidate.ref,
    )
    help_request.refresh_from_db()
    return help_request


@transaction.atomic
def reassign_request(*, help_request: HelpRequest, owner, by) -> HelpRequest:
    """Give an open request to another owner (None: the staff pool); the new owner is told."""
    locked = (
        HelpRequest.objects.select_for_update().select_related("candidate").get(pk=help_request.pk)
    )
    if locked.owner_id == (owner.pk if owner else None):
        return locked
    locked.owner = owner
    locked.save(update_fields=["owner"])
    to, name = _owner_email(locked)
    assignee = owner.pk if owner else "pool"
    outbox.record(
        key=f"request:assigned:{locked.pk}:{assignee}:{timezone.now().timestamp()}",
        to=to,
        template="request_new",
        context={"name": name, "link": locked.get_absolute_url()},
        ref=locked.candidate.ref,
    )
    help_request.refresh_from_db()
    return help_request


# --- The sweep: reminders before the due time, escalation after it -----------------------


def _reminder_share() -> float:
    return settings.RFS_REQUEST_REMINDER_SHARE


def remind_owner(*, help_request_id: int, now=None) -> bool:
    """Remind the owner once. Safe under concurrent sweeps: the conditional UPDATE claims the
    request, so only one caller records the email. Returns True if this call did."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = (
            HelpRequest.objects.to_remind(now, share=_reminder_share())
            .filter(pk=help_request_id)
            .update(reminded_at=now)
        )
        if not claimed:
            return False
        help_request = HelpRequest.objects.select_related("candidate", "owner").get(
            pk=help_request_id
        )
        to, name = _owner_email(help_request)
        outbox.record(
            key=f"request:remind:{help_request.pk}",
            to=to,
            template="request_reminder",
            context={
                "name": name,
                "link": help_request.get_absolute_url(),
                "due": _org_time(help_request.due_at),
            },
            ref=help_request.candidate.ref,
        )
    return True


def escalate(*, help_request_id: int, now=None) -> bool:
    """Tell staff, once, that a request is overdue, and mark it (escalated_at). Claimed by a
    conditional UPDATE like remind_owner. Returns True if this call did it."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = (
            HelpRequest.objects.to_escalate(now).filter(pk=help_request_id).update(escalated_at=now)
        )
        if not claimed:
            return False
        help_request = HelpRequest.objects.select_related("candidate").get(pk=help_request_id)
        outbox.record(
            key=f"request:escalate:{help_request.pk}",
            to=settings.RFS_STAFF_EMAIL,
            template="request_escalation",
            context={
                "name": "team",
                "link": help_request.get_absolute_url(),
                "due": _org_time(help_request.due_at),
            },
            ref=help_request.candidate.ref,
        )
    return True


def sweep_requests(*, now=None) -> dict[str, int]:
    """Remind owners of requests nearing their due time and escalate overdue ones, each once.
    Returns how many of each this run did."""
    now = now or timezone.now()
    reminded = sum(
        remind_owner(help_request_id=pk, now=now)
        for pk in HelpRequest.objects.to_remind(now, share=_reminder_share()).values_list(
            "pk", flat=True
        )[:5000]
    )
    escalated = sum(
        escalate(help_request_id=pk, now=now)
        for pk in HelpRequest.objects.to_escalate(now).values_list("pk", flat=True)[:5000]
    )
    return {"reminded": reminded, "escalated": escalated}
