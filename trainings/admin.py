from django.contrib import admin

from trainings.models import Session, Training


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["topic", "created_at"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["training", "starts_at", "capacity", "facilitator"]
    list_select_related = ["training"]
