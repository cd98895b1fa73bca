from django.urls import path

from rfs.notify import views

app_name = "notify"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<uuid:uuid>/", views.notification_detail, name="detail"),
]
