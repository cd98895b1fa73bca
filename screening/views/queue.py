"""The queue: waiting candidates, claiming the next one or a chosen one, releasing a claim,
and a screener's own page (their claims, calls and hours)."""

from datetime import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from rfs.accounts.models import Role
from screening.forms import QueueFilterForm
from screening.models import Claim, ScheduledCall, ScreeningCall, awaiting_contact, queue_for
from screening.services import claims
from screening.services.guards import ScreeningError
from screening.views.access import worker_required

QUEUE_PAGE_SIZE = 50
CALLS_PAGE_SIZE = 50


@worker_required
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET)
    waiting = queue_for(request.user).only(
        "uuid", "first_name", "state", "office_level", "office", "language", "created_at"
    )
    if form.is_valid():
        if state := form.cleaned_data["state"]:
            waiting = waiting.filter(state=state)
        if level := form.cleaned_data["office_level"]:
            waiting = waiting.filter(office_level=level)
        if language := form.cleaned_data["language"]:
            waiting = waiting.filter(language=language)
    page = Paginator(waiting, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/candidate_queue.html",
        {
            "form": form,
            "page": page,
            "filters": form.cleaned_data if form.is_valid() else {},
            "open_claims": Claim.objects.open().filter(screener=request.user).count(),
        },
    )


@worker_required
@require_POST
def claim_next(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.POST)
    filters = form.cleaned_data if form.is_valid() else {}
    try:
        claim = claims.claim_next(
            screener=request.user,
            state=filters.get("state", ""),
            office_level=filters.get("office_level", ""),
            language=filters.get("language", ""),
        )
    except ScreeningError as exc:
        messages.error(request, str(exc))
        return redirect("screening:queue")
    if claim is None:
        messages.info(request, "Nobody is waiting for a first call right now.")
        return redirect("screening:queue")
    messages.success(request, f"You claimed {claim.candidate.display_name}.")
    return redirect("screening:candidate", uuid=claim.candidate.uuid)


@worker_required
@require_POST
def claim(request: HttpRequest, uuid) -> HttpResponse:
    candidate = awaiting_contact().filter(uuid=uuid).first()
    try:
        if candidate is None:
            raise ScreeningError("Someone else has just claimed this candidate.")
        claims.claim_candidate(candidate=candidate, screener=request.user)
    except ScreeningError as exc:
        messages.error(request, str(exc))
        return redirect("screening:queue")
    messages.success(request, f"You claimed {candidate.display_name}.")
    return redirect("screening:candidate", uuid=candidate.uuid)


@worker_required
@require_POST
def release(request: HttpRequest, uuid) -> HttpResponse:
    claim = get_object_or_404(
        Claim.objects.visible_to(request.user).select_related("candidate"), uuid=uuid
    )
    try:
        released = claims.release_claim(claim=claim, by=request.user)
    except ScreeningError as exc:
        messages.error(request, str(exc))
        return redirect("screening:mine")
    if released:
        messages.success(request, f"{claim.candidate.display_name} is back in the queue.")
    else:
        messages.info(request, "That claim had already ended.")
    if request.user.has_role(Role.STAFF) and claim.screener_id != request.user.pk:
        return redirect("screening:candidate", uuid=claim.candidate.uuid)
    return redirect("screening:mine")


# --- A screener's own page --------------------------------------------------------


def _month_start() -> datetime:
    return timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)


@worker_required
def mine(request: HttpRequest) -> HttpResponse:
    user = request.user
    held = (
        Claim.objects.open()
        .filter(screener=user)
        .select_related("candidate")
        .prefetch_related(
            Prefetch(
                "scheduled_calls",
                queryset=ScheduledCall.objects.upcoming(),
                to_attr="booked",
            )
        )
        .order_by("claimed_at")
    )
    calls = Paginator(
        ScreeningCall.objects.filter(screener=user).select_related("candidate"), CALLS_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/screener_home.html",
        {
            "claims": held,
            "page": calls,
            "minutes": ScreeningCall.objects.filter(screener=user).minutes_summary(
                since=_month_start()
            ),
            "month": timezone.localtime(),
        },
    )
