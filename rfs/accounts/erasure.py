"""A person's erasure, as far as their login goes: it stops working and forgets them."""

from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction

from rfs.accounts.events import forget_subject
from rfs.accounts.models import User


@transaction.atomic
def erase_login(*, user: User, placeholder_email: str) -> None:
    """Deactivate `user` and remove what identified them: address, name, password, and the
    login records kept under their address (the event log is forget_subject's)."""
    old_email = user.email
    forget_subject(subject_id=None, label="Erased person", email=old_email)
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=old_email).delete()
    EmailAddress.objects.filter(user=user).delete()
    user.email = placeholder_email
    user.name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["email", "name", "is_active", "password"])
