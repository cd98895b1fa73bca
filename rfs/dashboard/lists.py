"""The lists behind the dashboard's figures: which candidates signed up or reached a stage in
a period, which requests were opened, who waits for first contact, which claims are open.

Each list applies the same candidate filters as the dashboard, so its length is the figure
it was opened from."""

from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from candidates import request_kinds
from candidates.models import PIPELINE, Candidate, HelpRequest, StageChange
from rfs.dashboard.forms import FILTER_FIELDS, DashboardForm, Period, organisation_zone
from screening.models import Claim


@dataclass(frozen=True)
class ListKind:
    title: str
    # Whether the list is about a period (start and end are needed).
    dated: bool


LISTS = {
    "signups": ListKind("Candidates who signed up", True),
    "reached": ListKind("Candidates who reached a stage", True),
    "requests": ListKind("Requests opened", True),
    "waiting": ListKind("Candidates waiting for first contact", False),
    "claims": ListKind("Open screening claims", False),
}


class ListForm(DashboardForm):
    """Which list, for which days and candidates (the dashboard's filters)."""

    show = forms.ChoiceField(choices=[(key, kind.title) for key, kind in LISTS.items()])
    stage = forms.ChoiceField(choices=[(s.value, s.label) for s in PIPELINE], required=False)
    kind = forms.ChoiceField(choices=request_kinds.choices(), required=False)

    def clean(self) -> dict:
        data = super(DashboardForm, self).clean()
        show = data.get("show")
        if show in LISTS and LISTS[show].dated:
            start, end = data.get("start"), data.get("end")
            if start is None and "start" not in self.errors:
                self.add_error("start", "Give the first day.")
            if end is None and "end" not in self.errors:
                self.add_error("end", "Give the last day.")
            if start and end and end < start:
                self.add_error("end", "The last day must not be before the first day.")
        if show == "reached" and not data.get("stage"):
            self.add_error("stage", "Choose a stage.")
        return data

    def days(self) -> Period:
        return Period(self.cleaned_data["start"], self.cleaned_data["end"], organisation_zone())


def _filtered(queryset: QuerySet, filters: dict, prefix: str = "") -> QuerySet:
    return queryset.filter(
        **{f"{prefix}{name}": value for name, value in filters.items() if name in FILTER_FIELDS}
    )


def _first_contact_at():
    return Subquery(
        HelpRequest.objects.filter(candidate=OuterRef("pk"), kind=request_kinds.FIRST_CONTACT)
        .order_by("opened_at")
        .values("first_response_at")[:1]
    )


def rows(form: ListForm, now: datetime | None = None) -> QuerySet:
    """The queryset of the list the valid `form` asks for."""
    now = now or timezone.now()
    show, filters = form.cleaned_data["show"], form.filters()
    if show == "signups":
        period = form.days()
        return (
            _filtered(Candidate.objects.all(), filters)
            .filter(created_at__gte=period.start, created_at__lt=period.end)
            .annotate(first_contact_at=_first_contact_at())
            .order_by("-created_at", "-pk")
        )
    if show == "reached":
        period = form.days()
        moves = StageChange.objects.filter(
            candidate=OuterRef("pk"),
            to_stage=form.cleaned_data["stage"],
            at__gte=period.start,
            at__lt=period.end,
        )
        return (
            _filtered(Candidate.objects.all(), filters)
            .filter(Exists(moves))
            .annotate(reached_at=Subquery(moves.order_by("at").values("at")[:1]))
            .order_by("-reached_at", "-pk")
        )
    if show == "requests":
        period = form.days()
        queryset = _filtered(HelpRequest.objects.all(), filters, "candidate__").filter(
            opened_at__gte=period.start, opened_at__lt=period.end
        )
        if form.cleaned_data.get("kind"):
            queryset = queryset.filter(kind=form.cleaned_data["kind"])
        return (
            queryset.select_related("candidate", "owner")
            .annotate(response_time=F("first_response_at") - F("opened_at"))
            .order_by("-opened_at", "-pk")
        )
    if show == "waiting":
        return (
            _filtered(HelpRequest.objects.all(), filters, "candidate__")
            .filter(kind=request_kinds.FIRST_CONTACT, first_response_at__isnull=True)
            .exclude(status=HelpRequest.Status.RESOLVED)
            .select_related("candidate", "candidate__owner")
            .order_by("opened_at", "pk")
        )
    return (
        _filtered(Claim.objects.open(), filters, "candidate__")
        .select_related("candidate", "screener")
        .order_by("claimed_at", "pk")
    )
