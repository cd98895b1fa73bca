from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from bench.baseline.models import Signup


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """GET: a form with the CSRF token, as /signup/ gives one. POST: one INSERT, then 302."""
    if request.method == "GET":
        return render(request, "baseline/signup.html")
    Signup.objects.create(email=request.POST["email"])
    return redirect("thanks")


def thanks(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Thank you.")
