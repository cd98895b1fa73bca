"""At the end of a call whose next step is "refer to a partner", the screener refers the
candidate there, recording the words the candidate agreed to. The referral itself is the
partners app's (through its services; screening owns only this page and who may open it)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from partners.services import referrals as partner_referrals
from screening.forms import PartnerReferralForm
from screening.models import ScreeningCall
from screening.views.access import worker_required


@worker_required
def refer_partner(request: HttpRequest, uuid) -> HttpResponse:
    call = get_object_or_404(
        ScreeningCall.objects.visible_to(request.user).select_related("candidate"),
        uuid=uuid,
        next_step=ScreeningCall.NextStep.PARTNER,
    )
    candidate = call.candidate
    form = PartnerReferralForm(
        request.POST or None,
        partners=partner_referrals.partner_choices(candidate),
        fields=partner_referrals.CONSENT_CHOICES,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = partner_referrals.refer_with_consent(
                candidate=candidate,
                partner_uuid=data["partner"],
                by=request.user,
                words=data["consent_words"],
                fields=data["consent_fields"],
                note=data["note"],
            )
        except partner_referrals.ReferralRefused as exc:
            form.add_error("partner", str(exc))
        else:
            messages.success(
                request, f"Referred to {referral.partner.name}; both sides got an introduction."
            )
            return redirect(call)
    return render(
        request,
        "screening/refer_partner.html",
        {"call": call, "candidate": candidate, "form": form},
    )
