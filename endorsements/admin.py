"""Staff set up endorsements in the admin: elections, offices, classes with their rules,
questions and rubric, and contribution limits. Applications, votes and contributions
change only through the endorsement pages (the services), so they are read-only here."""

from django.contrib import admin

from endorsements.models import (
    Application,
    Candidacy,
    Contribution,
    ContributionLimit,
    Election,
    EndorsementClass,
    Office,
    Question,
    RubricCriterion,
)


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "state", "kind", "date", "cycle")
    list_filter = ("cycle", "kind", "state")


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ("name", "district", "level", "division_id")
    list_filter = ("level",)
    search_fields = ("name", "division_id")


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 1


class RubricCriterionInline(admin.TabularInline):
    model = RubricCriterion
    extra = 1


@admin.register(EndorsementClass)
class EndorsementClassAdmin(admin.ModelAdmin):
    list_display = ("name", "cycle", "deadline", "ballot_rule")
    list_filter = ("cycle",)
    filter_horizontal = ("elections",)
    inlines = [QuestionInline, RubricCriterionInline]


@admin.register(Candidacy)
class CandidacyAdmin(admin.ModelAdmin):
    list_display = ("candidate", "office", "election", "status", "result")
    list_filter = ("status", "result", "election__cycle")
    raw_id_fields = ("candidate",)
    # Status and result move the candidate's stage: they change on the candidacy page.
    readonly_fields = ("uuid", "status", "result", "vote_share", "created_at", "updated_at")


@admin.register(ContributionLimit)
class ContributionLimitAdmin(admin.ModelAdmin):
    list_display = ("state", "office_level", "election_kind", "amount", "source")
    list_filter = ("state", "election_kind")

    def save_model(self, request, obj, form, change) -> None:
        obj.set_by = request.user
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("candidacy", "endorsement_class", "status", "submitted_at")
    list_filter = ("status", "endorsement_class")


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = ("candidacy", "amount", "date", "method", "committee_id")
