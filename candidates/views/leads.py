"""Leads from partner forms: the webhook endpoint each source posts to, the staff pages that
set sources up and fix what could not be read, the compliance count of unique people, and
the page where an invited lead asks to be contacted."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from candidates.csv_files import csv_lines
from candidates.forms.leads import FieldMapForm, LeadSourceForm
from candidates.lead_payloads import UnreadableBody, idempotency_value, parse_body
from candidates.models import Candidate, Lead, LeadSource
from candidates.services import leads, people_counts
from candidates.tasks import ring_for_leads
from rfs.accounts.events import Kind, record_event
from rfs.accounts.limits import within_limit
from rfs.accounts.roles import staff_required

# The session key under which a new secret waits for the one page that shows it.
SECRET_SHOWN = "lead-source-secret"  # noqa: S105 - a key name, not a secret


# --- The endpoint ----------------------------------------------------------------------


def _error(status: int, message: str, **headers) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _read_body(request: HttpRequest, limit: int) -> bytes | None:
    """The body, or None if it is larger than `limit` (refused before it is all read)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        return None
    body = request.read(limit + 1)
    return None if len(body) > limit else body


@csrf_exempt
@require_POST
def receive(request: HttpRequest, uuid, token: str = "") -> JsonResponse:
    """POST /api/leads/<source>/[<token>/]: store the lead and answer 202 with its id."""
    source = leads.source_to_post(uuid)
    if source is None:
        return _error(404, "No such lead source.")
    body = _read_body(request, source.max_bytes)
    if body is None:
        return _error(413, f"The body is larger than this source's {source.max_bytes} bytes.")
    authentic = _authentic(request, source, token, body)
    if not authentic and source.kept:
        # Maybe a secret made since this process kept the source: read it again, once.
        source = leads.source_to_post(uuid, fresh=True)
        authentic = source is not None and _authentic(request, source, token, body)
    if not authentic:
        return _error(401, "The signature or token is not valid for this source.")
    # Only its own sender learns that a source is paused.
    if not source.active:
        return _error(403, "This lead source is paused.")
    if not within_limit(f"leads:{source.pk}", limit=source.rate_per_minute, window_seconds=60):
        return _error(429, "Too many leads this minute; send again later.", Retry_After="60")
    try:
        payload = parse_body(
            body, content_type=request.META.get("CONTENT_TYPE", ""), meta=request.META
        )
    except UnreadableBody as exc:
        return _error(400, str(exc))
    key = request.headers.get("Idempotency-Key", "")[:200] or idempotency_value(
        payload, field=source.idempotency_field
    )
    lead, new = leads.accept_lead(source=source, payload=payload, key=key)
    if new:
        ring_for_leads()
    return JsonResponse({"id": str(lead.uuid), "duplicate": not new}, status=202)


def _authentic(request: HttpRequest, source: LeadSource, token: str, body: bytes) -> bool:
    if source.auth == LeadSource.Auth.TOKEN:
        return bool(token) and leads.token_matches(source, token)
    return not token and leads.signature_matches(
        source,
        timestamp=request.headers.get("X-Lead-Timestamp", ""),
        sent=request.headers.get("X-Lead-Signature", ""),
        body=body,
    )


# --- Staff: sources -----------------------------------------------------------------------


@staff_required
def source_list(request: HttpRequest) -> HttpResponse:
    sources = LeadSource.objects.all()
    return render(
        request,
        "candidates/lead_source_list.html",
        {
            "sources": sources,
            "totals": leads.reconciliation(),
            "unique_people": people_counts.total(),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def source_new(request: HttpRequest) -> HttpResponse:
    form = LeadSourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        source, secret = leads.create_source(by=request.user, **form.cleaned_data)
        request.session[SECRET_SHOWN] = secret
        messages.success(request, "The source is ready: copy its secret now.")
        return redirect(source)
    return render(request, "candidates/lead_source_form.html", {"form": form})


def _endpoint(request: HttpRequest, source: LeadSource, secret: str = "") -> str:
    """The address a form tool posts to: for a token source, the secret is its last part."""
    address = request.build_absolute_uri(reverse("leads_api:receive", args=[source.uuid]))
    if source.auth == LeadSource.Auth.TOKEN:
        address += f"{secret or '<token>'}/"
    return address


@staff_required
@never_cache
def source_detail(request: HttpRequest, uuid) -> HttpResponse:
    source = get_object_or_404(LeadSource, uuid=uuid)
    # Shown once, on the page right after it was made: it is not shown again.
    secret = request.session.pop(SECRET_SHOWN, "")
    dead = source.leads.filter(status=Lead.Status.DEAD).order_by("-received_at")[:50]
    recent = source.leads.select_related("submission").order_by("-received_at")[:20]
    return render(
        request,
        "candidates/lead_source_detail.html",
        {
            "source": source,
            "secret": secret,
            "endpoint": _endpoint(request, source, secret),
            "counts": leads.reconciliation(source=source),
            "dead": dead,
            "recent": recent,
            "secrets": source.secrets.all(),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def source_edit(request: HttpRequest, uuid) -> HttpResponse:
    source = get_object_or_404(LeadSource, uuid=uuid)
    form = LeadSourceForm(request.POST or None, instance=source)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved.")
        return redirect(source)
    return render(request, "candidates/lead_source_form.html", {"form": form, "source": source})


@staff_required
@require_POST
def rotate(request: HttpRequest, uuid) -> HttpResponse:
    source = get_object_or_404(LeadSource, uuid=uuid)
    request.session[SECRET_SHOWN] = leads.rotate_secret(source=source)
    messages.success(request, "A new secret: the old one keeps working for 24 hours, then stops.")
    return redirect(source)


@staff_required
@require_http_methods(["GET", "POST"])
def field_map(request: HttpRequest, uuid) -> HttpResponse:
    """The source's field map, with the last 20 payloads read by it (or by the one typed)."""
    source = get_object_or_404(LeadSource, uuid=uuid)
    form = FieldMapForm(
        request.POST or None, initial={"field_map": FieldMapForm.as_text(source.field_map)}
    )
    mapping = source.field_map
    if request.method == "POST" and form.is_valid():
        mapping = form.cleaned_data["field_map"]
        if "save" in request.POST:
            leads.save_field_map(source=source, field_map=mapping)
            messages.success(request, "The field map is saved; replay dead-lettered leads.")
            return redirect(source)
    return render(
        request,
        "candidates/lead_field_map.html",
        {
            "source": source,
            "form": form,
            "preview": leads.preview(source=source, field_map=mapping),
        },
    )


@staff_required
@require_POST
def replay(request: HttpRequest, uuid) -> HttpResponse:
    source = get_object_or_404(LeadSource, uuid=uuid)
    lead = None
    if one := request.POST.get("lead"):
        lead = get_object_or_404(Lead, uuid=one, source=source)
    replayed = leads.replay(source=source, lead=lead)
    if replayed:
        ring_for_leads()
    messages.success(request, f"{replayed} lead(s) sent back to be resolved.")
    return redirect(source)


# --- Staff: the count of unique people -----------------------------------------------------


@staff_required
@require_GET
def people_csv(request: HttpRequest) -> StreamingHttpResponse:
    record_event(kind=Kind.EXPORT, detail="Unique people CSV", request=request)
    response = StreamingHttpResponse(
        csv_lines(people_counts.csv_rows()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="unique-people.csv"'
    return response


# --- Leads: the invitation ----------------------------------------------------------------


@staff_required
@require_POST
def invite(request: HttpRequest, uuid) -> HttpResponse:
    candidate = get_object_or_404(Candidate, uuid=uuid)
    path = reverse("candidates:lead_join", args=[leads.invitation_token(candidate)])
    if leads.invite_lead(candidate=candidate, by=request.user, path=path):
        messages.success(request, "Invitation sent.")
    else:
        messages.error(request, "Only a lead can be invited.")
    return redirect("candidates:detail", uuid=candidate.uuid)


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """An invited lead says yes: they join the screening queue."""
    candidate = leads.invited_candidate(token)
    if candidate is not None and request.method == "POST":
        leads.accept_invitation(candidate=candidate)
        with translation.override(candidate.language):
            return redirect("intake:thanks")
    # The page speaks the language of the invitation that links it: the person's own.
    with translation.override(candidate.language if candidate else settings.LANGUAGE_CODE):
        return render(
            request,
            "candidates/lead_join.html",
            {"valid": candidate is not None},
            status=200 if candidate is not None else 404,
        )
