"""A partner login's own pages: its organisation's referrals (only what the candidate agreed
to share), its answers, referring a candidate to us, and its resource catalogue."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from candidates.models import Need
from partners.forms import AnswerForm, PartnerLeadForm, ReasonForm, ResourceForm
from partners.models import Partner, Referral, ReferralState
from partners.services import directory
from partners.services import referrals as services
from partners.services.intake import refer_to_us
from rfs.accounts.roles import Role, role_required

partner_required = role_required(Role.PARTNER)


def _own_partner(request: HttpRequest) -> Partner:
    partner = directory.partner_of(request.user)
    if partner is None:
        raise Http404("This login belongs to no partner.")
    return partner


def _load(request: HttpRequest, uuid) -> Referral:
    """A referral of the login's organisation that the candidate agreed to share, else 404
    (staff who are a partner's contact too answer only for that partner here)."""
    return get_object_or_404(
        Referral.objects.shared_with(request.user).select_related(
            "candidate", "partner", "help_request"
        ),
        uuid=uuid,
    )


@partner_required
def home(request: HttpRequest) -> HttpResponse:
    partner = _own_partner(request)
    referrals = (
        Referral.objects.shared_with(request.user)
        .select_related("candidate", "help_request")
        .order_by("-sent_at")
    )
    waiting = [r for r in referrals if r.state == ReferralState.SENT]
    working = [r for r in referrals if r.state == ReferralState.ACCEPTED]
    closed = [r for r in referrals if not r.is_open][:50]
    return render(
        request,
        "partners/portal_home.html",
        {
            "partner": partner,
            "waiting": waiting,
            "working": working,
            "closed": closed,
            "now": timezone.now(),
            "response_days": directory.response_days_of(partner),
        },
    )


@partner_required
def referral(request: HttpRequest, uuid) -> HttpResponse:
    referral = _load(request, uuid)
    return _render_referral(request, referral)


def _render_referral(request: HttpRequest, referral: Referral, **forms) -> HttpResponse:
    return render(
        request,
        "partners/portal_referral.html",
        {
            "referral": referral,
            "candidate": referral.candidate,
            "moves": referral.moves.all(),
            "needs": [Need(n).label for n in referral.candidate.needs if n in Need.values],
            "accept_form": forms.get("accept_form") or AnswerForm(),
            "decline_form": forms.get("decline_form") or ReasonForm(),
            "helped_form": forms.get("helped_form") or ReasonForm(),
            "can_accept": services.can_move(referral, ReferralState.ACCEPTED),
            "can_decline": services.can_move(referral, ReferralState.DECLINED),
            "can_help": services.can_move(referral, ReferralState.HELPED),
        },
        status=400 if forms else 200,
    )


@require_POST
@partner_required
def answer(request: HttpRequest, uuid, action: str) -> HttpResponse:
    """Accept, decline (with a reason) or mark helped (with a note)."""
    referral = _load(request, uuid)
    form_class, form_name = {
        "accept": (AnswerForm, "accept_form"),
        "decline": (ReasonForm, "decline_form"),
        "helped": (ReasonForm, "helped_form"),
    }.get(action, (None, None))
    if form_class is None:
        raise Http404
    form = form_class(request.POST)
    if not form.is_valid():
        return _render_referral(request, referral, **{form_name: form})
    note = form.cleaned_data["note"]
    try:
        if action == "accept":
            services.accept_referral(referral=referral, by=request.user, note=note)
        elif action == "decline":
            services.decline_referral(referral=referral, by=request.user, reason=note)
        else:
            services.mark_helped(referral=referral, by=request.user, note=note)
    except services.ReferralRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            {"accept": "Accepted.", "decline": "Declined."}.get(
                action, "Marked as helped. Thank you!"
            ),
        )
    return redirect("partners:portal_referral", uuid=referral.uuid)


@partner_required
def refer(request: HttpRequest) -> HttpResponse:
    """Refer a candidate to us. The answer is the same whether or not we knew them."""
    partner = _own_partner(request)
    form = PartnerLeadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refer_to_us(partner=partner, by=request.user, data=form.candidate_data())
        messages.success(
            request, "Thank you: we have it, and a volunteer will be in touch with them."
        )
        return redirect("partners:portal_refer")
    return render(request, "partners/portal_refer.html", {"form": form, "partner": partner})


@partner_required
def resources(request: HttpRequest) -> HttpResponse:
    partner = _own_partner(request)
    form = ResourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        directory.save_resource(partner=partner, data=form.cleaned_data)
        messages.success(request, "Resource added.")
        return redirect("partners:portal_resources")
    return render(
        request,
        "partners/portal_resources.html",
        {"partner": partner, "resources": partner.resources.all(), "form": form},
    )


@partner_required
def resource_edit(request: HttpRequest, uuid) -> HttpResponse:
    partner = _own_partner(request)
    resource = get_object_or_404(partner.resources, uuid=uuid)
    form = ResourceForm(request.POST or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        directory.save_resource(partner=partner, data=form.cleaned_data, resource=resource)
        messages.success(request, "Saved.")
        return redirect("partners:portal_resources")
    return render(
        request, "partners/portal_resource_form.html", {"form": form, "resource": resource}
    )


@require_POST
@partner_required
def resource_remove(request: HttpRequest, uuid) -> HttpResponse:
    partner = _own_partner(request)
    resource = get_object_or_404(partner.resources, uuid=uuid)
    directory.remove_resource(partner=partner, resource=resource)
    messages.success(request, f"{resource.title} removed.")
    return redirect("partners:portal_resources")
