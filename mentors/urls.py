from django.urls import path

from mentors import applications, views

app_name = "mentors"
urlpatterns = [
    # The mentor's own pages.
    path("me/", views.home, name="home"),
    path("me/profile/", views.profile_edit, name="profile_edit"),
    path("me/availability/", views.availability, name="availability"),
    path("mentorships/<uuid:uuid>/first-contact/", views.first_contact, name="first_contact"),
    # Staff's review of applications (the public page to apply is mentors.public_urls).
    path("applications/", applications.application_list, name="applications"),
    path("applications/<uuid:uuid>/", applications.application, name="application"),
    *[
        path(
            f"applications/<uuid:uuid>/{decision}/",
            applications.application_decide,
            {"decision": decision},
            name=f"application_{decision}",
        )
        for decision in ("approve", "decline", "ask")
    ],
    # Staff: the directory, state coverage and matching.
    path("", views.mentor_list, name="list"),
    path("new/", views.create, name="create"),
    path("coverage/", views.coverage, name="coverage"),
    path("<uuid:uuid>/", views.detail, name="detail"),
    path("<uuid:uuid>/edit/", views.edit, name="edit"),
    path("<uuid:uuid>/leads/", views.lead_add, name="lead_add"),
    path("<uuid:uuid>/leads/<str:state>/end/", views.lead_end, name="lead_end"),
    path("match/<uuid:uuid>/", views.match_panel, name="match_panel"),
    path("match/<uuid:uuid>/<uuid:mentor_uuid>/", views.match_confirm, name="match_confirm"),
    path("mentorships/<uuid:uuid>/end/", views.mentorship_end, name="mentorship_end"),
]
