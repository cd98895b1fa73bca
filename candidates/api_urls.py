"""The webhook partner forms post their leads to (/api/leads/...). rfs/urls.py lists it first:
it takes more requests than every page together, and each pattern before it costs each of
them a look."""

from django.urls import path

from candidates.views import leads as lead_views

app_name = "leads_api"
urlpatterns = [
    path("<uuid:uuid>/", lead_views.receive, name="receive"),
    path("<uuid:uuid>/<str:token>/", lead_views.receive, name="receive_token"),
]
