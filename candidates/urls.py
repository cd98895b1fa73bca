from django.urls import path

from candidates.views import portal

app_name = "candidates"

# Public signup: /signup/ ...
intake_patterns: list = []

# Staff candidate pages: /candidates/ ...
staff_patterns: list = []

# The candidate's portal: /portal/ ...
portal_patterns = [
    path("portal/", portal.home, name="portal"),
]

# Help requests: /requests/ ...
request_patterns: list = []

urlpatterns = intake_patterns + staff_patterns + portal_patterns + request_patterns
