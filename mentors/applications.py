"""Mentor applications: the public page at /mentors/apply/ and staff's review of them."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from candidates.services import intake
from mentors import services
from mentors.forms import MentorApplicationForm
from mentors.models import MentorApplication
from rfs.accounts import onboarding
from rfs.accounts.applications import ApplicationRefused
from rfs.accounts.forms import ApplicantQuestionForm
from rfs.accounts.roles import staff_required
from rfs.accounts.security import client_limit_key

PAGE_SIZE = 50


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """The public page to offer to mentor, with the signup's defences: the honeypot, and one
    budget of public posts per address an hour."""
    form = MentorApplicationForm(request.POST or None)
    if request.method == "GET" or (not form.is_spam and not form.is_valid()):
        return render(request, "mentors/mentorapplication_form.html", {"form": form})
    if not intake.allow_signup(ip_hash=intake.hash_ip(client_limit_key(request))):
        return render(request, "candidates/rate_limited.html", status=429)
    # Bots see the same thank-you page as people: nothing tells them they were caught.
    if not form.is_spam:
        MentorApplication.objects.create(**form.answers)
    return redirect("mentors:apply_thanks")


def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "mentors/mentorapplication_thanks.html")


@staff_required
def application_list(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "open")
    rows = MentorApplication.objects.all()
    if show == "open":
        rows = rows.filter(status__in=[MentorApplication.Status.PENDING, "asked"])
    elif show in MentorApplication.Status.values:
        rows = rows.filter(status=show)
    page = Paginator(rows.order_by("created_at"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "mentors/mentorapplication_list.html",
        {"page": page, "show": show, "statuses": MentorApplication.Status.choices},
    )


@staff_required
def application(request: HttpRequest, uuid) -> HttpResponse:
    found = get_object_or_404(MentorApplication.objects.select_related("user"), uuid=uuid)
    return render(
        request,
        "mentors/mentorapplication_detail.html",
        {
            "application": found,
            "question_form": ApplicantQuestionForm(),
            # Once approved, staff follow the mentor's onboarding here.
            "progress": onboarding.progress(found.user) if found.user else None,
        },
    )


@staff_required
@require_POST
def application_decide(request: HttpRequest, uuid, decision: str) -> HttpResponse:
    found = get_object_or_404(MentorApplication, uuid=uuid)
    try:
        if decision == "approve":
            mentor = services.approve_application(application=found, by=request.user)
            messages.success(request, f"{found.name} is approved: an invitation is on its way.")
            return redirect(mentor)
        if decision == "decline":
            services.decline_application(application=found, by=request.user)
            messages.success(request, f"{found.name} is declined, with a kind email.")
            return redirect(found)
        form = ApplicantQuestionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Write the question first.")
            return redirect(found)
        services.ask_applicant(
            application=found, by=request.user, question=form.cleaned_data["question"]
        )
        messages.success(request, f"Your question is on its way to {found.name}.")
    except ApplicationRefused as exc:
        messages.error(request, str(exc))
    return redirect(found)
