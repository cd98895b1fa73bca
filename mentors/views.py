from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rfs.accounts.roles import Role, role_required


@role_required(Role.MENTOR, Role.STAFF)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "mentors/home.html")
