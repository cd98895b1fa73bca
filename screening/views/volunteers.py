"""Volunteers: the public application page; staff's review queue and roster."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from candidates.services import intake
from rfs.accounts import review
from rfs.accounts.models import Role
from rfs.accounts.onboarding import with_onboarding
from rfs.accounts.roles import staff_required
from rfs.accounts.security import client_limit_key
from screening.forms import VolunteerApplicationForm
from screening.models import Volunteer, VolunteerApplication
from screening.services import volunteers

PAGE_SIZE = 50


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """The public page to offer to volunteer, with the signup's defences: the honeypot, and
    one budget of public posts per address an hour."""
    form = VolunteerApplicationForm(request.POST or None)
    if request.method == "GET" or (not form.is_spam and not form.is_valid()):
        return render(request, "screening/volunteer_apply.html", {"form": form})
    if not intake.allow_signup(ip_hash=intake.hash_ip(client_limit_key(request))):
        return render(request, "candidates/rate_limited.html", status=429)
    # Bots see the same thank-you page as people: nothing tells them they were caught.
    if not form.is_spam:
        volunteers.submit_application(data=form.answers)
    return redirect("volunteer:thanks")


def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "screening/volunteer_thanks.html")


# --- Staff: the review queue --------------------------------------------------------------


@staff_required
def applications(request: HttpRequest) -> HttpResponse:
    return review.queue(
        request, model=VolunteerApplication, template="screening/volunteerapplication_list.html"
    )


@staff_required
def application(request: HttpRequest, uuid) -> HttpResponse:
    found = get_object_or_404(VolunteerApplication.objects.select_related("user"), uuid=uuid)
    volunteer = None
    if found.user_id:
        volunteer = (
            with_onboarding(Volunteer.objects.filter(user_id=found.user_id), role=Role.SCREENER)
            .select_related("user")
            .first()
        )
    return review.page(
        request,
        application=found,
        namespace="screening",
        template="screening/volunteerapplication_detail.html",
        extra={"volunteer": volunteer},
    )


def _approve(*, application: VolunteerApplication, by) -> VolunteerApplication:
    """Approve, then staff stay on the application, which shows the volunteer's onboarding."""
    volunteers.approve_application(application=application, by=by)
    return application


@staff_required
@require_POST
def application_decide(request: HttpRequest, uuid, decision: str) -> HttpResponse:
    return review.decide(
        request,
        application=get_object_or_404(VolunteerApplication, uuid=uuid),
        decision=decision,
        approve=_approve,
        decline=volunteers.decline_application,
        ask=volunteers.ask_applicant,
    )


# --- Staff: the roster ----------------------------------------------------------------------


@staff_required
def roster(request: HttpRequest) -> HttpResponse:
    rows = with_onboarding(
        Volunteer.objects.with_activity().select_related("user"), role=Role.SCREENER
    ).order_by("deactivated_at", "-last_active_at")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "screening/volunteer_roster.html", {"page": page})


@staff_required
@require_POST
def volunteer_status(request: HttpRequest, uuid, change: str) -> HttpResponse:
    volunteer = get_object_or_404(Volunteer.objects.select_related("user"), uuid=uuid)
    if change == "deactivate":
        released = volunteers.deactivate_volunteer(volunteer=volunteer, by=request.user)
        messages.success(
            request,
            f"{volunteer} is deactivated; {released} candidate(s) they held are back in the queue.",
        )
    else:
        volunteers.pause_volunteer(volunteer=volunteer, paused=change == "pause")
        messages.success(request, f"{volunteer} is {'paused' if change == 'pause' else 'active'}.")
    return redirect("screening:roster")
