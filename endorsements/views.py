"""Endorsement pages: the public list; staff's and reviewers' applications and their review;
staff's candidacies, results and contributions; the panel on a candidate's staff page."""

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_POST

from candidates.models import Candidate
from endorsements.forms import (
    ApplicationForm,
    CandidacyForm,
    CheckForm,
    ContributionForm,
    DecisionForm,
    PublicFilterForm,
    ResultForm,
    ReviewersForm,
    RubricForm,
    VoteForm,
)
from endorsements.models import Application, Candidacy, EndorsementClass, Vote
from endorsements.services import money, public, races, review
from endorsements.services.applications import ApplicationRefused, apply_for_endorsement
from rfs.accounts.models import Role
from rfs.accounts.roles import role_required, staff_required

reviewers_required = role_required(Role.STAFF, Role.REVIEWER)
# How long browsers and proxies may keep the public page before asking again.
PUBLIC_MAX_AGE = 300


# --- The public page ------------------------------------------------------------------


def public_list(request: HttpRequest) -> HttpResponse:
    """Endorsed candidates, only what each approved for publication; cached by version."""
    form = PublicFilterForm(request.GET or None, cycles=public.cycles())
    filters = form.cleaned_data if form.is_valid() else {}
    etag = f'"{public.version()}-{request.GET.urlencode()}"'
    anonymous = not request.user.is_authenticated
    if anonymous and request.headers.get("If-None-Match") == etag:
        return HttpResponse(status=304, headers={"ETag": etag})
    rows = public.published(
        state=filters.get("state") or "",
        cycle=filters.get("cycle"),
        level=filters.get("level") or "",
    )
    response = render(request, "endorsements/public_list.html", {"form": form, "rows": rows})
    if anonymous:
        response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    else:
        # The layout shows the person's menu: never kept by a shared cache.
        patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    return response


# --- Applications and their review ------------------------------------------------------


def _application(request: HttpRequest, uuid) -> Application:
    return get_object_or_404(
        Application.objects.visible_to(request.user).select_related(
            "candidacy__candidate",
            "candidacy__office",
            "candidacy__election",
            "endorsement_class",
            "decided_by",
        ),
        uuid=uuid,
    )


@reviewers_required
def application_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    applications = (
        Application.objects.visible_to(request.user)
        .select_related(
            "candidacy__candidate", "candidacy__office", "candidacy__election", "endorsement_class"
        )
        .annotate(vote_count=Count("votes", distinct=True))
        .order_by("-submitted_at")
    )
    if status in Application.Status.values:
        applications = applications.filter(status=status)
    return render(
        request,
        "endorsements/application_list.html",
        {
            "applications": applications[:200],
            "status": status,
            "statuses": Application.Status.choices,
            "classes": EndorsementClass.objects.filter(deadline__gte=timezone.now())
            if request.user.has_role(Role.STAFF)
            else [],
        },
    )


def _detail(request: HttpRequest, application: Application, status: int = 200, **forms):
    is_staff = request.user.has_role(Role.STAFF)
    mine = Vote.objects.filter(application=application, reviewer=request.user).first()
    checks = list(application.checks.all())
    scores = {s.criterion_id: s for s in application.scores.all()}
    context = {
        "application": application,
        "candidacy": application.candidacy,
        "answers": application.answers.select_related("question"),
        "checks": checks,
        "rubric_rows": [
            (c, scores.get(c.pk)) for c in application.endorsement_class.criteria.all()
        ],
        "votes": application.votes.select_related("reviewer"),
        "reviewers": application.reviewers.all(),
        "is_staff": is_staff,
        "may_decide": request.user.has_perm(review.DECIDE_PERMISSION),
        "vote_form": forms.get("vote_form") or VoteForm(instance=mine),
        "check_forms": forms.get("check_forms")
        or [
            CheckForm(initial={"kind": c.kind, "status": c.status, "note": c.note}, prefix=c.kind)
            for c in checks
        ],
        "rubric_form": forms.get("rubric_form") or _rubric_form(application),
        "reviewers_form": forms.get("reviewers_form")
        or ReviewersForm(initial={"reviewers": application.reviewers.all()}),
        "decision_form": forms.get("decision_form") or DecisionForm(),
    }
    return render(request, "endorsements/application_detail.html", context, status=status)


def _rubric_form(application: Application, data=None) -> RubricForm:
    scores = {s.criterion_id: s for s in application.scores.all()}
    initial = {}
    for criterion_id, s in scores.items():
        initial |= {f"score_{criterion_id}": s.score, f"note_{criterion_id}": s.note}
    return RubricForm(data, criteria=application.endorsement_class.criteria.all(), initial=initial)


@reviewers_required
def application_detail(request: HttpRequest, uuid) -> HttpResponse:
    return _detail(request, _application(request, uuid))


@require_POST
@reviewers_required
def vote(request: HttpRequest, uuid) -> HttpResponse:
    application = _application(request, uuid)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return _detail(request, application, status=400, vote_form=form)
    try:
        review.cast_vote(application=application, reviewer=request.user, **form.cleaned_data)
    except review.ReviewRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Your vote is saved; you may change it until the decision.")
    return redirect(application)


@require_POST
@staff_required
def assign(request: HttpRequest, uuid) -> HttpResponse:
    application = _application(request, uuid)
    form = ReviewersForm(request.POST)
    if not form.is_valid():
        return _detail(request, application, status=400, reviewers_form=form)
    review.assign_reviewers(
        application=application, reviewers=list(form.cleaned_data["reviewers"]), by=request.user
    )
    messages.success(request, "Reviewers saved.")
    return redirect(application)


@require_POST
@staff_required
def check(request: HttpRequest, uuid, kind: str) -> HttpResponse:
    application = _application(request, uuid)
    form = CheckForm(request.POST, prefix=kind)
    if not form.is_valid() or form.cleaned_data["kind"] != kind:
        messages.error(request, "Choose a status for the check.")
        return redirect(application)
    review.update_check(
        application=application,
        kind=kind,
        status=form.cleaned_data["status"],
        note=form.cleaned_data["note"],
        by=request.user,
    )
    messages.success(request, "Background check saved.")
    return redirect(application)


@require_POST
@staff_required
def rubric(request: HttpRequest, uuid) -> HttpResponse:
    application = _application(request, uuid)
    form = _rubric_form(application, request.POST)
    if not form.is_valid():
        return _detail(request, application, status=400, rubric_form=form)
    review.score(application=application, scores=form.scores(), by=request.user)
    messages.success(request, "Rubric saved.")
    return redirect(application)


@require_POST
@staff_required
def decide(request: HttpRequest, uuid) -> HttpResponse:
    application = _application(request, uuid)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _detail(request, application, status=400, decision_form=form)
    try:
        review.decide(application=application, by=request.user, **form.cleaned_data)
    except review.ReviewRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"Decided: {application.get_status_display()}. The candidate is told."
        )
    return redirect(application)


@staff_required
def apply_for(request: HttpRequest, class_uuid, candidate_uuid) -> HttpResponse:
    """Staff apply on a candidate's behalf."""
    klass = get_object_or_404(EndorsementClass, uuid=class_uuid)
    candidate = get_object_or_404(Candidate.objects.visible_to(request.user), uuid=candidate_uuid)
    form = ApplicationForm(request.POST or None, endorsement_class=klass)
    if request.method == "POST" and form.is_valid():
        try:
            application = take_application(form, candidate=candidate, by=request.user)
        except ApplicationRefused as exc:
            form.add_error(None, exc.reasons)
        else:
            messages.success(request, "The application is in; the candidate got a receipt.")
            return redirect(application)
    return render(
        request,
        "endorsements/application_form.html",
        {"form": form, "endorsement_class": klass, "candidate": candidate},
        status=400 if form.errors else 200,
    )


def take_application(form: ApplicationForm, *, candidate: Candidate, by) -> Application:
    """A valid application form, handed to the service (the portal uses it too)."""
    return apply_for_endorsement(
        endorsement_class=form.endorsement_class,
        candidate=candidate,
        office=form.cleaned_data["office"],
        election=form.cleaned_data["election"],
        race=form.race(),
        application=form.application(),
        answers=form.answers(),
        by=by,
    )


# --- Candidacies, results and money ------------------------------------------------------


def _candidacy(uuid) -> Candidacy:
    return get_object_or_404(
        Candidacy.objects.select_related("candidate", "office", "election"), uuid=uuid
    )


def _candidacy_page(request: HttpRequest, candidacy: Candidacy, status: int = 200, **forms):
    limit = money.limit_for(candidacy)
    given = money.given_to(candidacy)
    return render(
        request,
        "endorsements/candidacy_detail.html",
        {
            "candidacy": candidacy,
            "applications": candidacy.applications.select_related("endorsement_class"),
            "contributions": candidacy.contributions.select_related("recorded_by"),
            "limit": limit,
            "given": given,
            "left": limit.amount - given if limit else None,
            "candidacy_form": forms.get("candidacy_form") or CandidacyForm(instance=candidacy),
            "result_form": forms.get("result_form")
            or ResultForm(initial={"result": candidacy.result, "vote_share": candidacy.vote_share}),
            "contribution_form": forms.get("contribution_form")
            or ContributionForm(initial={"committee_id": candidacy.committee_id}),
        },
        status=status,
    )


@staff_required
def candidacy_detail(request: HttpRequest, uuid) -> HttpResponse:
    return _candidacy_page(request, _candidacy(uuid))


@require_POST
@staff_required
def candidacy_update(request: HttpRequest, uuid) -> HttpResponse:
    candidacy = _candidacy(uuid)
    form = CandidacyForm(request.POST, instance=Candidacy.objects.get(pk=candidacy.pk))
    if not form.is_valid():
        return _candidacy_page(request, candidacy, status=400, candidacy_form=form)
    races.update_candidacy(candidacy=candidacy, changes=form.cleaned_data, by=request.user)
    messages.success(request, "Candidacy saved.")
    return redirect(candidacy)


@require_POST
@staff_required
def candidacy_result(request: HttpRequest, uuid) -> HttpResponse:
    candidacy = _candidacy(uuid)
    form = ResultForm(request.POST)
    if not form.is_valid():
        return _candidacy_page(request, candidacy, status=400, result_form=form)
    races.record_result(candidacy=candidacy, by=request.user, **form.cleaned_data)
    messages.success(request, "Result saved.")
    return redirect(candidacy)


@require_POST
@staff_required
def contribute(request: HttpRequest, uuid) -> HttpResponse:
    candidacy = _candidacy(uuid)
    form = ContributionForm(request.POST)
    if form.is_valid():
        try:
            money.record_contribution(candidacy=candidacy, by=request.user, **form.cleaned_data)
        except money.ContributionRefused as exc:
            form.add_error("amount", str(exc))
        else:
            messages.success(request, "Contribution recorded.")
            return redirect(candidacy)
    return _candidacy_page(request, candidacy, status=400, contribution_form=form)


@staff_required
def contributions_csv(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        money.contributions_csv(), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="contributions-{stamp}.csv"'
    return response


@staff_required
def panel(request: HttpRequest, uuid) -> HttpResponse:
    """The candidate's races and applications, on their staff page."""
    candidate = get_object_or_404(Candidate.objects.visible_to(request.user), uuid=uuid)
    candidacies = candidate.candidacies.select_related("office", "election").prefetch_related(
        Prefetch(
            "applications",
            queryset=Application.objects.select_related("endorsement_class"),
        )
    )
    open_classes = (
        EndorsementClass.objects.filter(deadline__gte=timezone.now())
        .filter(Q(elections__state=candidate.state))
        .distinct()
    )
    return render(
        request,
        "endorsements/_candidate_panel.html",
        {"candidate": candidate, "candidacies": candidacies, "open_classes": open_classes},
    )
