from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rfs.accounts.roles import Role, role_required


@role_required(Role.CANDIDATE)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "candidates/portal.html")
