from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse


def home(request: HttpRequest) -> HttpResponse:
    """Visitors see what the organisation offers; people who log in go where they work."""
    if request.user.is_authenticated:
        return redirect(request.user.start_url)
    return render(request, "home.html")


def admin_login(request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
    """The admin has no login form of its own: everyone logs in through allauth, with its
    rate limits, lockouts and second factor. Its form would log a staff member in with a
    password alone, even over a session someone else already had."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("admin:index"))
    if admin.site.has_permission(request):
        return redirect("admin:index")
    raise PermissionDenied
