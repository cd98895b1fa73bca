from django.urls import path

from screening import views

app_name = "screening"
urlpatterns = [path("", views.queue, name="queue")]
