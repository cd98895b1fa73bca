from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rfs.accounts.roles import staff_required
from rfs.notify.models import Notification


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    outbox = dict(Notification.objects.values_list("status").annotate(n=Count("id")).order_by())
    return render(
        request, "dashboard/index.html", {"outbox": outbox, "statuses": Notification.Status}
    )
