from django.urls import path

from rfs.accounts import views

app_name = "accounts"
urlpatterns = [
    path("places/", views.places_page, name="places"),
    path("security/events/", views.security_events, name="security_events"),
    path("security/events.csv", views.security_events_csv, name="security_events_csv"),
    path("accounts/invitation/<str:token>/", views.invitation, name="invitation"),
    path("accounts/onboarding/", views.onboarding_page, name="onboarding"),
    path("accounts/onboarding/guide/", views.guide, name="guide"),
    path("accounts/onboarding/agreement/", views.agreement, name="agreement"),
    # Staff: the guides and the agreement's versions.
    path("accounts/onboarding/manage/", views.onboarding_admin, name="onboarding_admin"),
    path("accounts/onboarding/manage/guides/<str:role>/", views.guide_edit, name="guide_edit"),
    path(
        "accounts/onboarding/manage/agreement/", views.agreement_publish, name="agreement_publish"
    ),
]
