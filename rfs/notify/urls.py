from django.urls import path

from rfs.notify import views

app_name = "notify"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<uuid:uuid>/", views.notification_detail, name="detail"),
    path("suppressions/", views.suppression_list, name="suppressions"),
    path("suppressions/<uuid:uuid>/", views.suppression_detail, name="suppression"),
    # Public: the unsubscribe link of emails, and the mail provider's signed events.
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("events/", views.provider_events, name="events"),
]
