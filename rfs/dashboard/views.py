"""The staff pipeline dashboard and the lists behind its figures."""

import csv
from datetime import date, datetime, time

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from candidates.models import Stage
from endorsements.services import figures as endorsement_figures
from rfs.accounts.roles import staff_required
from rfs.dashboard import follow_through, lists, partners, report
from rfs.dashboard.forms import DashboardForm
from rfs.dashboard.metrics import Scope

LIST_PAGE_SIZE = 50
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES) and not _is_number(text):
        return f"'{text}"
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    """The dashboard for the period and filters in the query string; with format=csv and
    table=<name>, that table as CSV."""
    form = DashboardForm(request.GET)
    form.is_valid()  # a value with an error is shown beside its field; the default is used
    period = form.chosen_period()
    scope = Scope(period=period, filters=form.filters())
    context = report.build(scope)
    # Partner figures come from the partners app's report.
    context["tables"]["partners"] = partners.partner_table(scope)
    context["partners_report_url"] = partners.report_url(scope)
    context["tables"].update(follow_through.tables(scope))
    if request.GET.get("format") == "csv":
        table = context["tables"].get(request.GET.get("table", ""))
        if table is None:
            raise Http404("No such table.")
        return _csv_response(table, period)
    for name, table in context["tables"].items():
        params = request.GET.copy()
        params["format"], params["table"] = "csv", name
        table.csv_url = f"?{params.urlencode()}"
    return render(
        request,
        "dashboard/index.html",
        {
            **context,
            "form": form,
            "period": period,
            "zone": period.zone.key,
            "filters": scope.filters,
            "query": request.GET.urlencode(),
        },
    )


def _csv_response(table: report.Table, period) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{table.name}-{period.first_day:%Y%m%d}-{period.last_day:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_csv_value(cell.csv) for cell in row])
    return response


@staff_required
def people(request: HttpRequest) -> HttpResponse:
    """The list behind one of the dashboard's figures."""
    form = lists.ListForm(request.GET)
    page = None
    if form.is_valid():
        page = Paginator(lists.rows(form), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    data = getattr(form, "cleaned_data", {})
    show = data.get("show")
    return render(
        request,
        "dashboard/list.html",
        {
            "form": form,
            "show": show,
            "kind": lists.LISTS.get(show),
            "stage_label": Stage(data["stage"]).label if data.get("stage") else "",
            "filter_text": _describe(form),
            "page": page,
            "now": timezone.now(),
            "dashboard_query": _dashboard_query(request),
        },
        status=200 if page is not None else 400,
    )


def _describe(form) -> str:
    """The filters in words: "State: Texas, Office level: School board"."""
    parts = []
    for name, value in form.filters().items():
        field = form.fields[name]
        shown = dict(getattr(field, "choices", [])).get(value, value)
        parts.append(f"{field.label or name.replace('_', ' ').capitalize()}: {shown}")
    return ", ".join(parts)


def _dashboard_query(request: HttpRequest) -> str:
    """The dashboard's query string for the same days and filters (custom period)."""
    params = request.GET.copy()
    for name in ("show", "stage", "kind", "page"):
        params.pop(name, None)
    if params.get("start") and params.get("end"):
        params["period"] = "custom"
    return params.urlencode()


@staff_required
def endorsements(request: HttpRequest) -> HttpResponse:
    """The endorsements section of the dashboard: endorsed and won per cycle, win rates per
    office level, money given against the limits, and the 30-day answer."""
    return render(
        request,
        "dashboard/_endorsements.html",
        {
            "cycles": endorsement_figures.endorsed_per_cycle(),
            "levels": endorsement_figures.win_rate_by_level(),
            "money": endorsement_figures.money_against_limits(),
            "answer": endorsement_figures.thirty_day_answer(),
        },
    )


@staff_required
def follow_through_list(request: HttpRequest) -> HttpResponse:
    """The next steps of the period's calls not acted on within their due time."""
    form = DashboardForm(request.GET)
    form.is_valid()
    scope = Scope(period=form.chosen_period(), filters=form.filters())
    week = None
    try:
        monday = date.fromisoformat(request.GET.get("week", ""))
        week = datetime.combine(monday, time.min, tzinfo=scope.period.zone)
    except ValueError:
        pass
    screener = request.GET.get("screener", "")
    rows = follow_through.missed_rows(
        scope, week=week, screener=screener if screener.isdigit() else ""
    )
    page = Paginator(rows, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dashboard/follow_through.html",
        {"page": page, "period": scope.period, "now": scope.now},
    )
