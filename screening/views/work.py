"""A candidate's screening: the page of a claimed candidate and what the screener holding them
does there (log contact attempts, book, move or cancel a call, move them to unresponsive),
and the screening panel of a staff candidate page."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from candidates.models import Candidate, Need
from rfs.accounts.roles import staff_required
from screening.forms import ContactAttemptForm, ScheduleCallForm
from screening.models import Claim, ContactAttempt, ScheduledCall, ScreeningCall
from screening.services import booking, contact
from screening.services.guards import ScreeningError
from screening.services.zones import candidate_zone, user_zone
from screening.views.access import load_candidate, worker_required


def _schedule_form(request: HttpRequest, candidate: Candidate, data=None) -> ScheduleCallForm:
    return ScheduleCallForm(
        data,
        screener_zone=user_zone(request.user),
        candidate_zone=candidate_zone(candidate),
    )


def _screening_record(candidate: Candidate) -> dict[str, Any]:
    """What screening holds on a candidate: the open claim, the attempts, the booked call and
    the logged calls; the work page and staff's panel show the same."""
    claim = Claim.objects.open().filter(candidate=candidate).select_related("screener").first()
    return {
        "candidate": candidate,
        "claim": claim,
        "attempts": ContactAttempt.objects.filter(candidate=candidate).select_related("screener"),
        "booked": ScheduledCall.objects.upcoming().filter(candidate=candidate).first(),
        "calls": ScreeningCall.objects.filter(candidate=candidate).select_related("screener"),
    }


def _work_page(
    request: HttpRequest,
    candidate: Candidate,
    *,
    attempt_form: ContactAttemptForm | None = None,
    schedule_form: ScheduleCallForm | None = None,
) -> HttpResponse:
    record = _screening_record(candidate)
    claim = record["claim"]
    held = claim is not None and claim.screener_id == request.user.pk
    zone = candidate_zone(candidate)
    context = {
        **record,
        "held": held,
        "candidate_zone": zone,
        "screener_zone": user_zone(request.user),
        "local_now": timezone.now().astimezone(zone),
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
    return _work_page(request, load_candidate(request, uuid))


@worker_required
@require_POST
def log_attempt(request: HttpRequest, uuid) -> HttpResponse:
    candidate = load_candidate(request, uuid)
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
    candidate = load_candidate(request, uuid)
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
def unresponsive(request: HttpRequest, uuid) -> HttpResponse:
    candidate = load_candidate(request, uuid)
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


@staff_required
def panel(request: HttpRequest, uuid) -> HttpResponse:
    """The screening panel of a staff candidate page: claim, attempts, booked and logged calls."""
    record = _screening_record(load_candidate(request, uuid))
    return render(request, "screening/_candidate_panel.html", record)
