"""A person's data rights, from their staff page: everything held about them, and erasure."""

import json

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from candidates.forms.data_rights import ErasureForm
from candidates.models import Candidate
from candidates.services import data_rights
from rfs.accounts.roles import staff_required


def _load(uuid) -> Candidate:
    return get_object_or_404(Candidate.objects.select_related("user"), uuid=uuid)


@staff_required
def export_page(request: HttpRequest, uuid) -> HttpResponse:
    """Everything held about the person, as a page to read or print."""
    candidate = _load(uuid)
    data = data_rights.export_person(candidate=candidate, by=request.user, request=request)
    return render(
        request,
        "candidates/data_export.html",
        {"candidate": candidate, "sections": _readable(data)},
    )


@staff_required
def export_json(request: HttpRequest, uuid) -> HttpResponse:
    candidate = _load(uuid)
    data = data_rights.export_person(candidate=candidate, by=request.user, request=request)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="person-{candidate.uuid}.json"'
    response["Cache-Control"] = "no-store"
    return response


@staff_required
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest, uuid) -> HttpResponse:
    candidate = _load(uuid)
    if data_rights.is_erased(candidate):
        messages.info(request, "This person's data was already erased.")
        return redirect(candidate)
    name = f"{candidate.first_name} {candidate.last_name}"
    form = ErasureForm(request.POST if request.method == "POST" else None, name=name)
    if form.is_valid():
        data_rights.erase_person(candidate=candidate, by=request.user, request=request)
        messages.success(request, "Their personal data is erased. The counts are kept.")
        return redirect(candidate)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "candidates/data_erase.html",
        {"candidate": candidate, "form": form, "name": name},
        status=status,
    )


def _readable(data: dict) -> list[tuple[str, list[list[tuple[str, str]]]]]:
    """Sections as (label, rows of (field, text)) for the page; nested values as JSON."""
    sections = []
    for label, rows in data.items():
        shown = []
        for row in rows:
            shown.append([(str(key), _text(value)) for key, value in row.items()])
        sections.append((label, shown))
    return sections


def _text(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict | list):
        return json.dumps(value, cls=DjangoJSONEncoder, indent=1, ensure_ascii=False)
    return str(value)
