import itertools

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from rfs.accounts import invitations, onboarding, places
from rfs.accounts.events import Kind, record_event
from rfs.accounts.forms import AgreementForm, GuideForm, SecurityEventFilterForm, SetPasswordForm
from rfs.accounts.models import Agreement, Guide, Role, SecurityEvent
from rfs.accounts.onboarding import ONBOARDING_ROLES
from rfs.accounts.roles import staff_required
from rfs.csv_cells import csv_lines


def home(request: HttpRequest) -> HttpResponse:
    """Visitors see what the organisation offers; people who log in go where they work."""
    if request.user.is_authenticated:
        return redirect(request.user.start_url)
    return render(request, "home.html")


@login_required
def places_page(request: HttpRequest) -> HttpResponse:
    """Where a person with several roles chooses: each of their roles and its pages."""
    roles = [(Role(role).label, places.menu(role)) for role in request.user.acting_roles]
    return render(request, "accounts/places.html", {"roles": roles})


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


# --- Invitations and onboarding -----------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the approval email. Opening it shows the form; only setting a password
    spends it (mail scanners open links, they do not fill forms)."""
    found = invitations.invitation_for_token(token)
    if found is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = SetPasswordForm(found.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitations.accept_invitation(token=token, password=form.cleaned_data["new_password1"])
        except invitations.InvitationRefused:  # spent a moment ago, in another tab
            return render(request, "accounts/invitation_invalid.html", status=404)
        messages.success(request, "Your password is set. Log in to finish getting started.")
        return redirect(f"{reverse('account_login')}?next={reverse('accounts:onboarding')}")
    return render(request, "accounts/invitation_accept.html", {"form": form, "who": found.user})


@login_required
def onboarding_page(request: HttpRequest) -> HttpResponse:
    """What is left before the work opens: the guide, the agreement, the second factor."""
    progress = onboarding.progress(request.user)
    return render(
        request,
        "accounts/onboarding.html",
        {"progress": progress, "required": onboarding.required(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def guide(request: HttpRequest) -> HttpResponse:
    progress = onboarding.progress(request.user)
    if request.method == "POST":
        for each in progress.guides:
            onboarding.read_guide(user=request.user, guide=each)
        messages.success(request, "Thank you for reading the guide.")
        return redirect("accounts:onboarding")
    return render(request, "accounts/guide_read.html", {"progress": progress})


@login_required
@require_http_methods(["GET", "POST"])
def agreement(request: HttpRequest) -> HttpResponse:
    current = onboarding.current_agreement()
    if request.method == "POST" and current is not None:
        # The version read is the version accepted: a newer one published meanwhile is shown.
        if request.POST.get("version") == str(current.version):
            onboarding.accept_agreement(user=request.user, agreement=current)
            messages.success(request, f"You accepted version {current.version} of the agreement.")
            return redirect("accounts:onboarding")
        messages.info(request, "A new version was published meanwhile: please read it.")
    return render(request, "accounts/agreement_accept.html", {"agreement": current})


@staff_required
def onboarding_admin(request: HttpRequest) -> HttpResponse:
    """Staff: the guides each role reads and the agreement's versions."""
    guides = {guide.role: guide for guide in Guide.objects.all()}
    return render(
        request,
        "accounts/onboarding_admin.html",
        {
            "guides": [(role, Role(role).label, guides.get(role)) for role in ONBOARDING_ROLES],
            "agreements": Agreement.objects.all(),
            "form": AgreementForm(),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def guide_edit(request: HttpRequest, role: str) -> HttpResponse:
    if role not in ONBOARDING_ROLES:
        raise Http404
    form = GuideForm(request.POST or None, instance=Guide.objects.filter(role=role).first())
    if request.method == "POST" and form.is_valid():
        onboarding.save_guide(role=role, by=request.user, **form.cleaned_data)
        messages.success(request, "Guide saved.")
        return redirect("accounts:onboarding_admin")
    return render(
        request, "accounts/guide_form.html", {"form": form, "role_label": Role(role).label}
    )


@staff_required
@require_POST
def agreement_publish(request: HttpRequest) -> HttpResponse:
    form = AgreementForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The new version needs its text.")
        return redirect("accounts:onboarding_admin")
    published = onboarding.publish_agreement(text=form.cleaned_data["text"], by=request.user)
    messages.success(request, f"Version {published.version} published.")
    return redirect("accounts:onboarding_admin")
