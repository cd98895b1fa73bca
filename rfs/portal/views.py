"""The candidate's own pages: login by emailed code, their record, their questions."""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from urllib.parse import urlencode

from allauth.account.views import request_login_code
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from candidates.models import Candidate, HelpRequest
from candidates.services import data_rights
from candidates.services.help_requests import ask_question
from candidates.services.self_service import (
    choose_language,
    ensure_candidate_login,
    update_candidate_details,
)
from endorsements.forms import ApplicationForm
from endorsements.models import Application, EndorsementClass
from endorsements.services.applications import ApplicationRefused, apply_for_endorsement
from partners.models import Referral
from partners.services import referrals as partner_referrals
from partners.services.matching import resources_for
from rfs import locale
from rfs.accounts.limits import within_limit
from rfs.accounts.models import Role
from rfs.portal import services
from rfs.portal.forms import AskForm, PortalDetailsForm, PortalLoginForm
from trainings import services as trainings
from trainings.models import Registration

DETAILS_SAVES_PER_HOUR = 10


def candidate_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Like role_required(Role.CANDIDATE), but anonymous visitors go to the portal's own login,
    which works before the candidate has an account."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('portal:login')}?{query}")
        if not request.user.has_role(Role.CANDIDATE):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _own_record(request: HttpRequest) -> Candidate:
    candidate = services.candidate_for(request.user)
    if candidate is None:
        raise Http404("No candidate record belongs to this login.")
    return candidate


def login(request: HttpRequest) -> HttpResponse:
    """Ask for a login code. A candidate who signed up has no account yet: it is made here,
    then allauth's login by code takes over. Unknown addresses get the same answer."""
    if request.user.is_authenticated:
        return redirect(request.user.start_url)
    next_url = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = PortalLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ensure_candidate_login(email=form.cleaned_data["email"])
        # allauth's own view sends the code (or, for an unknown address, the same kind of
        # email saying there is no account), rate-limits, and shows the code page: the
        # portal's copy of it, in the language of this page.
        response = request_login_code(request)
        confirm = reverse("account_confirm_login_code")
        if response.status_code == 302 and response["Location"].startswith(confirm):
            response["Location"] = (
                reverse("portal:login_code") + response["Location"][len(confirm) :]
            )
        return response
    return render(request, "portal/login.html", {"form": form, "next": next_url})


@candidate_required
def home(request: HttpRequest) -> HttpResponse:
    candidate = services.candidate_for(request.user)
    if candidate is None:
        return render(request, "portal/missing.html")
    where, next_step = services.STAGE_WORDS.get(candidate.stage, ("", ""))
    help_requests = (
        HelpRequest.objects.visible_to(request.user)
        .filter(candidate=candidate)
        .select_related("owner")
        .order_by("-opened_at")
    )
    return render(
        request,
        "portal/home.html",
        {
            "candidate": candidate,
            "where": where,
            "next_step": next_step,
            "helpers": services.current_helpers(candidate),
            "help_requests": help_requests,
            "referrals": Referral.objects.visible_to(request.user)
            .filter(candidate=candidate)
            .select_related("partner")
            .order_by("-created_at"),
            "consent_choices": partner_referrals.CONSENT_CHOICES,
            "resources": resources_for(candidate),
            "data_request_days": settings.RFS_DATA_REQUEST_DAYS,
            "invitations": trainings.invitations_for(candidate, now=timezone.now()),
            "registrations": trainings.registrations_for(candidate).filter(
                session__starts_at__gt=timezone.now() - timedelta(hours=3)
            ),
        },
    )


@require_POST
@candidate_required
def data_request(request: HttpRequest) -> HttpResponse:
    """The person asks for a copy of their data or its erasure: staff get a request."""
    candidate = _own_record(request)
    what = request.POST.get("what", "")
    if what not in data_rights.WHAT:
        messages.error(request, _("Choose a copy of your data or its erasure."))
        return redirect("portal:home")
    help_request = data_rights.ask_for_data(
        candidate=candidate, what=what, by=request.user, request=request
    )
    messages.success(
        request,
        _("We have your request and answer it within %(days)s days.")
        % {"days": settings.RFS_DATA_REQUEST_DAYS},
    )
    return redirect(help_request)


@require_POST
@candidate_required
def training_register(request: HttpRequest, uuid) -> HttpResponse:
    """One click on an invitation: a place in the session, or on its waitlist."""
    candidate = _own_record(request)
    # Two calls may have invited them to the same session: any one of them will do.
    invitation = (
        trainings.invitations_for(candidate, now=timezone.now()).filter(session__uuid=uuid).first()
    )
    if invitation is None:
        raise Http404("No invitation to this session.")
    try:
        registration = trainings.register(session=invitation.session, candidate=candidate)
    except trainings.RegistrationRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("You are registered: see you there.")
            if registration.status == Registration.Status.REGISTERED
            else _("The session is full: you are on its waitlist, and a freed place is yours."),
        )
    return redirect("portal:home")


@require_POST
@candidate_required
def training_cancel(request: HttpRequest, uuid) -> HttpResponse:
    candidate = _own_record(request)
    registration = get_object_or_404(trainings.registrations_for(candidate), uuid=uuid)
    trainings.cancel_registration(registration=registration)
    messages.success(request, _("Your place is cancelled."))
    return redirect("portal:home")


@require_POST
@candidate_required
def referral_answer(request: HttpRequest, uuid) -> HttpResponse:
    """The candidate agrees to a proposed introduction to a partner, or says no thanks."""
    candidate = _own_record(request)
    referral = get_object_or_404(
        Referral.objects.visible_to(request.user)
        .filter(candidate=candidate)
        .select_related("partner"),
        uuid=uuid,
    )
    agree = request.POST.get("answer") == "yes"
    fields = request.POST.getlist("consent_fields")
    try:
        partner_referrals.answer_in_portal(
            referral=referral, agree=agree, fields=fields, by=request.user
        )
    except partner_referrals.ReferralRefused as exc:
        messages.info(request, str(exc))
    else:
        messages.success(
            request,
            _("Thank you: we have introduced you to %(partner)s.")
            % {"partner": referral.partner.name}
            if agree
            else _("Understood: we share nothing with them."),
        )
    return redirect("portal:home")


@require_POST
@candidate_required
def language(request: HttpRequest) -> HttpResponse:
    """The candidate chooses the language of the site and of their emails (the link in every
    page's menu), then sees the page they were on in that language."""
    candidate = _own_record(request)
    code = request.POST.get("language", "")
    if code not in locale.CODES:
        messages.error(request, _("Choose one of the languages in the menu."))
        return redirect("portal:home")
    choose_language(candidate=candidate, language=code)
    # The form names the page in the chosen language already.
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        with translation.override(code):
            next_url = reverse("portal:home")
    return locale.remember_choice(redirect(next_url), code)


@candidate_required
def details(request: HttpRequest) -> HttpResponse:
    candidate = _own_record(request)
    form = PortalDetailsForm(request.POST or None, candidate=candidate)
    # Each save checks a phone number against every record: a few an hour, so the form is
    # no way to find out who is on file.
    if request.method == "POST" and not within_limit(
        f"portal-details:{request.user.pk}", limit=DETAILS_SAVES_PER_HOUR, window_seconds=3600
    ):
        messages.error(request, _("You have changed your details many times this hour. Try later."))
        return render(request, "portal/details.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        changed = update_candidate_details(
            candidate=candidate, data=form.cleaned_data, by=request.user
        )
        messages.success(
            request, _("Thank you, your details are updated.") if changed else _("Nothing changed.")
        )
        return redirect("portal:home")
    return render(request, "portal/details.html", {"form": form})


@candidate_required
def ask(request: HttpRequest) -> HttpResponse:
    candidate = _own_record(request)
    form = AskForm(request.POST or None, initial={"topic": request.GET.get("topic", "")})
    if request.method == "POST" and form.is_valid():
        help_request = ask_question(
            candidate=candidate,
            topic=form.cleaned_data["topic"],
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            by=request.user,
            owner=services.mentor_login(candidate),
        )
        messages.success(request, _("Your question is on its way. We email you when we answer."))
        return redirect(help_request)
    return render(request, "portal/ask.html", {"form": form})


# --- Endorsements ---------------------------------------------------------------------


@candidate_required
def endorsements(request: HttpRequest) -> HttpResponse:
    """The endorsement classes open now in the candidate's state, and their applications."""
    candidate = _own_record(request)
    open_classes = (
        EndorsementClass.objects.filter(
            deadline__gte=timezone.now(), elections__state=candidate.state
        )
        .distinct()
        .order_by("deadline")
    )
    applications = Application.objects.filter(candidacy__candidate=candidate).select_related(
        "endorsement_class", "candidacy__office", "candidacy__election"
    )
    return render(
        request,
        "portal/endorsements.html",
        {"open_classes": open_classes, "applications": applications},
    )


@candidate_required
def endorsement_apply(request: HttpRequest, uuid) -> HttpResponse:
    candidate = _own_record(request)
    klass = get_object_or_404(EndorsementClass, uuid=uuid)
    form = ApplicationForm(request.POST or None, endorsement_class=klass)
    if request.method == "POST" and form.is_valid():
        try:
            apply_for_endorsement(
                endorsement_class=klass,
                candidate=candidate,
                office=form.cleaned_data["office"],
                election=form.cleaned_data["election"],
                race=form.race(),
                application=form.application(),
                answers=form.answers(),
                by=request.user,
            )
        except ApplicationRefused as exc:
            form.add_error(None, exc.reasons)
        else:
            messages.success(
                request, _("Your application is in. You will hear back within 30 days.")
            )
            return redirect("portal:endorsements")
    return render(
        request,
        "endorsements/application_form.html",
        {"form": form, "endorsement_class": klass},
        status=400 if form.errors else 200,
    )
