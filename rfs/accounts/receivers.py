"""What allauth, Django and axes tell us about logins, written to the security event log.

Each receiver only records the event; nothing else happens here.
"""

from allauth.mfa import signals as mfa_signals
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from rfs.accounts.events import Kind, record_event
from rfs.accounts.security import login_identifier


@receiver(user_logged_in, dispatch_uid="security-event-login")
def on_login(sender, request, user, **kwargs) -> None:
    record_event(kind=Kind.LOGIN, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="security-event-login-failed")
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    tried = login_identifier(request, credentials) if request is not None else ""
    record_event(kind=Kind.LOGIN_FAILED, actor_label=tried, request=request)


@receiver(user_locked_out, dispatch_uid="security-event-locked-out")
def on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    record_event(kind=Kind.LOCKED_OUT, actor_label=username or "", request=request)


def _second_factor(kind: str):
    def on_change(sender, request, user, authenticator, **kwargs) -> None:
        record_event(
            kind=kind,
            actor=user,
            detail=authenticator.type,
            request=request,
        )

    return on_change


_on_added = _second_factor(Kind.SECOND_FACTOR_ADDED)
_on_removed = _second_factor(Kind.SECOND_FACTOR_REMOVED)
_on_reset = _second_factor(Kind.SECOND_FACTOR_RESET)
mfa_signals.authenticator_added.connect(_on_added, dispatch_uid="security-event-mfa-added")
mfa_signals.authenticator_removed.connect(_on_removed, dispatch_uid="security-event-mfa-removed")
mfa_signals.authenticator_reset.connect(_on_reset, dispatch_uid="security-event-mfa-reset")
