from django.contrib import admin

from mentors.models import Mentor, Mentorship, StateLead


class StateLeadInline(admin.TabularInline):
    model = StateLead
    extra = 0
    readonly_fields = ("state", "started_at", "ended_at")

    def has_add_permission(self, request, obj=None) -> bool:
        # Leads change through the mentor page, which ends the previous lead's term.
        return False


@admin.register(Mentor)
class MentorAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "experience_level", "capacity", "is_available")
    list_filter = ("is_available", "experience_level")
    search_fields = ("name", "email")
    raw_id_fields = ("user",)
    readonly_fields = ("uuid", "created_at", "updated_at")
    inlines = [StateLeadInline]


@admin.register(Mentorship)
class MentorshipAdmin(admin.ModelAdmin):
    list_display = ("mentor", "candidate", "started_at", "ended_at")
    list_filter = ("ended_at",)
    raw_id_fields = ("candidate", "mentor", "created_by")
    # History: mentorships end through the candidate page, which keeps the row.
    readonly_fields = [f.name for f in Mentorship._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(StateLead)
class StateLeadAdmin(admin.ModelAdmin):
    list_display = ("state", "mentor", "started_at", "ended_at")
    list_filter = ("state",)
    readonly_fields = ("state", "mentor", "started_at", "ended_at")

    def has_add_permission(self, request) -> bool:
        return False
