"""What every application to help shares: declining it kindly, asking the applicant a
question, and approving it into a login with an invitation. The apps that own volunteers and
mentors call these from their own services, with the row of their own application model."""

from django.db import transaction
from django.utils import timezone

from rfs.accounts import invitations
from rfs.accounts.models import Application, User
from rfs.notify import services as outbox


class ApplicationRefused(Exception):
    """The application was decided already; the message says so."""


def _locked_open(application: Application) -> Application:
    locked = type(application).objects.select_for_update().get(pk=application.pk)
    if not locked.is_open:
        raise ApplicationRefused("This application has already been decided.")
    return locked


def _copy(locked: Application, application: Application) -> None:
    for field in ("status", "question", "asked_at", "decided_at", "decided_by", "user"):
        setattr(application, field, getattr(locked, field))


@transaction.atomic
def decline(*, application: Application, by: User, role_label: str) -> Application:
    """Decline an open application and thank the applicant in a kind email."""
    locked = _locked_open(application)
    locked.status = Application.Status.DECLINED
    locked.decided_at, locked.decided_by = timezone.now(), by
    locked.save(update_fields=["status", "decided_at", "decided_by"])
    outbox.record(
        key=f"application:declined:{locked.uuid}",
        to=locked.email,
        template="application_declined",
        context={"name": locked.name, "role": role_label},
    )
    _copy(locked, application)
    return application


@transaction.atomic
def ask(*, application: Application, by: User, question: str, role_label: str) -> Application:
    """Email the applicant a question; the application waits for their answer by email."""
    locked = _locked_open(application)
    now = timezone.now()
    locked.status, locked.question, locked.asked_at = Application.Status.ASKED, question, now
    locked.save(update_fields=["status", "question", "asked_at"])
    outbox.record(
        key=f"application:question:{locked.uuid}:{now.timestamp()}",
        to=locked.email,
        template="application_question",
        context={"name": locked.name, "role": role_label, "question": question},
    )
    _copy(locked, application)
    return application


def approve(*, application: Application, by: User, role: str, role_label: str) -> User:
    """Approve an open application (in the caller's transaction): the applicant gets a login
    of `role` and an invitation to set its password. Returns the login."""
    locked = _locked_open(application)
    user = invitations.login_for(email=locked.email, name=locked.name, role=role, by=by)
    locked.status, locked.user = Application.Status.APPROVED, user
    locked.decided_at, locked.decided_by = timezone.now(), by
    locked.save(update_fields=["status", "user", "decided_at", "decided_by"])
    invitations.invite(
        user=user, by=by, role_label=role_label, key=f"application:approved:{locked.uuid}"
    )
    _copy(locked, application)
    return user
