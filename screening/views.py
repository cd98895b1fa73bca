"""Screening pages: the queue, a claimed candidate, call logs, a screener's own page, and the
staff oversight pages (all calls, volunteer hours, CSV export)."""

import uuid as uuid_module
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from candidates.csv_files import csv_lines
from candidates.models import Candidate, Need
from rfs.accounts.models import Role
from rfs.accounts.roles import role_required, staff_required
from screening.forms import (
    CallFilterForm,
    ContactAttemptForm,
    QueueFilterForm,
    ReportPeriodForm,
    ScheduleCallForm,
    ScreeningCallForm,
)
from screening.models import (
    RUBRIC,
    Claim,
    ContactAttempt,
    ScheduledCall,
    ScreeningCall,
    ScreeningCallRevision,
    awaiting_contact,
)
from screening.services import booking, claims, contact, zones
from screening.services import calls as call_logs
from screening.services.guards import ScreeningError

worker_required = role_required(Role.SCREENER, Role.STAFF)

QUEUE_PAGE_SIZE = 50
CALLS_PAGE_SIZE = 50


# --- The queue -------------------------------------------------------------------


@worker_required
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET)
    waiting = awaiting_contact().only(
        "uuid", "first_name", "state", "office_level", "office", "created_at"
    )
    if form.is_valid():
        if state := form.cleaned_data["state"]:
            waiting = waiting.filter(state=state)
        if level := form.cleaned_data["office_level"]:
            waiting = waiting.filter(office_level=level)
    page = Paginator(waiting, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/candidate_queue.html",
        {
            "form": form,
            "page": page,
            "filters": form.cleaned_data if form.is_valid() else {},
            "open_claims": Claim.objects.open().filter(screener=request.user).count(),
        },
    )


@worker_required
@require_POST
def claim_next(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.POST)
    filters = form.cleaned_data if form.is_valid() else {}
    try:
        claim = claims.claim_next(
            screener=request.user,
            state=filters.get("state", ""),
            office_level=filters.get("office_level", ""),
        )
    except ScreeningError as exc:
        messages.error(request, str(exc))
        return redirect("screening:queue")
    if claim is None:
        messages.info(request, "Nobody is waiting for a first call right now.")
        return redirect("screening:queue")
    messages.success(request, f"You claimed {claim.candidate.display_name}.")
    return redirect("screening:candidate", uuid=claim.candidate.uuid)


@worker_required
@require_POST
def claim(request: HttpRequest, uuid) -> HttpResponse:
    candidate = awaiting_contact().filter(uuid=uuid).first()
    try:
        if candidate is None:
            raise ScreeningError("Someone else has just claimed this candidate.")
        claims.claim_candidate(candidate=candidate, screener=request.user)
    except ScreeningError as exc:
        messages.error(request, str(exc))
        return redirect("screening:queue")
    messages.success(request, f"You claimed {candidate.display_name}.")
    return redirect("screening:candidate", uuid=candidate.uuid)


# --- A claimed candidate ---------------------------------------------------------


def _load(request: HttpRequest, uuid) -> Candidate:
    """A candidate the user may work on: staff any, a screener only the ones they hold."""
    return get_object_or_404(Candidate.objects.visible_to(request.user), uuid=uuid)


def _schedule_form(request: HttpRequest, candidate: Candidate, data=None) -> ScheduleCallForm:
    return ScheduleCallForm(
        data,
        screener_zone=zones.user_zone(request.user),
        candidate_zone=zones.candidate_zone(candidate),
    )


def _work_page(
    request: HttpRequest,
    candidate: Candidate,
    *,
    attempt_form: ContactAttemptForm | None = None,
    schedule_form: ScheduleCallForm | None = None,
) -> HttpResponse:
    claim = Claim.objects.open().filter(candidate=candidate).select_related("screener").first()
    held = claim is not None and claim.screener_id == request.user.pk
    zone = zones.candidate_zone(candidate)
    context = {
        "candidate": candidate,
        "claim": claim,
        "held": held,
        "candidate_zone": zone,
        "screener_zone": zones.user_zone(request.user),
        "local_now": timezone.now().astimezone(zone),
        "attempts": ContactAttempt.objects.filter(candidate=candidate).select_related("screener"),
        "booked": ScheduledCall.objects.upcoming().filter(candidate=candidate).first(),
        "calls": ScreeningCall.objects.filter(candidate=candidate).select_related("screener"),
        "needs": [Need(n).label for n in candidate.needs if n in Need.values],
        "attempt_form": attempt_form or ContactAttemptForm(candidate=candidate),
        "schedule_form": schedule_form or _schedule_form(request, candidate),
        "unresponsive": contact.unresponsive_check(candidate=candidate) if held else None,
        "unresponsive_rule": {
            "attempts": settings.RFS_UNRESPONSIVE_ATTEMPTS,
            "days": settings.RFS_UNRESPONSIVE_DAYS,
        },
    }
    status = 400 if attempt_form or schedule_form else 200
    return render(request, "screening/candidate_work.html", context, status=status)


@worker_required
def candidate(request: HttpRequest, uuid) -> HttpResponse:
    return _work_page(request, _load(request, uuid))


@worker_required
@require_POST
def log_attempt(request: HttpRequest, uuid) -> HttpResponse:
    candidate = _load(request, uuid)
    form = ContactAttemptForm(request.POST, candidate=candidate)
    if not form.is_valid():
        return _work_page(request, candidate, attempt_form=form)
    try:
        attempt = contact.log_attempt(
            candidate=candidate,
            by=request.user,
            kind=form.cleaned_data["kind"],
            at=form.cleaned_data["at"],
            note=form.cleaned_data["note"],
        )
    except ScreeningError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Attempt logged: {attempt.get_kind_display()}.")
    return redirect("screening:candidate", uuid=candidate.uuid)


@worker_required
@require_POST
def schedule(request: HttpRequest, uuid) -> HttpResponse:
    """Book a call, or move the one already booked."""
    candidate = _load(request, uuid)
    form = _schedule_form(request, candidate, request.POST)
    if not form.is_valid():
        return _work_page(request, candidate, schedule_form=form)
    booked = ScheduledCall.objects.upcoming().filter(candidate=candidate).first()
    try:
        if booked is None:
            booking.schedule_call(
                candidate=candidate, by=request.user, starts_at=form.cleaned_data["starts_at"]
            )
            messages.success(request, "Call booked; the candidate has been sent a confirmation.")
        else:
            booking.reschedule_call(
                scheduled=booked, by=request.user, starts_at=form.cleaned_data["starts_at"]
            )
            messages.success(request, "Call moved; the candidate has been sent the new time.")
    except ScreeningError as exc:
        messages.error(request, str(exc))
    return redirect("screening:candidate", uuid=candidate.uuid)


@worker_required
@require_POST
def cancel_scheduled(request: HttpRequest, uuid) -> HttpResponse:
    booked = get_object_or_404(
        ScheduledCall.objects.visible_to(request.user).select_related("candidate"), uuid=uuid
    )
    try:
        booking.cancel_call(scheduled=booked, by=request.user)
    except ScreeningError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Call cancelled; the candidate has been told.")
    return redirect("screening:candidate", uuid=booked.candidate.uuid)


@worker_required
@require_POST
def release(request: HttpRequest, uuid) -> HttpResponse:
    claim = get_object_or_404(
        Claim.objects.visible_to(request.user).select_related("candidate"), uuid=uuid
    )
    try:
        released = claims.release_claim(claim=claim, by=request.user)
    except ScreeningError as exc:
        messages.error(request, str(exc))
        return redirect("screening:mine")
    if released:
        messages.success(request, f"{claim.candidate.display_name} is back in the queue.")
    else:
        messages.info(request, "That claim had already ended.")
    if request.user.has_role(Role.STAFF) and claim.screener_id != request.user.pk:
        return redirect("screening:candidate", uuid=claim.candidate.uuid)
    return redirect("screening:mine")


@worker_required
@require_POST
def unresponsive(request: HttpRequest, uuid) -> HttpResponse:
    candidate = _load(request, uuid)
    try:
        contact.mark_unresponsive(candidate=candidate, by=request.user)
    except ScreeningError as exc:
        messages.error(request, str(exc))
        return redirect("screening:candidate", uuid=candidate.uuid)
    messages.success(
        request,
        f"{candidate.display_name} is marked unresponsive; a kind email invites them to reply.",
    )
    return redirect("screening:mine")


# --- Call logs -----------------------------------------------------------------------


def _already_logged(request: HttpRequest) -> ScreeningCall | None:
    """The call this very form logged before, if it was posted already (a double submit)."""
    try:
        token = uuid_module.UUID(request.POST.get("form_token", ""))
    except ValueError:
        return None
    return ScreeningCall.objects.visible_to(request.user).filter(form_token=token).first()


@worker_required
def log_call(request: HttpRequest, uuid) -> HttpResponse:
    if request.method == "POST" and (same := _already_logged(request)):
        # After its outcome the candidate is no longer held, so look the call up first.
        messages.info(request, "This call was already logged.")
        return redirect(same)
    candidate = _load(request, uuid)
    if request.method == "POST":
        form = ScreeningCallForm(request.POST, candidate=candidate)
        if form.is_valid():
            data = form.cleaned_data
            try:
                call, created = call_logs.log_call(
                    candidate=candidate,
                    by=request.user,
                    happened_at=data["happened_at"],
                    duration_minutes=data["duration_minutes"],
                    outcome=data["outcome"],
                    scores=form.scores,
                    needs=data["needs"],
                    notes=data["notes"],
                    next_step=data["next_step"],
                    form_token=data["form_token"],
                )
            except ScreeningError as exc:
                messages.error(request, str(exc))
                return redirect("screening:mine")
            if created:
                messages.success(request, f"Call logged: {call.get_outcome_display()}.")
            else:
                messages.info(request, "This call was already logged.")
            return redirect(call)
    else:
        booked = ScheduledCall.objects.upcoming().filter(candidate=candidate).first()
        started = booked.starts_at if booked and booked.starts_at <= timezone.now() else None
        form = ScreeningCallForm(
            candidate=candidate,
            initial={"happened_at": timezone.localtime(started or timezone.now())},
        )
    return render(
        request,
        "screening/screeningcall_form.html",
        {"form": form, "candidate": candidate, "rubric": RUBRIC},
        status=400 if form.is_bound else 200,
    )


def _load_call(request: HttpRequest, uuid) -> ScreeningCall:
    return get_object_or_404(
        ScreeningCall.objects.visible_to(request.user).select_related("candidate", "screener"),
        uuid=uuid,
    )


def _revision_rows(revisions) -> list[dict]:
    """Each revision with its previous values as labelled, readable text."""
    rows = []
    for revision in revisions:
        changes = []
        for field, value in revision.previous.items():
            label = ScreeningCall._meta.get_field(field).verbose_name
            if field == "happened_at" and value:
                shown = timezone.localtime(parse_datetime(value)).strftime("%b %d, %Y %H:%M")
            elif field == "needs":
                shown = ", ".join(Need(n).label for n in value if n in Need.values) or "none"
            elif field == "next_step" and value in ScreeningCall.NextStep.values:
                shown = ScreeningCall.NextStep(value).label
            else:
                shown = value if value not in ("", None) else "empty"
            changes.append({"label": label, "value": shown})
        rows.append({"revision": revision, "changes": changes})
    return rows


@worker_required
def call_detail(request: HttpRequest, uuid) -> HttpResponse:
    call = _load_call(request, uuid)
    revisions = ScreeningCallRevision.objects.filter(call=call).select_related("by")
    return render(
        request,
        "screening/screeningcall_detail.html",
        {
            "call": call,
            "needs": [Need(n).label for n in call.needs if n in Need.values],
            "can_edit": call_logs.can_edit_call(call=call, user=request.user),
            "revisions": _revision_rows(revisions),
        },
    )


@worker_required
def call_edit(request: HttpRequest, uuid) -> HttpResponse:
    call = _load_call(request, uuid)
    if not call_logs.can_edit_call(call=call, user=request.user):
        messages.error(
            request,
            f"A call log can be edited for {settings.RFS_CALL_EDIT_HOURS} hours; "
            "ask staff to change this one.",
        )
        return redirect(call)
    if request.method == "POST":
        form = ScreeningCallForm(request.POST, candidate=call.candidate, editing=call)
        if form.is_valid():
            changes = {
                name: form.cleaned_data[name]
                for name in call_logs.EDITABLE_FIELDS
                if name in form.fields
            }
            try:
                revision = call_logs.edit_call(call=call, by=request.user, changes=changes)
            except ScreeningError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "Call log saved." if revision else "Nothing changed.")
            return redirect(call)
    else:
        initial = {name: getattr(call, name) for name in call_logs.EDITABLE_FIELDS}
        initial["happened_at"] = timezone.localtime(call.happened_at)
        form = ScreeningCallForm(candidate=call.candidate, editing=call, initial=initial)
    return render(
        request,
        "screening/screeningcall_form.html",
        {"form": form, "candidate": call.candidate, "call": call, "rubric": RUBRIC},
        status=400 if form.is_bound else 200,
    )


# --- A screener's own page --------------------------------------------------------


def _month_start() -> datetime:
    return timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)


@worker_required
def mine(request: HttpRequest) -> HttpResponse:
    user = request.user
    held = (
        Claim.objects.open()
        .filter(screener=user)
        .select_related("candidate")
        .prefetch_related(
            Prefetch(
                "scheduled_calls",
                queryset=ScheduledCall.objects.upcoming(),
                to_attr="booked",
            )
        )
        .order_by("claimed_at")
    )
    calls = Paginator(
        ScreeningCall.objects.filter(screener=user).select_related("candidate"), CALLS_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/screener_home.html",
        {
            "claims": held,
            "page": calls,
            "minutes": ScreeningCall.objects.filter(screener=user).minutes_summary(
                since=_month_start()
            ),
            "month": timezone.localtime(),
        },
    )


# --- Staff oversight -------------------------------------------------------------


def _filtered_calls(request: HttpRequest):
    form = CallFilterForm(request.GET)
    calls = ScreeningCall.objects.visible_to(request.user).select_related("candidate", "screener")
    if form.is_valid():
        calls = form.apply(calls)
    return form, calls


@staff_required
def calls(request: HttpRequest) -> HttpResponse:
    form, rows = _filtered_calls(request)
    page = Paginator(rows.defer("notes", "candidate__why_run"), CALLS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "screening/screeningcall_list.html",
        {"form": form, "page": page, "query": params.urlencode()},
    )


def _csv_rows(rows):
    """The export's rows; csv_lines writes them with formula-like cells neutralised."""
    yield [
        "happened_at",
        "screener",
        "candidate",
        "state",
        "office_level",
        "duration_minutes",
        "outcome",
        *[criterion.field for criterion in RUBRIC],
        "needs_found",
        "next_step",
    ]
    for call in rows.iterator(chunk_size=500):
        yield [
            timezone.localtime(call.happened_at).strftime("%Y-%m-%d %H:%M"),
            call.screener.name or call.screener.email,
            call.candidate.display_name,
            call.candidate.state,
            call.candidate.get_office_level_display(),
            call.duration_minutes,
            call.get_outcome_display(),
            *[getattr(call, criterion.field) for criterion in RUBRIC],
            "; ".join(Need(n).label for n in call.needs if n in Need.values),
            call.get_next_step_display(),
        ]


@staff_required
def calls_export(request: HttpRequest) -> HttpResponse:
    form, rows = _filtered_calls(request)
    if form.errors:
        messages.error(request, "Correct the filters before exporting.")
        return redirect(f"{reverse('screening:calls')}?{request.GET.urlencode()}")
    response = StreamingHttpResponse(
        csv_lines(_csv_rows(rows.defer("notes"))), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="screening-calls-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@staff_required
def hours(request: HttpRequest) -> HttpResponse:
    form = ReportPeriodForm(request.GET)
    start, end = form.period()
    zone = timezone.get_current_timezone()
    in_period = ScreeningCall.objects.filter(happened_at__gte=start, happened_at__lt=end)
    attempts = ContactAttempt.objects.filter(at__gte=start, at__lt=end)
    return render(
        request,
        "screening/screeningcall_hours.html",
        {
            "form": form,
            "start": start,
            "end": end - timedelta(days=1),
            "by_month": in_period.minutes_by_screener_month(zone=zone),
            "per_week": in_period.per_week(zone=zone),
            "outcomes": in_period.outcome_mix(),
            "totals": in_period.minutes_summary(since=start),
            "first_contact": attempts.time_to_first_contact_by_screener(),
        },
    )


@staff_required
def panel(request: HttpRequest, uuid) -> HttpResponse:
    """The screening panel of a staff candidate page: claim, attempts, booked and logged calls."""
    candidate = get_object_or_404(Candidate.objects.visible_to(request.user), uuid=uuid)
    return render(
        request,
        "screening/_candidate_panel.html",
        {
            "candidate": candidate,
            "claim": Claim.objects.open()
            .filter(candidate=candidate)
            .select_related("screener")
            .first(),
            "attempts": ContactAttempt.objects.filter(candidate=candidate).select_related(
                "screener"
            ),
            "booked": ScheduledCall.objects.upcoming().filter(candidate=candidate).first(),
            "calls": ScreeningCall.objects.filter(candidate=candidate).select_related("screener"),
        },
    )
