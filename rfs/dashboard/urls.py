from django.urls import path

from rfs.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("list/", views.people, name="list"),
    path("endorsements/", views.endorsements, name="endorsements"),
    path("follow-through/", views.follow_through_list, name="follow_through"),
]
