"""Staff candidate pages: the searchable list, a candidate's page, notes, stage moves, export."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from candidates import panels, request_kinds
from candidates.forms.staff import CandidateFilterForm, NoteForm, StageForm
from candidates.models import Candidate, HelpRequest, Need
from candidates.services import proposed_updates, records
from candidates.services.pipeline import StageMoveRefused, move_stage
from candidates.services.search import filter_candidates
from rfs.accounts.events import Kind, record_event, record_view
from rfs.accounts.roles import staff_required


def _filtered(
    request: HttpRequest, params: QueryDict
) -> tuple[CandidateFilterForm, QuerySet[Candidate]]:
    form = CandidateFilterForm(params)
    form.is_valid()  # a filter with an error is shown beside its field and not applied
    queryset = filter_candidates(
        queryset=Candidate.objects.visible_to(request.user),
        filters=form.filters(),
        sort=form.sort_key(),
    )
    return form, queryset


@staff_required
def candidate_list(request: HttpRequest) -> HttpResponse:
    form, queryset = _filtered(request, request.GET)
    page = Paginator(
        queryset.select_related("owner").defer("why_run"), settings.RFS_CANDIDATES_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "candidates/candidate_list.html",
        {
            "form": form,
            "page": page,
            "columns": _sort_columns(request, form.sort_key()),
            # Posted by the export button: filters (a name, an email) stay out of URLs.
            "export_filters": [
                (name, value)
                for name, values in request.GET.lists()
                if name != "page"
                for value in values
            ],
        },
    )


# Sortable columns of the list: (heading, sort key); a second click reverses the order.
SORTABLE = {"name": "Name", "state": "State", "stage": "Stage", "signed_up": "Signed up"}


def _sort_columns(request: HttpRequest, sort: str) -> dict[str, dict]:
    params = request.GET.copy()
    params.pop("page", None)
    columns = {}
    for key, heading in SORTABLE.items():
        direction = "ascending" if sort == key else "descending" if sort == f"-{key}" else ""
        params["sort"] = f"-{key}" if sort == key else key
        columns[key] = {"heading": heading, "direction": direction, "query": params.urlencode()}
    return columns


@staff_required
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    params = request.POST.copy()
    params.pop("csrfmiddlewaretoken", None)
    form, queryset = _filtered(request, params)
    if form.errors:
        messages.error(request, "Correct the filters before exporting.")
        return redirect(f"{reverse('candidates:list')}?{params.urlencode()}")
    log = records.record_export(
        by=request.user, filters={**form.filters(), "sort": form.sort_key()}
    )
    record_event(kind=Kind.EXPORT, detail="Candidates CSV", request=request)
    response = StreamingHttpResponse(
        records.export_csv(export=log, queryset=queryset), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="candidates-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def _detail(request: HttpRequest, candidate: Candidate, **forms) -> HttpResponse:
    help_requests = records.candidate_requests(candidate=candidate)
    context = {
        "candidate": candidate,
        "help_requests": help_requests,
        "timeline": records.timeline(candidate=candidate, help_requests=help_requests),
        "panel_urls": panels.urls_for(candidate),
        "proposals": [
            (proposal, proposed_updates.described(proposal))
            for proposal in proposed_updates.pending_updates(candidate)
        ],
        "data_requests": HelpRequest.objects.unresolved().filter(
            candidate=candidate, kind=request_kinds.DATA_REQUEST
        ),
        "note_form": forms.get("note_form") or NoteForm(),
        "stage_form": forms.get("stage_form") or StageForm(stage=candidate.stage),
        "needs": [Need(need).label for need in candidate.needs if need in Need.values],
        "age_at_election": (
            candidate.election_year - candidate.birth_year
            if candidate.election_year and candidate.birth_year
            else None
        ),
    }
    status = 400 if forms else 200
    return render(request, "candidates/candidate_detail.html", context, status=status)


def _load(request: HttpRequest, uuid) -> Candidate:
    return get_object_or_404(
        Candidate.objects.visible_to(request.user).select_related("owner"), uuid=uuid
    )


@staff_required
def detail(request: HttpRequest, uuid) -> HttpResponse:
    candidate = _load(request, uuid)
    # The page shows contact details and demographics: who looked is logged.
    record_view(request=request, subject_id=candidate.uuid, subject_label=candidate.display_name)
    return _detail(request, candidate)


@staff_required
@require_POST
def add_note(request: HttpRequest, uuid) -> HttpResponse:
    candidate = _load(request, uuid)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _detail(request, candidate, note_form=form)
    records.add_note(candidate=candidate, author=request.user, body=form.cleaned_data["body"])
    messages.success(request, "Note added.")
    return redirect(candidate)


@staff_required
@require_POST
def change_stage(request: HttpRequest, uuid) -> HttpResponse:
    candidate = _load(request, uuid)
    form = StageForm(request.POST, stage=candidate.stage)
    if not form.is_valid():
        return _detail(request, candidate, stage_form=form)
    try:
        change = move_stage(
            candidate=candidate,
            to=form.cleaned_data["to"],
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except StageMoveRefused as refusal:
        candidate.refresh_from_db()
        form.add_error("to", str(refusal))
        return _detail(request, candidate, stage_form=form)
    messages.success(request, f"Moved to {change.get_to_stage_display()}.")
    return redirect(candidate)


@staff_required
@require_POST
def decide_update(request: HttpRequest, uuid, update, decision: str) -> HttpResponse:
    """Staff apply or dismiss a change a public submission proposed for this person."""
    candidate = _load(request, uuid)
    proposal = get_object_or_404(candidate.proposed_updates, uuid=update)
    try:
        if decision == "apply":
            skipped = proposed_updates.apply_update(proposal=proposal, by=request.user)
            messages.success(request, "The proposed changes are applied.")
            if skipped:
                messages.warning(
                    request, f"Not changed, already on another record: {', '.join(skipped)}."
                )
        elif decision == "dismiss":
            proposed_updates.dismiss_update(proposal=proposal, by=request.user)
            messages.success(request, "The proposed changes are dismissed.")
        else:
            raise Http404("No such decision.")
    except proposed_updates.UpdateRefused as refusal:
        messages.info(request, str(refusal))
    return redirect(candidate)
