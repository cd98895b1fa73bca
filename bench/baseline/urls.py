from django.urls import path

from bench.baseline import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/thanks/", views.thanks, name="thanks"),
]
