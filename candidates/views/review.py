"""Staff pages for one-person-one-candidate: the merge-review list and the live count of
unique people."""

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from candidates.forms.intake import MergeForm, answers_from_payload
from candidates.models import RejectedPostCount, Submission
from candidates.services import merges, people_counts, spam
from rfs.accounts.events import Kind, record_event
from rfs.accounts.roles import staff_required

PAGE_SIZE = 20


def _waiting(uuid) -> Submission:
    """A submission still waiting for review, or 404 (it was merged or split meanwhile)."""
    return get_object_or_404(merges.waiting_for_review(), uuid=uuid)


@staff_required
def merge_review(request: HttpRequest) -> HttpResponse:
    page = Paginator(merges.waiting_for_review(), PAGE_SIZE).get_page(request.GET.get("page"))
    items = [
        {
            "submission": submission,
            "sides": [
                ("Email matches", submission.candidate),
                ("Phone matches", submission.phone_match),
            ],
            "form": MergeForm(submission=submission, prefix=str(submission.uuid)),
        }
        for submission in page
    ]
    rejected = RejectedPostCount.objects.filter(day=spam.today()).totals()
    return render(
        request,
        "candidates/merge_review.html",
        {
            "page_obj": page,
            "items": items,
            "unique_people": people_counts.total(),
            "rejected_today": [
                (count, RejectedPostCount.Reason(reason).label)
                for reason, count in rejected.items()
            ],
        },
    )


@staff_required
@require_POST
def merge(request: HttpRequest, uuid) -> HttpResponse:
    submission = _waiting(uuid)
    form = MergeForm(request.POST, submission=submission, prefix=str(submission.uuid))
    if not form.is_valid():
        messages.error(request, "Choose which of the two records to keep.")
        return redirect("candidates:merge_review")
    keep = form.cleaned_data["keep"]
    try:
        merges.merge_candidates(
            submission=submission,
            keep=keep,
            by=request.user,
            data=answers_from_payload(submission.payload),
        )
    except merges.MergeRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("candidates:merge_review")
    record_event(
        kind=Kind.MERGE, subject_id=keep.uuid, subject_label=keep.display_name, request=request
    )
    messages.success(request, f"Merged into {keep.display_name}. All history was kept.")
    return redirect("candidates:merge_review")


@staff_required
@require_POST
def split(request: HttpRequest, uuid) -> HttpResponse:
    submission = _waiting(uuid)
    try:
        merges.split_submission(submission=submission, by=request.user)
    except merges.MergeRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("candidates:merge_review")
    messages.success(request, "Kept as two people. Nothing from the submission was applied.")
    return redirect("candidates:merge_review")


def _counts() -> dict:
    day_ago = timezone.now() - timedelta(hours=24)
    recent = Submission.objects.filter(received_at__gte=day_ago)
    return {
        "unique_people": people_counts.total(),
        "waiting_for_review": Submission.objects.filter(
            outcome=Submission.Outcome.MERGE_REVIEW
        ).count(),
        # Posts turned away are counted, not all kept: their count comes from the counter.
        "submissions_24h": recent.exclude(
            outcome__in=[Submission.Outcome.SPAM, Submission.Outcome.REJECTED]
        ).count(),
        "rejected_today": sum(RejectedPostCount.objects.filter(day=spam.today()).totals().values()),
        "counted_at": timezone.now(),
        "by_source": people_counts.by_source(),
        "by_day": people_counts.by_day(),
    }


@staff_required
def unique_count(request: HttpRequest) -> HttpResponse:
    """The live count of unique people (the page polls itself for its counts with htmx)."""
    return render(request, "candidates/merge_review_count.html", _counts())
