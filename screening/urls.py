from django.urls import path

from screening import views

app_name = "screening"
urlpatterns = [
    # Screeners (and staff): the queue, a claimed candidate, call logs, their own page.
    path("", views.queue, name="queue"),
    path("claim-next/", views.claim_next, name="claim_next"),
    path("me/", views.mine, name="mine"),
    path("candidates/<uuid:uuid>/", views.candidate, name="candidate"),
    path("candidates/<uuid:uuid>/claim/", views.claim, name="claim"),
    path("candidates/<uuid:uuid>/attempts/", views.log_attempt, name="attempt"),
    path("candidates/<uuid:uuid>/schedule/", views.schedule, name="schedule"),
    path("candidates/<uuid:uuid>/unresponsive/", views.unresponsive, name="unresponsive"),
    path("candidates/<uuid:uuid>/call/", views.log_call, name="log_call"),
    path("claims/<uuid:uuid>/release/", views.release, name="release"),
    path("booked/<uuid:uuid>/cancel/", views.cancel_scheduled, name="cancel_scheduled"),
    path("calls/<uuid:uuid>/", views.call_detail, name="call"),
    path("calls/<uuid:uuid>/edit/", views.call_edit, name="call_edit"),
    # Staff oversight.
    path("calls/", views.calls, name="calls"),
    path("calls/export.csv", views.calls_export, name="calls_export"),
    path("hours/", views.hours, name="hours"),
    path("candidates/<uuid:uuid>/panel/", views.panel, name="panel"),
]
