"""CSV import of an earlier signup list: upload, map the columns, watch it run, download the
rejected rows."""

from itertools import islice

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from candidates.csv_files import column_names, iter_csv
from candidates.forms.staff import ImportMappingForm, ImportUploadForm
from candidates.models import CandidateImport
from candidates.services import imports
from candidates.tasks import queue_import
from rfs.accounts.events import Kind, record_event
from rfs.accounts.roles import staff_required

PREVIEW_ROWS = 5


@staff_required
def upload(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else None
    if form is not None and form.is_valid():
        candidate_import = imports.create_import(
            by=request.user, file_name=form.cleaned_data["file"].name, text=form.text
        )
        record_event(
            kind=Kind.IMPORT,
            subject_id=candidate_import.uuid,
            subject_label=candidate_import.file_name,
            request=request,
        )
        return redirect(candidate_import)
    recent = CandidateImport.objects.select_related("by").defer("content")[:10]
    return render(
        request,
        "candidates/import_upload.html",
        {"form": form or ImportUploadForm(), "recent": recent},
    )


@staff_required
def status(request: HttpRequest, uuid) -> HttpResponse:
    # Polled every second while it runs: leave the file in the database.
    candidate_import = get_object_or_404(
        CandidateImport.objects.select_related("by").defer("content"), uuid=uuid
    )
    waiting = candidate_import.status == CandidateImport.Status.MAPPING
    if request.headers.get("HX-Request"):
        return render(
            request, "candidates/_import_progress.html", {"candidate_import": candidate_import}
        )
    context: dict = {"candidate_import": candidate_import}
    if waiting:
        header, rows = iter_csv(candidate_import.content)
        form = ImportMappingForm(
            request.POST if request.method == "POST" else None,
            header=header,
            fields=imports.import_fields(),
        )
        if form.is_bound and form.is_valid():
            if imports.start_import(candidate_import=candidate_import, mapping=form.mapping()):
                queue_import(import_id=candidate_import.pk, start=0)
                messages.success(request, "The import has started.")
            return redirect(candidate_import)
        preview = [cells for _, cells in islice(rows, PREVIEW_ROWS)]
        context.update(
            form=form,
            header=column_names(header),
            preview=[(cells + [""] * len(header))[: len(header)] for cells in preview],
        )
    elif request.method == "POST":
        messages.info(request, "This import has already started.")
        return redirect(candidate_import)
    return render(request, "candidates/import_detail.html", context)


@staff_required
def report(request: HttpRequest, uuid) -> HttpResponse:
    candidate_import = get_object_or_404(CandidateImport, uuid=uuid)
    response = StreamingHttpResponse(
        imports.rejection_report(candidate_import=candidate_import),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="import-{candidate_import.uuid}-rejected.csv"'
    )
    response["Cache-Control"] = "no-store"
    return response
