"""Call logs: logging the call with a claimed candidate, a call log's page with its history,
and editing a call log."""

import uuid as uuid_module

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from candidates.models import Need
from screening.forms import ScreeningCallForm
from screening.models import (
    RUBRIC,
    FollowUp,
    ScheduledCall,
    ScreeningCall,
    ScreeningCallRevision,
)
from screening.services import calls
from screening.services.guards import ScreeningError
from screening.views.access import load_candidate, worker_required
from trainings.services import training_choices


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
    candidate = load_candidate(request, uuid)
    if request.method == "POST":
        form = ScreeningCallForm(request.POST, candidate=candidate, trainings=training_choices())
        if form.is_valid():
            data = form.cleaned_data
            try:
                call, created = calls.log_call(
                    candidate=candidate,
                    by=request.user,
                    happened_at=data["happened_at"],
                    duration_minutes=data["duration_minutes"],
                    outcome=data["outcome"],
                    scores=form.scores,
                    needs=data["needs"],
                    notes=data["notes"],
                    next_step=data["next_step"],
                    next_step_note=data["next_step_note"],
                    check_back_on=data["check_back_on"],
                    training_uuid=data["training_uuid"],
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
            trainings=training_choices(),
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
            "can_edit": calls.can_edit_call(call=call, user=request.user),
            "revisions": _revision_rows(revisions),
            "follow_up": FollowUp.objects.filter(call=call).select_related("help_request").first(),
        },
    )


@worker_required
def call_edit(request: HttpRequest, uuid) -> HttpResponse:
    call = _load_call(request, uuid)
    if not calls.can_edit_call(call=call, user=request.user):
        messages.error(
            request,
            f"A call log can be edited for {settings.RFS_CALL_EDIT_HOURS} hours; "
            "ask staff to change this one.",
        )
        return redirect(call)
    if request.method == "POST":
        form = ScreeningCallForm(
            request.POST, candidate=call.candidate, editing=call, trainings=training_choices()
        )
        if form.is_valid():
            changes = {
                name: form.cleaned_data[name]
                for name in calls.EDITABLE_FIELDS
                if name in form.fields
            }
            try:
                revision = calls.edit_call(call=call, by=request.user, changes=changes)
            except ScreeningError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "Call log saved." if revision else "Nothing changed.")
            return redirect(call)
    else:
        initial = {name: getattr(call, name) for name in calls.EDITABLE_FIELDS}
        initial["happened_at"] = timezone.localtime(call.happened_at)
        form = ScreeningCallForm(
            candidate=call.candidate, editing=call, initial=initial, trainings=training_choices()
        )
    return render(
        request,
        "screening/screeningcall_form.html",
        {"form": form, "candidate": call.candidate, "call": call, "rubric": RUBRIC},
        status=400 if form.is_bound else 200,
    )
