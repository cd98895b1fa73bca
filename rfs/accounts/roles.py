"""The one way views check who may use them."""

from collections.abc import Callable
from functools import wraps

from allauth.account.authentication import get_authentication_records
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from rfs.accounts import onboarding
from rfs.accounts.models import Role

__all__ = ["Role", "role_required"]

# Candidates log in by a code emailed to them, which proves only that they read that inbox.
# When a candidate holds other roles too (a volunteer running for office), such a session
# acts as candidate alone; their password (and the second factor those roles need) gives
# every role.
CODE_LOGIN_ROLES = frozenset({Role.CANDIDATE})


def logged_in_by_code(request: HttpRequest) -> bool:
    """True when this session's user proved who they are by emailed code, never by their
    password (allauth keeps how each login and reauthentication was made in the session)."""
    methods = {r.get("method") for r in get_authentication_records(request, request.user)}
    return bool(methods) and "password" not in methods


def limit_session_roles(request: HttpRequest) -> None:
    """Let the request's user act only in the roles their way of logging in allows."""
    user = request.user
    if (
        user.is_authenticated
        and not CODE_LOGIN_ROLES.isdisjoint(user.roles)
        and logged_in_by_code(request)
    ):
        user.limit_roles(CODE_LOGIN_ROLES)


def role_required(*roles: str) -> Callable:
    """Anonymous visitors go to the login page; a logged-in user acting in none of `roles`
    gets 403; a volunteer or mentor who has not finished onboarding goes to finish it first."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_role(*roles):
                raise PermissionDenied
            # Before any personal data: the guide, the agreement, the second factor.
            if onboarding.required(request.user) and not onboarding.is_complete(request.user):
                return redirect("accounts:onboarding")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


staff_required = role_required(Role.STAFF)
