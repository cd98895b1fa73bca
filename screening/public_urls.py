"""The public page where volunteers apply, at /volunteer/."""

from django.urls import path

from screening.views import volunteers

app_name = "volunteer"
urlpatterns = [
    path("", volunteers.apply, name="apply"),
    path("thanks/", volunteers.thanks, name="thanks"),
]
