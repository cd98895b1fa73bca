"""The public front door, in every language the site speaks (rfs/urls.py puts it under the
language prefix): the signup form at /signup/, its thank-you page and the privacy notice."""

from django.urls import path

from candidates.views import intake as intake_views

app_name = "intake"
urlpatterns = [
    path("signup/", intake_views.signup, name="signup"),
    path("signup/thanks/", intake_views.thanks, name="thanks"),
    path("privacy/", intake_views.privacy, name="privacy"),
]
