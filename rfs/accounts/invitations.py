"""Invitations: a single-use link, good for settings.RFS_INVITATION_DAYS, that lets an
approved volunteer or mentor set their password. Only a hash of the token is stored, and the
email carrying it loses its body once sent, so nobody can use a link read from the database."""

import hashlib
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from rfs.accounts.models import Invitation, User
from rfs.accounts.services import grant_role
from rfs.notify import services as outbox


class InvitationRefused(Exception):
    """The link was used, has expired, or was never genuine."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def login_for(*, email: str, name: str, role: str, by: User | None = None) -> User:
    """The login of the person at `email`, holding `role`: theirs if they have one (the role
    is added to those they hold), else a new one with no usable password (the invitation
    sets it). The address is theirs: the approval email goes to it."""
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, name=name, roles=[role])
        user.set_unusable_password()
        user.save()
    else:
        grant_role(user=user, role=role, by=by)
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def invite(*, user: User, by: User | None, role_label: str, key: str) -> Invitation:
    """Record an invitation for `user` and the email that carries its link (once per `key`).
    Earlier unused invitations of the user stop working."""
    now = timezone.now()
    Invitation.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        user=user,
        token_hash=_hash(token),
        created_at=now,
        expires_at=now + timedelta(days=settings.RFS_INVITATION_DAYS),
        created_by=by,
    )
    outbox.record(
        key=key,
        to=user.email,
        template="invitation",
        context={
            "name": user.get_short_name(),
            "role": role_label,
            "link": reverse("accounts:invitation", args=[token]),
            "days": settings.RFS_INVITATION_DAYS,
        },
        # Whoever holds the link can set the password: nobody reads it in the outbox.
        secret=True,
    )
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    """The unused, unexpired invitation a link names, or None."""
    return (
        Invitation.objects.select_related("user")
        .filter(token_hash=_hash(token), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )


@transaction.atomic
def accept_invitation(*, token: str, password: str) -> User:
    """Use the invitation: set the password and spend the link. InvitationRefused if it was
    used (a double click, a second tab), expired or never existed."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("user")
        .filter(token_hash=_hash(token), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if invitation is None:
        raise InvitationRefused("This invitation link has been used or has expired.")
    user = invitation.user
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    return user
