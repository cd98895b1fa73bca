"""Staff oversight: every call log with filters and a CSV export, and volunteer hours with
the outcome mix and time to first contact."""

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from candidates.csv_files import csv_lines
from candidates.models import Need
from rfs.accounts.events import Kind, record_event
from rfs.accounts.roles import staff_required
from screening.forms import CallFilterForm, ReportPeriodForm
from screening.models import RUBRIC, Claim, ContactAttempt, ScreeningCall

CALLS_PAGE_SIZE = 50


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
    record_event(kind=Kind.EXPORT, detail="Screening calls CSV", request=request)
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
            "churn": Claim.objects.filter(
                claimed_at__gte=start, claimed_at__lt=end
            ).churn_by_screener(),
        },
    )
