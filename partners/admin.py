from django.contrib import admin

from partners.models import Contact, Partner, Referral, ReferralMove, Resource


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    inlines = [ContactInline]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "partner", "kind", "is_shared"]
    list_select_related = ["partner"]


class ReferralMoveInline(admin.TabularInline):
    model = ReferralMove
    extra = 0
    can_delete = False
    readonly_fields = ["from_state", "to_state", "by", "at", "note"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    """Read-only: referrals move only through partners.services."""

    list_display = ["candidate", "partner", "state", "sent_at"]
    list_filter = ["state"]
    list_select_related = ["candidate", "partner"]
    inlines = [ReferralMoveInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
