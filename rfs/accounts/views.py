import itertools

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from rfs.accounts.events import Kind, record_event
from rfs.accounts.forms import SecurityEventFilterForm
from rfs.accounts.models import SecurityEvent
from rfs.accounts.roles import staff_required
from rfs.csv_cells import csv_lines


def home(request: HttpRequest) -> HttpResponse:
    """Visitors see what the organisation offers; people who log in go where they work."""
    if request.user.is_authenticated:
        return redirect(request.user.start_url)
    return render(request, "home.html")


def admin_login(request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
    """The admin has no login form of its own: everyone logs in through allauth, with its
    rate limits, lockouts and second factor. Its form would log a staff member in with a
    password alone, even over a session someone else already had."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("admin:index"))
    if admin.site.has_permission(request):
        return redirect("admin:index")
    raise PermissionDenied


@staff_required
def security_events(request: HttpRequest) -> HttpResponse:
    form = SecurityEventFilterForm(request.GET)
    events = form.apply(SecurityEvent.objects.all())
    page = Paginator(events, settings.RFS_SECURITY_EVENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/security_event_list.html",
        {"form": form, "page": page, "query": request.GET.urlencode()},
    )


@staff_required
def security_events_csv(request: HttpRequest) -> HttpResponse:
    form = SecurityEventFilterForm(request.GET)
    events = form.apply(SecurityEvent.objects.all())
    record_event(kind=Kind.EXPORT, detail="Security log CSV", request=request)
    rows = (
        (
            e.at.isoformat(),
            e.kind,
            e.actor_label,
            e.subject_label,
            e.subject_id or "",
            e.detail,
            e.address_hash,
        )
        for e in events.iterator(chunk_size=2000)
    )
    header = [("at", "kind", "who", "subject", "subject id", "detail", "address hash")]
    response = StreamingHttpResponse(
        csv_lines(itertools.chain(header, rows)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="security-events-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
