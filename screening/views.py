from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rfs.accounts.roles import Role, role_required


@role_required(Role.SCREENER, Role.STAFF)
def queue(request: HttpRequest) -> HttpResponse:
    return render(request, "screening/queue.html")
