from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from rfs.accounts.roles import staff_required
from rfs.notify.models import Notification
from rfs.notify.rendering import bodies


@staff_required
def notification_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    rows = Notification.objects.defer("body_text", "body_html", "context")
    if status in Notification.Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notify/notification_list.html",
        {"page": page, "status": status, "statuses": Notification.Status.choices},
    )


@staff_required
def notification_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    notification = get_object_or_404(Notification, uuid=uuid)
    text, _ = ("", "") if notification.secret else bodies(notification)
    return render(
        request, "notify/notification_detail.html", {"notification": notification, "text": text}
    )
