from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from rfs import signatures
from rfs.accounts.roles import staff_required
from rfs.notify import bounces, services, suppressions
from rfs.notify.forms import LiftForm, SuppressionFilterForm
from rfs.notify.models import Notification, Suppression
from rfs.notify.rendering import bodies

# The largest body of provider events read; a provider batches far fewer than this.
EVENTS_MAX_BYTES = 1_000_000


@staff_required
def notification_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    rows = Notification.objects.defer("body_text", "body_html", "context")
    if status in Notification.Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notify/notification_list.html",
        {"page": page, "status": status, "statuses": Notification.Status.choices},
    )


@staff_required
def notification_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    notification = get_object_or_404(Notification, uuid=uuid)
    text, _ = ("", "") if notification.secret else bodies(notification)
    return render(
        request, "notify/notification_detail.html", {"notification": notification, "text": text}
    )


# --- Unsubscribing -------------------------------------------------------------------------


def _csrf_refusal(request: HttpRequest) -> HttpResponse | None:
    """The CSRF check the middleware would have made (this view is exempt from it only for
    the one-click POST that mail clients send, RFC 8058)."""
    return CsrfViewMiddleware(lambda r: HttpResponse()).process_view(
        request, lambda r: HttpResponse(), (), {}
    )


@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The List-Unsubscribe link. Opening it shows a button (link scanners open links, they
    do not press buttons); pressing it, or a mail client's one-click POST, unsubscribes."""
    email = suppressions.address_of(token)
    if email is None:
        return render(request, "notify/unsubscribe.html", {"invalid": True}, status=400)
    # The page speaks the language of the emails that link it.
    with translation.override(suppressions.latest_language(email)):
        return _unsubscribe(request, email)


def _unsubscribe(request: HttpRequest, email: str) -> HttpResponse:
    if request.method != "POST":
        return render(request, "notify/unsubscribe.html", {"email": email})
    one_click = request.POST.get("List-Unsubscribe") == "One-Click"
    if not one_click and (refusal := _csrf_refusal(request)) is not None:
        return refusal
    with transaction.atomic():
        services.suppress(
            email=email,
            reason=Suppression.Reason.UNSUBSCRIBE,
            source=Suppression.Source.UNSUBSCRIBE_LINK,
        )
    if one_click:
        return HttpResponse("Unsubscribed.", content_type="text/plain")
    return render(request, "notify/unsubscribe.html", {"email": email, "done": True})


# --- The mail provider's events -----------------------------------------------------------


def _refuse(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@csrf_exempt
@require_POST
def provider_events(request: HttpRequest) -> JsonResponse:
    """POST /outbox/events/: the mail provider's bounces and complaints, signed (X-Timestamp,
    X-Signature: rfs/signatures.py). Answers 200 with the counts, 400 or 401 with a reason."""
    secret = settings.RFS_OUTBOX_EVENTS_SECRET
    if not secret:
        return _refuse(401, "Events are not accepted: no signing secret is set.")
    body = request.read(EVENTS_MAX_BYTES + 1)
    if len(body) > EVENTS_MAX_BYTES:
        return _refuse(400, f"The body is larger than {EVENTS_MAX_BYTES} bytes.")
    timestamp = request.headers.get("X-Timestamp", "")
    if not signatures.timestamp_is_fresh(timestamp):
        return _refuse(401, "X-Timestamp is missing, not Unix seconds, or not within 5 minutes.")
    if not signatures.signature_matches(
        [secret], timestamp=timestamp, sent=request.headers.get("X-Signature", ""), body=body
    ):
        return _refuse(401, "X-Signature does not match the body and timestamp.")
    try:
        events = bounces.read_events(body)
    except bounces.UnreadableEvents as exc:
        return _refuse(400, str(exc))
    return JsonResponse(bounces.apply_events(events))


# --- Staff: the suppression list ----------------------------------------------------------


@staff_required
def suppression_list(request: HttpRequest) -> HttpResponse:
    form = SuppressionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = Suppression.objects.select_related("lifted_by")
    if data.get("show") != "all":
        rows = rows.active()
    if data.get("q"):
        rows = rows.filter(email__icontains=data["q"].strip())
    if data.get("reason"):
        rows = rows.filter(reason=data["reason"])
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "notify/suppression_list.html", {"page": page, "form": form})


@staff_required
def suppression_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    """A suppression, and the form that lifts it (with a note saying why)."""
    suppression = get_object_or_404(
        Suppression.objects.select_related("lifted_by", "notification"), uuid=uuid
    )
    form = LiftForm(request.POST or None)
    if request.method == "POST" and suppression.lifted_at is None and form.is_valid():
        with transaction.atomic():
            services.lift(suppression=suppression, by=request.user, note=form.cleaned_data["note"])
        messages.success(request, f"{suppression.email} will be sent emails again.")
        return redirect("notify:suppressions")
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "notify/suppression_detail.html",
        {"suppression": suppression, "form": form},
        status=status,
    )
