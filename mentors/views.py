"""Mentor pages: the mentor's own page and profile; staff's directory, coverage and matching."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from candidates.models import Candidate, HelpRequest
from candidates.services.response_times import owner_response_times
from mentors import services
from mentors.forms import (
    EndMentorshipForm,
    MentorFilterForm,
    MentorProfileForm,
    MentorStaffForm,
    StateLeadForm,
)
from mentors.models import MENTOR_INTRO, Mentor, Mentorship, StateLead
from rfs.accounts.models import User
from rfs.accounts.roles import Role, role_required, staff_required

MENTORS_PER_PAGE = 50


def _own_profile(request: HttpRequest) -> Mentor | None:
    return Mentor.objects.filter(user=request.user).first()


# --- The mentor's own pages -----------------------------------------------------------


@role_required(Role.MENTOR, Role.STAFF)
def home(request: HttpRequest) -> HttpResponse:
    """The mentor's mentees, introductions to confirm, and the questions routed to them."""
    mentor = _own_profile(request)
    if mentor is None:
        return render(request, "mentors/home.html", {"mentor": None})
    mentorships = list(
        Mentorship.objects.active()
        .filter(mentor=mentor)
        .select_related("candidate")
        .order_by("started_at")
    )
    # The open introductions, fetched once for all mentees.
    intros = {
        r.candidate_id: r
        for r in HelpRequest.objects.filter(
            candidate__in=[m.candidate_id for m in mentorships],
            kind=MENTOR_INTRO,
        )
        .exclude(status=HelpRequest.Status.RESOLVED)
        .order_by("opened_at")
    }
    for mentorship in mentorships:
        intro = intros.get(mentorship.candidate_id)
        mentorship.pending_intro = (
            intro if intro and intro.opened_at >= mentorship.started_at else None
        )
    open_requests = (
        HelpRequest.objects.visible_to(request.user)
        .filter(owner=request.user)
        .unresolved()
        .exclude(kind=MENTOR_INTRO)
        .with_overdue(timezone.now())
        .select_related("candidate", "owner")
        .order_by("due_at")
    )
    return render(
        request,
        "mentors/home.html",
        {
            "mentor": mentor,
            "mentorships": mentorships,
            "open_requests": open_requests,
            "past": Mentorship.objects.filter(mentor=mentor, ended_at__isnull=False)
            .select_related("candidate")
            .order_by("-ended_at")[:20],
            "now": timezone.now(),
        },
    )


@role_required(Role.MENTOR)
def profile_edit(request: HttpRequest) -> HttpResponse:
    mentor = _own_profile(request)
    if mentor is None:
        messages.info(request, "Your mentor profile is not set up yet; staff will add it.")
        return redirect("mentors:home")
    form = MentorProfileForm(request.POST or None, instance=Mentor.objects.get(pk=mentor.pk))
    if request.method == "POST" and form.is_valid():
        services.update_mentor(mentor=mentor, changes=form.cleaned_data)
        messages.success(request, "Your profile is saved.")
        return redirect("mentors:home")
    return render(request, "mentors/mentor_form.html", {"form": form, "mentor": mentor})


@require_POST
@role_required(Role.MENTOR)
def availability(request: HttpRequest) -> HttpResponse:
    mentor = get_object_or_404(Mentor, user=request.user)
    available = request.POST.get("available") == "1"
    services.set_availability(mentor=mentor, available=available)
    messages.success(
        request,
        "You are available for new mentees." if available else "Paused: no new mentees for now.",
    )
    return redirect("mentors:home")


@require_POST
@role_required(Role.MENTOR, Role.STAFF)
def first_contact(request: HttpRequest, uuid) -> HttpResponse:
    """The mentor confirms they reached their new mentee (staff may confirm for them)."""
    mentorships = Mentorship.objects.active().select_related("mentor")
    if not request.user.has_role(Role.STAFF):
        mentorships = mentorships.filter(mentor__user=request.user)
    mentorship = get_object_or_404(mentorships, uuid=uuid)
    services.confirm_first_contact(mentorship=mentorship, by=request.user)
    messages.success(request, "First contact confirmed. Thank you!")
    if mentorship.mentor.user_id != request.user.pk:
        return redirect(mentorship.mentor)
    return redirect("mentors:home")


# --- Staff: the directory ---------------------------------------------------------------


@staff_required
def mentor_list(request: HttpRequest) -> HttpResponse:
    form = MentorFilterForm(request.GET or None)
    mentors = Mentor.objects.with_load().prefetch_related(
        Prefetch("lead_states", StateLead.objects.active(), to_attr="current_leads")
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            mentors = mentors.filter(Q(name__icontains=data["q"]) | Q(email__icontains=data["q"]))
        if data["state"]:
            mentors = mentors.filter(
                Q(states__contains=[data["state"]])
                | Q(lead_states__state=data["state"], lead_states__ended_at__isnull=True)
            ).distinct()
        if data["expertise"]:
            mentors = mentors.filter(expertise__contains=[data["expertise"]])
        if data["availability"] == "open":
            mentors = mentors.filter(is_available=True, load__lt=F("capacity"))
        elif data["availability"] == "full":
            mentors = mentors.filter(load__gte=F("capacity"))
        elif data["availability"] == "paused":
            mentors = mentors.filter(is_available=False)
    page = Paginator(mentors.order_by("name", "pk"), MENTORS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "mentors/mentor_list.html", {"form": form, "page": page})


@staff_required
def detail(request: HttpRequest, uuid) -> HttpResponse:
    mentor = get_object_or_404(Mentor.objects.with_load().select_related("user"), uuid=uuid)
    figures = (
        owner_response_times(owners=User.objects.filter(pk=mentor.user_id))
        if mentor.user_id
        else []
    )
    return render(
        request,
        "mentors/mentor_detail.html",
        {
            "mentor": mentor,
            "leads": mentor.lead_states.order_by("ended_at", "state"),
            "mentorships": mentor.mentorships.select_related("candidate").order_by(
                F("ended_at").desc(nulls_first=True), "-started_at"
            ),
            "lead_form": StateLeadForm(),
            "figures": figures[0] if figures else None,
        },
    )


@staff_required
def create(request: HttpRequest) -> HttpResponse:
    form = MentorStaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mentor = services.create_mentor(data=form.cleaned_data)
        except services.ProfileRefused as refusal:
            form.add_error("email", str(refusal))
        else:
            messages.success(
                request, f"{mentor.name} added. They log in with a code sent by email."
            )
            return redirect(mentor)
    return render(request, "mentors/mentor_form.html", {"form": form, "mentor": None})


@staff_required
def edit(request: HttpRequest, uuid) -> HttpResponse:
    mentor = get_object_or_404(Mentor, uuid=uuid)
    form = MentorStaffForm(request.POST or None, instance=Mentor.objects.get(pk=mentor.pk))
    if request.method == "POST" and form.is_valid():
        services.update_mentor(mentor=mentor, changes=form.cleaned_data)
        messages.success(request, "Profile saved.")
        return redirect(mentor)
    return render(request, "mentors/mentor_form.html", {"form": form, "mentor": mentor})


@require_POST
@staff_required
def lead_add(request: HttpRequest, uuid) -> HttpResponse:
    mentor = get_object_or_404(Mentor, uuid=uuid)
    form = StateLeadForm(request.POST)
    if form.is_valid():
        try:
            lead = services.make_state_lead(mentor=mentor, state=form.cleaned_data["state"])
        except services.LeadRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{mentor.name} now leads {lead.get_state_display()}.")
    else:
        messages.error(request, "Choose a state.")
    return redirect(mentor)


@require_POST
@staff_required
def lead_end(request: HttpRequest, uuid, state: str) -> HttpResponse:
    lead = get_object_or_404(
        StateLead.objects.active().select_related("mentor"), mentor__uuid=uuid, state=state
    )
    services.end_state_lead(lead=lead)
    messages.success(request, f"{lead.mentor.name} no longer leads {lead.get_state_display()}.")
    return redirect(lead.mentor)


@staff_required
def coverage(request: HttpRequest) -> HttpResponse:
    return render(request, "mentors/coverage.html", services.coverage())


# --- Staff: matching, an htmx panel on the candidate's page ------------------------------


def _panel(request: HttpRequest, candidate: Candidate, **extra) -> HttpResponse:
    return render(
        request,
        "mentors/_match_panel.html",
        {
            "candidate": candidate,
            "current": services.current_mentorship(candidate),
            "matches": services.rank_mentors(candidate=candidate),
            "history": Mentorship.objects.filter(candidate=candidate, ended_at__isnull=False)
            .select_related("mentor")
            .order_by("-ended_at"),
            "end_form": EndMentorshipForm(),
            **extra,
        },
    )


def _after_action(request: HttpRequest, candidate: Candidate, **extra) -> HttpResponse:
    # From the htmx panel, answer with the panel; from a plain form, go back to the page.
    if request.headers.get("HX-Request"):
        return _panel(request, candidate, **extra)
    return redirect(candidate)


@staff_required
def match_panel(request: HttpRequest, uuid) -> HttpResponse:
    candidate = get_object_or_404(Candidate.objects.visible_to(request.user), uuid=uuid)
    return _panel(request, candidate)


@require_POST
@staff_required
def match_confirm(request: HttpRequest, uuid, mentor_uuid) -> HttpResponse:
    candidate = get_object_or_404(Candidate.objects.visible_to(request.user), uuid=uuid)
    mentor = get_object_or_404(Mentor, uuid=mentor_uuid)
    try:
        services.confirm_match(candidate=candidate, mentor=mentor, by=request.user)
    except services.MatchRefused as exc:
        messages.error(request, str(exc))
        return _after_action(request, candidate, error=str(exc))
    notice = f"{mentor.name} is now mentoring {candidate.display_name}; both got an introduction."
    messages.success(request, notice)
    return _after_action(request, candidate, notice=notice)


@require_POST
@staff_required
def mentorship_end(request: HttpRequest, uuid) -> HttpResponse:
    mentorship = get_object_or_404(
        Mentorship.objects.select_related("candidate", "mentor"), uuid=uuid
    )
    form = EndMentorshipForm(request.POST)
    if not form.is_valid():
        return _after_action(
            request, mentorship.candidate, error="Say why the mentorship ends.", end_form=form
        )
    services.end_mentorship(
        mentorship=mentorship, by=request.user, reason=form.cleaned_data["reason"]
    )
    notice = f"The mentorship with {mentorship.mentor.name} has ended."
    messages.success(request, notice)
    return _after_action(request, mentorship.candidate, notice=notice)
