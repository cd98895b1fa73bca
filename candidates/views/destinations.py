"""Staff pages of the destinations: the organisation's other tools that hear of new people,
stage changes and withdrawn consent, each with its delivery log."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from candidates.forms.leads import DestinationForm
from candidates.models import Candidate, Destination
from candidates.services import destinations
from rfs.accounts.roles import staff_required

LOG_ROWS = 50


@staff_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    form = DestinationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        destination = destinations.create_destination(**form.cleaned_data)
        messages.success(request, "Added. Give its secret to the receiving tool.")
        return redirect(destination)
    return render(
        request,
        "candidates/destination_list.html",
        {"form": form, "destinations": Destination.objects.all()},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, uuid) -> HttpResponse:
    destination = get_object_or_404(Destination, uuid=uuid)
    form = DestinationForm(request.POST or None, instance=destination)
    if request.method == "POST" and form.is_valid():
        destinations.update_destination(destination=destination, **form.cleaned_data)
        messages.success(request, "Saved.")
        return redirect(destination)
    return render(
        request,
        "candidates/destination_detail.html",
        {"destination": destination, "form": form, "log": destination.log.all()[:LOG_ROWS]},
    )


@staff_required
@require_POST
def retry(request: HttpRequest, uuid) -> HttpResponse:
    destination = get_object_or_404(Destination, uuid=uuid)
    count = destinations.retry(destination=destination)
    if count:
        destinations.ring()
    messages.success(request, f"{count} event(s) will be tried again.")
    return redirect(destination)


@staff_required
@require_POST
def withdraw_consent(request: HttpRequest, uuid) -> HttpResponse:
    candidate = get_object_or_404(Candidate, uuid=uuid)
    if destinations.withdraw_consent(candidate=candidate, by=request.user):
        messages.success(request, "Consent withdrawn: nobody will contact them about running.")
    else:
        messages.info(request, "They had not given consent to be contacted.")
    return redirect("candidates:detail", uuid=candidate.uuid)
