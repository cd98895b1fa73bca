"""The one way views check who may use them."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from rfs.accounts import onboarding
from rfs.accounts.models import Role

__all__ = ["Role", "role_required"]


def role_required(*roles: str) -> Callable:
    """Anonymous visitors go to the login page; a logged-in user of another role gets 403;
    a volunteer or mentor who has not finished onboarding goes to finish it first."""

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
