from django.contrib import admin, messages

from screening.models import (
    Claim,
    ContactAttempt,
    ScheduledCall,
    ScreeningCall,
    ScreeningCallRevision,
)
from screening.services import claims


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["candidate", "screener", "claimed_at", "last_contact_at", "released_at"]
    list_filter = ["release_reason"]
    list_select_related = ["candidate", "screener"]
    search_fields = ["candidate__email", "screener__email"]
    raw_id_fields = ["candidate", "screener"]
    date_hierarchy = "claimed_at"
    actions = ["release"]

    # Claims change through the screening services, which move the stage and tell people.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Release the selected claims back to the queue")
    def release(self, request, queryset) -> None:
        released = sum(
            claims.release_claim(claim=claim, by=request.user) for claim in queryset.open()
        )
        self.message_user(request, f"{released} claim(s) released.", messages.SUCCESS)


@admin.register(ContactAttempt)
class ContactAttemptAdmin(admin.ModelAdmin):
    list_display = ["candidate", "screener", "at", "kind"]
    list_filter = ["kind"]
    list_select_related = ["candidate", "screener"]
    raw_id_fields = ["candidate", "screener", "claim", "call"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ScheduledCall)
class ScheduledCallAdmin(admin.ModelAdmin):
    list_display = ["candidate", "screener", "starts_at", "status", "version"]
    list_filter = ["status"]
    list_select_related = ["candidate", "screener"]
    raw_id_fields = ["candidate", "screener", "claim"]
    date_hierarchy = "starts_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class RevisionInline(admin.TabularInline):
    model = ScreeningCallRevision
    fields = ["at", "by", "previous"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ScreeningCall)
class ScreeningCallAdmin(admin.ModelAdmin):
    list_display = ["candidate", "screener", "happened_at", "duration_minutes", "outcome"]
    list_filter = ["outcome", "next_step"]
    list_select_related = ["candidate", "screener"]
    raw_id_fields = ["candidate", "screener", "claim", "scheduled_call"]
    date_hierarchy = "happened_at"
    inlines = [RevisionInline]

    # Edits go through the call log page, which keeps every previous version.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
