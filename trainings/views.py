"""Staff pages of trainings (list, a training and its sessions, a session's attendance) and
the one-click registration link of an invitation email."""

from django.contrib import messages
from django.db.models import Count, Min, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.views.decorators.http import require_POST

from candidates.models import Candidate
from rfs.accounts.models import Role
from rfs.accounts.roles import role_required
from trainings import services
from trainings.forms import SessionForm, TrainingForm
from trainings.models import Invitation, Registration, Session, Training

staff_required = role_required(Role.STAFF)


@staff_required
def training_list(request: HttpRequest) -> HttpResponse:
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        training = services.create_training(**form.cleaned_data)
        messages.success(request, f"Training “{training.topic}” created: add its sessions.")
        return redirect(training)
    now = timezone.now()
    trainings = Training.objects.annotate(
        next_session=Min("sessions__starts_at", filter=Q(sessions__starts_at__gt=now)),
        upcoming=Count(
            "sessions", filter=Q(sessions__starts_at__gt=now, sessions__cancelled_at__isnull=True)
        ),
    )
    return render(
        request,
        "trainings/training_list.html",
        {"trainings": trainings, "form": form},
        status=400 if form.is_bound else 200,
    )


@staff_required
def training_detail(request: HttpRequest, uuid) -> HttpResponse:
    training = get_object_or_404(Training, uuid=uuid)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session = services.add_session(
            training=training,
            starts_at=data["starts_at"],
            time_zone=data["time_zone"],
            capacity=data["capacity"],
            link=data["link"],
            facilitator=data["facilitator"],
            duration_minutes=data["duration_minutes"],
        )
        messages.success(request, "Session added.")
        return redirect(session)
    sessions = Session.objects.filter(training=training).with_counts()
    return render(
        request,
        "trainings/training_detail.html",
        {"training": training, "sessions": sessions, "form": form},
        status=400 if form.is_bound else 200,
    )


@staff_required
def session_detail(request: HttpRequest, uuid) -> HttpResponse:
    session = get_object_or_404(Session.objects.select_related("training"), uuid=uuid)
    registrations = (
        Registration.objects.filter(session=session).active().select_related("candidate")
    )
    return render(
        request,
        "trainings/session_detail.html",
        {"session": session, "registrations": registrations},
    )


@require_POST
@staff_required
def mark_attendance(request: HttpRequest, uuid) -> HttpResponse:
    registration = get_object_or_404(
        Registration.objects.select_related("session", "candidate"), uuid=uuid
    )
    attended = request.POST.get("attended") == "yes"
    services.mark_attendance(registration=registration, attended=attended)
    messages.success(
        request,
        f"{registration.candidate.display_name} marked {'present' if attended else 'absent'}.",
    )
    return redirect(registration.session)


def join(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation email's link: one button registers the invited candidate (a GET only
    shows it, since mail scanners follow links)."""
    invitation = services.invitation_for_token(token)
    if invitation is None or invitation.withdrawn_at or invitation.session is None:
        return render(request, "trainings/join.html", {"invalid": True}, status=404)
    # The page speaks the language of the invitation that links it: the candidate's own.
    with translation.override(invitation.candidate.language):
        return _join(request, invitation)


def _join(request: HttpRequest, invitation) -> HttpResponse:
    registration = None
    if request.method == "POST":
        try:
            registration = services.register(
                session=invitation.session, candidate=invitation.candidate
            )
        except services.RegistrationRefused as exc:
            messages.error(request, str(exc))
    return render(
        request,
        "trainings/join.html",
        {"invitation": invitation, "session": invitation.session, "registration": registration},
    )


@staff_required
def panel(request: HttpRequest, uuid) -> HttpResponse:
    """The trainings panel of a staff candidate page: invitations, registrations, attendance."""
    candidate = get_object_or_404(Candidate, uuid=uuid)
    return render(
        request,
        "trainings/_candidate_panel.html",
        {
            "invitations": Invitation.objects.filter(candidate=candidate).select_related(
                "training", "session"
            ),
            "registrations": Registration.objects.filter(candidate=candidate).select_related(
                "session__training"
            ),
        },
    )
