"""Help requests: the conversation page everyone shares, staff's overview and settings."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from candidates import request_kinds
from candidates.forms.help_requests import (
    HolidayForm,
    ReplyForm,
    RequestFilterForm,
    ResponseTargetsForm,
    WorkingHoursForm,
)
from candidates.models import HelpRequest, Holiday, WorkingHours
from candidates.services import help_requests as services
from candidates.services import request_filters, response_times
from rfs.accounts.roles import Role, role_required, staff_required

# Everyone who can take part in a conversation; HelpRequest.objects.visible_to narrows it.
PARTICIPANTS = (Role.CANDIDATE, Role.MENTOR, Role.SCREENER, Role.STAFF)
OPEN_PER_PAGE = 50


def _load(request: HttpRequest, uuid) -> HelpRequest:
    """The request if the user may see it; anything else is a 404."""
    return get_object_or_404(
        HelpRequest.objects.visible_to(request.user)
        .with_overdue(timezone.now())
        .select_related("candidate", "owner"),
        uuid=uuid,
    )


@role_required(*PARTICIPANTS)
def detail(request: HttpRequest, uuid) -> HttpResponse:
    help_request = _load(request, uuid)
    return _render_detail(request, help_request, ReplyForm())


def _render_detail(request: HttpRequest, help_request: HelpRequest, form) -> HttpResponse:
    helper = services.is_helper(help_request=help_request, user=request.user)
    with translation.override(_language_for(help_request, helper=helper)):
        return _render(request, help_request, form, helper)


def _language_for(help_request: HelpRequest, *, helper: bool) -> str:
    """The candidate reads their conversation in their own language (the emails about it link
    this page); the people who help them read it in the organisation's."""
    return settings.LANGUAGE_CODE if helper else help_request.candidate.language


def _render(request: HttpRequest, help_request: HelpRequest, form, helper: bool) -> HttpResponse:
    return render(
        request,
        "candidates/request_detail.html",
        {
            "help_request": help_request,
            "candidate": help_request.candidate,
            "messages_list": help_request.messages.select_related("author"),
            "form": form,
            "helper": helper,
            "title": help_request.title if helper else help_request.title_for_candidate,
            "overdue": help_request.overdue,
        },
    )


@require_POST
@role_required(*PARTICIPANTS)
def reply(request: HttpRequest, uuid) -> HttpResponse:
    help_request = _load(request, uuid)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, help_request, form)
    helper = services.is_helper(help_request=help_request, user=request.user)
    action = form.cleaned_data["action"] if helper else "reply"
    services.post_reply(
        help_request=help_request,
        author=request.user,
        body=form.cleaned_data["body"],
        wait_for_candidate=action == "wait",
        resolve=action == "resolve",
    )
    with translation.override(_language_for(help_request, helper=helper)):
        messages.success(request, gettext("Your reply is sent."))
    return redirect(help_request)


@require_POST
@role_required(*PARTICIPANTS)
def resolve(request: HttpRequest, uuid) -> HttpResponse:
    help_request = _load(request, uuid)
    services.resolve_request(help_request=help_request, by=request.user)
    helper = services.is_helper(help_request=help_request, user=request.user)
    with translation.override(_language_for(help_request, helper=helper)):
        messages.success(request, gettext("Marked as resolved."))
    return redirect(help_request)


@require_POST
@role_required(Role.CANDIDATE)
def reopen(request: HttpRequest, uuid) -> HttpResponse:
    help_request = _load(request, uuid)
    try:
        services.reopen_request(help_request=help_request, by=request.user)
    except services.RequestRefused as exc:
        messages.info(request, str(exc))
    else:
        with translation.override(help_request.candidate.language):
            messages.success(request, gettext("Reopened. We will get back to you."))
    return redirect(help_request)


@require_POST
@staff_required
def take(request: HttpRequest, uuid) -> HttpResponse:
    help_request = _load(request, uuid)
    services.reassign_request(help_request=help_request, owner=request.user, by=request.user)
    messages.success(request, "This request is yours now.")
    return redirect(help_request)


@role_required(Role.STAFF, Role.MENTOR)
def index(request: HttpRequest) -> HttpResponse:
    """The open requests to work on, filtered and counted; for staff, the staff pool and their
    own by default, and the response-time figures. A mentor sees only their own."""
    now = timezone.now()
    staff = request.user.has_role(Role.STAFF)
    form = RequestFilterForm(request.GET, staff=staff)
    listing = request_filters.request_list(
        user=request.user, filters=form.filters(), now=now, staff=staff
    )
    form.show_counts(listing.counts, listing.owners)
    paginator = Paginator(listing.requests, OPEN_PER_PAGE)
    # Counted already with the filters' other counts: no second COUNT query.
    paginator.count = listing.total
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    request_filters.name_owners(page.object_list, team_names=listing.team_names)
    context = {"page": page, "now": now, "form": form, "staff": staff, "total": listing.total}
    if staff:
        since, _ = response_times.default_period(weeks=12, now=now)
        context |= {
            "since": since,
            "overdue": response_times.overdue_requests(now=now),
            "by_kind": response_times.response_times_by_kind(since=since, now=now),
            "weekly": response_times.weekly_response_times(since=since, now=now, by_kind=False),
            "by_owner": response_times.owner_response_times(since=since, now=now),
            "by_team": response_times.team_response_times(since=since, now=now),
        }
    return render(request, "candidates/request_list.html", context)


@staff_required
def response_settings(request: HttpRequest) -> HttpResponse:
    """Staff set the hours allowed per kind, the working hours and the holidays."""
    current_targets = {kind: services.response_target(kind) for kind, _ in request_kinds.choices()}
    current_hours = {row.weekday: (row.opens, row.closes) for row in WorkingHours.objects.all()}
    section = request.POST.get("section")
    targets_form = ResponseTargetsForm(
        request.POST if section == "targets" else None, current=current_targets
    )
    hours_form = WorkingHoursForm(
        request.POST if section == "hours" else None, current=current_hours
    )
    holiday_form = HolidayForm(request.POST if section == "holiday" else None)
    if request.method == "POST":
        if section == "targets" and targets_form.is_valid():
            services.set_response_targets(targets=targets_form.targets())
            messages.success(request, "Response times saved. New requests use them.")
            return redirect("candidates:request_settings")
        if section == "hours" and hours_form.is_valid():
            services.set_working_hours(days=hours_form.days())
            messages.success(request, "Working hours saved. New due times count them.")
            return redirect("candidates:request_settings")
        if section == "holiday" and holiday_form.is_valid():
            services.add_holiday(**holiday_form.cleaned_data)
            messages.success(request, "Holiday added.")
            return redirect("candidates:request_settings")
    return render(
        request,
        "candidates/request_settings.html",
        {
            "targets_form": targets_form,
            "hours_form": hours_form,
            "holiday_form": holiday_form,
            "holidays": Holiday.objects.filter(date__gte=timezone.localdate()),
        },
    )


@require_POST
@staff_required
def remove_holiday(request: HttpRequest, pk: int) -> HttpResponse:
    holiday = get_object_or_404(Holiday, pk=pk)
    services.remove_holiday(holiday=holiday)
    messages.success(request, f"{holiday.name} removed.")
    return redirect("candidates:request_settings")
