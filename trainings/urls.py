from django.urls import path

from trainings import views

app_name = "trainings"

urlpatterns = [
    path("", views.training_list, name="list"),
    path("<uuid:uuid>/", views.training_detail, name="detail"),
    path("sessions/<uuid:uuid>/", views.session_detail, name="session"),
    path("registrations/<uuid:uuid>/attendance/", views.mark_attendance, name="attendance"),
    path("join/<str:token>/", views.join, name="join"),
    path("candidates/<uuid:uuid>/panel/", views.panel, name="panel"),
]
