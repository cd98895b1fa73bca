"""Staff's review of applications to help, the same for every kind (volunteers, mentors):
the queue filtered by status, the page of one application and the three decisions. The app
that owns each kind supplies its model, its templates (which extend accounts/application_*)
and its own services for the decisions."""

from collections.abc import Callable

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from rfs.accounts.applications import ApplicationRefused
from rfs.accounts.forms import ApplicantQuestionForm
from rfs.accounts.models import Application

PAGE_SIZE = 50
DECISIONS = ("approve", "decline", "ask")


def queue(request: HttpRequest, *, model: type[Application], template: str) -> HttpResponse:
    """The applications of one kind, oldest first: those waiting for a decision unless
    `?show=` names a status."""
    show = request.GET.get("show", "open")
    rows = model.objects.all()
    if show == "open":
        rows = rows.filter(status__in=[Application.Status.PENDING, Application.Status.ASKED])
    elif show in Application.Status.values:
        rows = rows.filter(status=show)
    page = Paginator(rows.order_by("created_at"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, template, {"page": page, "show": show, "statuses": Application.Status.choices}
    )


def page(
    request: HttpRequest,
    *,
    application: Application,
    namespace: str,
    template: str,
    extra: dict | None = None,
) -> HttpResponse:
    """One application with its decision forms; `namespace` is the owning app's URL
    namespace, whose `application_<decision>` URLs take the decisions."""
    urls = {
        f"{decision}_url": reverse(f"{namespace}:application_{decision}", args=[application.uuid])
        for decision in DECISIONS
    }
    context = {"application": application, "question_form": ApplicantQuestionForm(), **urls}
    return render(request, template, context | (extra or {}))


def decide(
    request: HttpRequest,
    *,
    application: Application,
    decision: str,
    approve: Callable[..., Model],
    decline: Callable[..., object],
    ask: Callable[..., object],
) -> HttpResponse:
    """Take staff's decision with the owning app's services (each called with
    `application=` and `by=`; `ask` also with `question=`). After approval staff see the
    page of what `approve` returns (the new profile, or the application itself)."""
    try:
        if decision == "approve":
            made = approve(application=application, by=request.user)
            messages.success(
                request, f"{application.name} is approved: an invitation is on its way."
            )
            return redirect(made)
        if decision == "decline":
            decline(application=application, by=request.user)
            messages.success(request, f"{application.name} is declined, with a kind email.")
            return redirect(application)
        form = ApplicantQuestionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Write the question first.")
            return redirect(application)
        ask(application=application, by=request.user, question=form.cleaned_data["question"])
        messages.success(request, f"Your question is on its way to {application.name}.")
    except ApplicationRefused as exc:
        messages.error(request, str(exc))
    return redirect(application)
