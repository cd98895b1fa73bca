"""Mentor applications: the public page at /mentors/apply/ and staff's review of them."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from candidates.services import intake
from mentors import services
from mentors.forms import MentorApplicationForm
from mentors.models import MentorApplication
from rfs.accounts import onboarding, review
from rfs.accounts.roles import staff_required
from rfs.accounts.security import client_limit_key


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
    return redirect("mentor_application:thanks")


def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "mentors/mentorapplication_thanks.html")


@staff_required
def application_list(request: HttpRequest) -> HttpResponse:
    return review.queue(
        request, model=MentorApplication, template="mentors/mentorapplication_list.html"
    )


@staff_required
def application(request: HttpRequest, uuid) -> HttpResponse:
    found = get_object_or_404(MentorApplication.objects.select_related("user"), uuid=uuid)
    return review.page(
        request,
        application=found,
        namespace="mentors",
        template="mentors/mentorapplication_detail.html",
        # Once approved, staff follow the mentor's onboarding here.
        extra={"progress": onboarding.progress(found.user) if found.user else None},
    )


@staff_required
@require_POST
def application_decide(request: HttpRequest, uuid, decision: str) -> HttpResponse:
    return review.decide(
        request,
        application=get_object_or_404(MentorApplication, uuid=uuid),
        decision=decision,
        approve=services.approve_application,
        decline=services.decline_application,
        ask=services.ask_applicant,
    )
