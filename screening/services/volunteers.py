"""Volunteers: applying, the staff decision, pausing and deactivating, and the one kind email
to a volunteer who has not been seen for settings.RFS_VOLUNTEER_NUDGE_DAYS."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone

from rfs.accounts import applications
from rfs.accounts.models import Role, User
from rfs.accounts.services import withdraw_role
from rfs.notify import services as outbox
from rfs.notify.models import Notification
from screening.models import Volunteer, VolunteerApplication
from screening.services.claims import release_claims_of

ROLE_LABEL = "volunteer screener"
NUDGE_KEY = "screening:volunteer-nudge:"


def submit_application(*, data: dict) -> VolunteerApplication:
    """Keep an application from the public page for staff to review."""
    return VolunteerApplication.objects.create(**data)


@transaction.atomic
def approve_application(*, application: VolunteerApplication, by: User) -> Volunteer:
    """Approve: the applicant gets a screener login, a volunteer profile and an invitation to
    set their password. ApplicationRefused if it was decided already."""
    user = applications.approve(
        application=application, by=by, role=Role.SCREENER, role_label=ROLE_LABEL
    )
    if not user.time_zone:
        user.time_zone = application.time_zone
        user.save(update_fields=["time_zone"])
    volunteer, _ = Volunteer.objects.update_or_create(
        user=user,
        defaults={
            "application": application,
            "phone": application.phone,
            "state": application.state,
            "time_zone": application.time_zone,
            "hours_per_week": application.hours_per_week,
            "languages": application.languages,
            "paused_at": None,
            "deactivated_at": None,
        },
    )
    return volunteer


def decline_application(*, application: VolunteerApplication, by: User) -> VolunteerApplication:
    """Decline, with a kind email. ApplicationRefused if it was decided already."""
    return applications.decline(application=application, by=by, role_label=ROLE_LABEL)


def ask_applicant(
    *, application: VolunteerApplication, by: User, question: str
) -> VolunteerApplication:
    """Email the applicant a question; they answer by replying."""
    return applications.ask(
        application=application, by=by, question=question, role_label=ROLE_LABEL
    )


# --- The roster ----------------------------------------------------------------------------


def pause_volunteer(*, volunteer: Volunteer, paused: bool) -> Volunteer:
    """Pause (no new claims; what they hold stays theirs) or resume a volunteer."""
    volunteer.paused_at = timezone.now() if paused else None
    volunteer.save(update_fields=["paused_at"])
    return volunteer


@transaction.atomic
def deactivate_volunteer(*, volunteer: Volunteer, by: User) -> int:
    """Deactivate: the login loses the screener role (and stops working unless it holds
    another, as a volunteer who runs for office does), and every candidate the volunteer held
    goes back to the queue at once, without an email (the candidate is none the wiser).
    Returns how many claims were released."""
    now = timezone.now()
    Volunteer.objects.filter(pk=volunteer.pk).update(deactivated_at=now)
    volunteer.deactivated_at = now
    withdraw_role(user=volunteer.user, role=Role.SCREENER, by=by)
    return release_claims_of(screener=volunteer.user, by=by)


def nudge_inactive(*, now: datetime | None = None) -> int:
    """Record one kind email to each active volunteer not seen for
    settings.RFS_VOLUNTEER_NUDGE_DAYS, once ever (its outbox key). Returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.RFS_VOLUNTEER_NUDGE_DAYS)
    nudged = Notification.objects.filter(
        key=Concat(Value(NUDGE_KEY), OuterRef("uuid"), output_field=CharField())
    )
    due = (
        Volunteer.objects.active()
        .filter(user__is_active=True)
        .with_activity()
        .filter(last_active_at__lte=cutoff)
        .exclude(Exists(nudged))
        .select_related("user")[:1000]
    )
    return outbox.record_many(
        [
            {
                "key": f"{NUDGE_KEY}{volunteer.uuid}",
                "to": volunteer.user.email,
                "template": "volunteer_nudge",
                "context": {
                    "name": volunteer.user.get_short_name(),
                    "days": settings.RFS_VOLUNTEER_NUDGE_DAYS,
                    "link": reverse("screening:queue"),
                },
            }
            for volunteer in due
        ]
    )
