from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def home(request: HttpRequest) -> HttpResponse:
    """Visitors see what the organisation offers; people who log in go where they work."""
    if request.user.is_authenticated:
        return redirect(request.user.start_url)
    return render(request, "home.html")
