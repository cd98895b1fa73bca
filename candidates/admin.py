from django import forms
from django.contrib import admin

from candidates.forms.intake import SignupForm
from candidates.models import (
    Candidate,
    CandidateExport,
    CandidateImport,
    HelpRequest,
    Holiday,
    ResponseTarget,
    StageChange,
    Submission,
    WaitingSignup,
    WorkingHours,
)
from candidates.services import intake


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    can_delete = False
    readonly_fields = ("from_stage", "to_stage", "by", "at", "reason")

    def has_add_permission(self, request, obj=None) -> bool:
        # Stage moves go through the pipeline's domain function, never the admin.
        return False


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ("display_name", "email", "state", "office_level", "stage", "created_at")
    list_filter = ("stage", "office_level", "source")
    search_fields = ("email", "first_name", "last_name", "city")
    readonly_fields = ("uuid", "stage", "stage_changed_at", "created_at", "updated_at")
    raw_id_fields = ("user", "owner")
    inlines = [StageChangeInline]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("received_at", "channel", "outcome", "candidate")
    list_filter = ("channel", "outcome")
    readonly_fields = [f.name for f in Submission._meta.fields]


class WaitingSignupForm(forms.ModelForm):
    """The answers of a refused signup, corrected by staff, checked by the signup form
    again: a worker is never handed answers the form would not have let through."""

    class Meta:
        model = WaitingSignup
        fields = ["data", "reason"]

    def clean_data(self) -> dict:
        answers = self.cleaned_data["data"]
        checked = SignupForm(answers if isinstance(answers, dict) else {})
        if not checked.is_valid():
            raise forms.ValidationError(
                [f"{name}: {' '.join(errors)}" for name, errors in checked.errors.items()]
            )
        return intake.signup_answers(checked.cleaned_data)


@admin.register(WaitingSignup)
class WaitingSignupAdmin(admin.ModelAdmin):
    """Signups a worker has not resolved yet: none for long, unless one could not be saved.
    Its reason says why: correct its answers and clear the reason, and the next sweep saves
    it."""

    form = WaitingSignupForm
    list_display = ("received_at", "reason")
    readonly_fields = ["received_at", "payload", "ip_hash", "user_agent", "language"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    list_display = (
        "kind",
        "candidate",
        "owner",
        "status",
        "opened_at",
        "due_at",
        "first_response_at",
    )
    list_filter = ("kind", "status")
    raw_id_fields = ("candidate", "owner")


admin.site.register(ResponseTarget)
admin.site.register(WorkingHours)
admin.site.register(Holiday)
admin.site.register(CandidateExport)
admin.site.register(CandidateImport)
