import time
import zoneinfo
from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from rfs.accounts import roles, second_factor

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


class SessionRolesMiddleware:
    """Limits a session to the roles its way of logging in allows (roles.limit_session_roles:
    a login by emailed code acts as candidate only). Such a session of someone who holds
    more roles also stays out of the admin and of the pages that change how they log in
    (second factor, addresses, password): it logs in with the password for those."""

    closed_prefixes = (
        "/accounts/2fa/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/password/set/",
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        roles.limit_session_roles(request)
        user = request.user
        if user.is_authenticated and user.is_limited and self._closed(request.path):
            messages.info(request, "Please confirm your password to open this page.")
            return redirect_to_login(
                request.get_full_path(), login_url=reverse("account_reauthenticate")
            )
        return self.get_response(request)

    def _closed(self, path: str) -> bool:
        return path.startswith(self.closed_prefixes) or path.startswith(reverse("admin:index"))


class SecondFactorMiddleware:
    """Holds everyone who must use a second factor (second_factor.required_for) at the door:
    to enrol one if they have none, else to give a code, then sends them back.

    A session that passed only the password (the user enrolled later, or logged in some
    other way) reaches nothing but the code page and logout: not even the pages that
    change the second factor, which an attacker with the password would use first."""

    enrolment_prefixes = ("/accounts/", "/static/", "/healthz")
    code_prefixes = ("/static/", "/healthz")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not second_factor.required_for(user) or second_factor.passed(request):
            return self.get_response(request)
        if not is_mfa_enabled(user):
            if request.path.startswith(self.enrolment_prefixes):
                return self.get_response(request)
            messages.warning(
                request, "Your account needs a second factor. Set up an authenticator app."
            )
            return redirect("mfa_activate_totp")
        ask = reverse("mfa_reauthenticate")
        if request.path in (ask, reverse("account_logout")) or request.path.startswith(
            self.code_prefixes
        ):
            return self.get_response(request)
        return redirect_to_login(request.get_full_path(), login_url=ask)


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
