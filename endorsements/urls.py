from django.urls import path

from endorsements import views

app_name = "endorsements"
urlpatterns = [
    # The public page.
    path("", views.public_list, name="public"),
    # Applications and their review: staff, and outside reviewers for their own.
    path("applications/", views.application_list, name="applications"),
    path("applications/<uuid:uuid>/", views.application_detail, name="application"),
    path("applications/<uuid:uuid>/vote/", views.vote, name="vote"),
    path("applications/<uuid:uuid>/reviewers/", views.assign, name="assign"),
    path("applications/<uuid:uuid>/checks/<str:kind>/", views.check, name="check"),
    path("applications/<uuid:uuid>/rubric/", views.rubric, name="rubric"),
    path("applications/<uuid:uuid>/decide/", views.decide, name="decide"),
    path("apply/<uuid:class_uuid>/<uuid:candidate_uuid>/", views.apply_for, name="apply_for"),
    # Staff: races, results and money.
    path("candidacies/<uuid:uuid>/", views.candidacy_detail, name="candidacy"),
    path("candidacies/<uuid:uuid>/edit/", views.candidacy_update, name="candidacy_update"),
    path("candidacies/<uuid:uuid>/result/", views.candidacy_result, name="candidacy_result"),
    path("candidacies/<uuid:uuid>/contributions/", views.contribute, name="contribute"),
    path("contributions.csv", views.contributions_csv, name="contributions_csv"),
    path("panel/<uuid:uuid>/", views.panel, name="panel"),
]
