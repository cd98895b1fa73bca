from django.urls import path

from rfs.accounts import views

app_name = "accounts"
urlpatterns = [
    path("events/", views.security_events, name="security_events"),
    path("events.csv", views.security_events_csv, name="security_events_csv"),
]
