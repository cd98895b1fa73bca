from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from rfs.notify.models import Notification
from rfs.notify.tasks import deliver_due


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "to_email",
        "subject",
        "template",
        "language",
        "status",
        "attempts",
        "sent_at",
    )
    list_filter = ("status", "template", "language")
    search_fields = ("to_email", "subject", "key", "ref")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["retry_now"]
    # Never shown for account emails: their bodies carry login codes and reset links.
    secret_fields = ("body_text", "body_html", "context")

    def get_fields(self, request: HttpRequest, obj: Notification | None = None) -> list[str]:
        fields = super().get_fields(request, obj)
        if obj is not None and obj.secret:
            return [name for name in fields if name not in self.secret_fields]
        return fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        # The outbox is the record of what was sent; nobody edits history.
        return False

    @admin.action(description="Retry delivery now")
    def retry_now(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        retried = queryset.filter(status__in=["pending", "failed", "suppressed"])
        count = retried.update(status="pending", next_attempt_at=timezone.now())
        deliver_due.delay_on_commit()
        self.message_user(request, f"{count} email(s) queued again.", messages.SUCCESS)
