"""The public page where mentors apply, at /mentors/apply/, in every language the site
speaks (rfs/urls.py puts it under the language prefix)."""

from django.urls import path

from mentors import applications

app_name = "mentor_application"
urlpatterns = [
    path("", applications.apply, name="apply"),
    path("thanks/", applications.thanks, name="thanks"),
]
