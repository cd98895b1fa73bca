"""Staff's partner pages: the directory and its CSV, a partner's page, referrals from a
candidate's page (an htmx panel), a referral's history, and the report per partner."""

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from candidates.csv_files import csv_lines
from candidates.models import Candidate
from partners.forms import (
    ConsentForm,
    ContactForm,
    PartnerFilterForm,
    PartnerForm,
    ReasonForm,
    ReferralForm,
    ReportPeriodForm,
)
from partners.models import Contact, Partner, Referral, ReferralState
from partners.services import directory, figures, matching
from partners.services import referrals as services
from rfs.accounts.roles import staff_required

PARTNERS_PER_PAGE = 50


def _csv_response(rows, name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


# --- The directory --------------------------------------------------------------------


def _directory(request: HttpRequest):
    form = PartnerFilterForm(request.GET or None)
    partners = form.filter(Partner.objects.all()).annotate(
        open_referrals=Count(
            "referrals",
            filter=Q(referrals__state__in=[ReferralState.SENT, ReferralState.ACCEPTED]),
            distinct=True,
        ),
        resource_count=Count("resources", distinct=True),
    )
    return form, partners.order_by("name")


@staff_required
def partner_list(request: HttpRequest) -> HttpResponse:
    form, partners = _directory(request)
    page = Paginator(partners, PARTNERS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partners/partner_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@staff_required
def export(request: HttpRequest) -> StreamingHttpResponse:
    _, partners = _directory(request)
    rows = partners.prefetch_related("contacts")

    def lines():
        yield ["name", "active", "services", "communities", "states", "offices", "website",
               "primary_contact", "contact_email", "open_referrals", "resources"]  # fmt: skip
        for partner in rows:
            contact = next(iter(partner.contacts.all()), None)
            yield [
                partner.name,
                "yes" if partner.is_active else "paused",
                "; ".join(partner.get_services_display()),
                "; ".join(partner.get_communities_display()),
                " ".join(partner.states) or "nationwide",
                " ".join(partner.office_levels) or "any",
                partner.website,
                contact.name if contact else "",
                contact.email if contact else "",
                partner.open_referrals,
                partner.resource_count,
            ]

    return _csv_response(lines(), "partners")


@staff_required
def create(request: HttpRequest) -> HttpResponse:
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partner = directory.create_partner(
                data=form.partner_data(),
                response_days=form.cleaned_data["response_days"],
                lead_sources=form.cleaned_data["lead_sources"],
            )
        except directory.DirectoryRefused as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, f"{partner.name} added.")
            return redirect(partner)
    return render(request, "partners/partner_form.html", {"form": form, "partner": None})


@staff_required
def edit(request: HttpRequest, uuid) -> HttpResponse:
    partner = get_object_or_404(Partner, uuid=uuid)
    form = PartnerForm(
        request.POST or None,
        instance=partner,
        initial={
            "response_days": directory.response_days_of(partner),
            "lead_sources": [link.lead_source_id for link in partner.lead_sources.all()],
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            directory.update_partner(
                partner=partner,
                changes=form.partner_data(),
                response_days=form.cleaned_data["response_days"],
                lead_sources=form.cleaned_data["lead_sources"],
            )
        except directory.DirectoryRefused as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, "Saved.")
            return redirect(partner)
    return render(request, "partners/partner_form.html", {"form": form, "partner": partner})


@staff_required
def detail(request: HttpRequest, uuid) -> HttpResponse:
    partner = get_object_or_404(Partner, uuid=uuid)
    since = timezone.now() - timedelta(days=365)
    return render(
        request,
        "partners/partner_detail.html",
        {
            "partner": partner,
            "contacts": partner.contacts.select_related("user"),
            "resources": partner.resources.all(),
            "referrals": partner.referrals.select_related("candidate").order_by("-created_at")[:50],
            "response_days": directory.response_days_of(partner),
            "lead_sources": partner.lead_sources.select_related("lead_source"),
            "figures": figures.partner_report(since=since, partners=[partner])[0],
            "contact_form": ContactForm(),
        },
    )


@require_POST
@staff_required
def set_active(request: HttpRequest, uuid) -> HttpResponse:
    partner = get_object_or_404(Partner, uuid=uuid)
    active = request.POST.get("active") == "1"
    directory.set_active(partner=partner, active=active)
    messages.success(request, f"{partner.name} is {'active' if active else 'paused'}.")
    return redirect(partner)


@require_POST
@staff_required
def contact_add(request: HttpRequest, uuid) -> HttpResponse:
    partner = get_object_or_404(Partner, uuid=uuid)
    form = ContactForm(request.POST)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "with_login"}
        try:
            directory.add_contact(
                partner=partner, data=data, with_login=form.cleaned_data["with_login"]
            )
        except directory.DirectoryRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{data['name']} added.")
    else:
        messages.error(request, "Give the contact's name and a valid email.")
    return redirect(partner)


@require_POST
@staff_required
def contact_remove(request: HttpRequest, uuid, pk: int) -> HttpResponse:
    contact = get_object_or_404(
        Contact.objects.select_related("partner"), partner__uuid=uuid, pk=pk
    )
    directory.remove_contact(contact=contact)
    messages.success(request, f"{contact.name} removed.")
    return redirect(contact.partner)


# --- Referrals from the candidate's page ------------------------------------------------


def _panel(request: HttpRequest, candidate: Candidate, form=None, **extra) -> HttpResponse:
    suggestions = matching.rank_partners(candidate=candidate)
    suggested = {s.partner.pk for s in suggestions}
    return render(
        request,
        "partners/_referral_panel.html",
        {
            "candidate": candidate,
            "referrals": candidate.referrals.select_related("partner").order_by("-created_at"),
            "suggestions": suggestions,
            # Staff may choose a partner the suggestions leave out (their rules do not say
            # everything).
            "others": Partner.objects.active().exclude(pk__in=suggested).only("uuid", "name"),
            "form": form or ReferralForm(),
            **extra,
        },
    )


@staff_required
def panel(request: HttpRequest, uuid) -> HttpResponse:
    candidate = get_object_or_404(Candidate.objects.visible_to(request.user), uuid=uuid)
    return _panel(request, candidate)


@require_POST
@staff_required
def refer(request: HttpRequest, uuid) -> HttpResponse:
    """Staff refer a candidate to a partner, with the consent they recorded or without it
    (the candidate is then asked in the portal)."""
    candidate = get_object_or_404(Candidate.objects.visible_to(request.user), uuid=uuid)
    form = ReferralForm(request.POST)
    if not form.is_valid():
        return _after(request, candidate, form=form, error="Check the referral.")
    data = form.cleaned_data
    consent = (
        services.Consent(words=data["consent_words"], fields=tuple(data["consent_fields"]))
        if data["has_consent"]
        else None
    )
    try:
        referral = services.propose_referral(
            candidate=candidate,
            partner=data["partner"],
            by=request.user,
            need=data["need"],
            note=data["note"],
            consent=consent,
        )
    except services.ReferralRefused as exc:
        return _after(request, candidate, form=form, error=str(exc))
    notice = (
        f"Sent to {referral.partner.name}; both sides got an introduction."
        if referral.state == ReferralState.SENT
        else f"Proposed: {candidate.greeting_name} is asked to agree in their portal."
    )
    messages.success(request, notice)
    return _after(request, candidate, notice=notice)


def _after(request: HttpRequest, candidate: Candidate, **extra) -> HttpResponse:
    # From the htmx panel, answer with the panel; from a plain form, go back to the page.
    if request.headers.get("HX-Request"):
        return _panel(request, candidate, **extra)
    if extra.get("error"):
        messages.error(request, extra["error"])
    return redirect(candidate)


@staff_required
def referral(request: HttpRequest, uuid) -> HttpResponse:
    referral = get_object_or_404(
        Referral.objects.select_related("candidate", "partner", "help_request", "created_by"),
        uuid=uuid,
    )
    return render(
        request,
        "partners/referral_detail.html",
        {
            "referral": referral,
            "moves": referral.moves.select_related("by"),
            "reason_form": ReasonForm(),
            "consent_form": ConsentForm(),
            "can_close": services.can_move(referral, ReferralState.NO_ANSWER),
            "can_decline": services.can_move(referral, ReferralState.DECLINED),
        },
    )


@require_POST
@staff_required
def referral_consent(request: HttpRequest, uuid) -> HttpResponse:
    """Staff record the consent a candidate gave them (by phone, say), in their words."""
    referral = get_object_or_404(Referral, uuid=uuid)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write down the words the candidate agreed to.")
        return redirect("partners:referral", uuid=referral.uuid)
    consent = services.Consent(
        words=form.cleaned_data["consent_words"], fields=tuple(form.cleaned_data["consent_fields"])
    )
    try:
        services.record_consent(referral=referral, consent=consent, by=request.user)
    except services.ReferralRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Consent recorded; the referral is sent.")
    return redirect("partners:referral", uuid=referral.uuid)


@require_POST
@staff_required
def referral_close(request: HttpRequest, uuid, action: str) -> HttpResponse:
    """Staff close a referral: no answer from the partner, or withdrawn with a reason."""
    referral = get_object_or_404(Referral, uuid=uuid)
    form = ReasonForm(request.POST)
    try:
        if action == "no-answer":
            services.mark_no_answer(referral=referral, by=request.user)
        elif action == "decline" and form.is_valid():
            services.decline_referral(
                referral=referral,
                by=request.user,
                reason=form.cleaned_data["note"],
                declined_by=Referral.DeclinedBy.STAFF,
            )
        else:
            messages.error(request, "Say why the referral is withdrawn.")
            return redirect(referral)
    except services.ReferralRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Referral closed.")
    return redirect("partners:referral", uuid=referral.uuid)


# --- The report per partner --------------------------------------------------------------


@staff_required
def report(request: HttpRequest) -> HttpResponse:
    form = ReportPeriodForm(request.GET or None)
    since, until = form.period()
    rows = figures.partner_report(since=since, until=until)
    if request.GET.get("format") == "csv":
        return _csv_response(_report_lines(rows), "partner-report")
    rows.sort(key=lambda r: (-(r["sent_us"] + r["referrals_sent"]), r["partner"].name))
    return render(
        request,
        "partners/report.html",
        {
            "form": form,
            "rows": rows,
            "totals": figures.report_totals(rows),
            "since": since,
            "until": until,
            "query": request.GET.urlencode(),
        },
    )


def _report_lines(rows):
    yield ["partner", "sent_us", "screened", "on_ballot", "won", "referrals_sent", "accepted",
           "helped", "declined", "no_answer", "median_hours_to_accept",
           "p90_hours_to_accept"]  # fmt: skip
    for row in rows:
        yield [
            row["partner"].name,
            *[row[k] for k in ("sent_us", "screened", "on_ballot", "won", "referrals_sent")],
            *[row[k] for k in ("accepted", "helped", "declined", "no_answer")],
            _hours(row["median_hours_to_accept"]),
            _hours(row["p90_hours_to_accept"]),
        ]


def _hours(value) -> str:
    return "" if value is None else f"{value:.1f}"
