import time
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from rfs.accounts.models import Role

_STARTED = "rfs_session_started"
_SEEN = "rfs_session_seen"


class SessionLifetimeMiddleware:
    """Ends a session after SESSION_IDLE_SECONDS of inactivity or SESSION_COOKIE_AGE in all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(_STARTED, now)
            seen = request.session.get(_SEEN, now)
            if (
                now - started > settings.SESSION_COOKIE_AGE
                or now - seen > settings.SESSION_IDLE_SECONDS
            ):
                logout(request)
                messages.info(request, "Your session ended. Please log in again.")
                return redirect(settings.LOGIN_URL)
            # Write the session at most once a minute, not on every request.
            if now - seen > 60 or _SEEN not in request.session:
                request.session[_SEEN] = now
        return self.get_response(request)


class StaffSecondFactorMiddleware:
    """Sends staff who have no second factor to enrol one before anything else."""

    allowed_prefixes = ("/accounts/", "/static/", "/healthz")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.RFS_STAFF_MFA_REQUIRED
            and request.user.is_authenticated
            and (request.user.role == Role.STAFF or request.user.is_staff)
            and not request.path.startswith(self.allowed_prefixes)
            and not request.user.authenticator_set.exists()
        ):
            messages.warning(
                request, "Staff accounts need a second factor. Set up an authenticator app."
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class TimeZoneMiddleware:
    """Shows times in the user's zone if they chose one, else in the organisation's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = getattr(request.user, "time_zone", "") or settings.RFS_TIME_ZONE
        try:
            timezone.activate(zoneinfo.ZoneInfo(name))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.activate(zoneinfo.ZoneInfo(settings.RFS_TIME_ZONE))
        return self.get_response(request)
