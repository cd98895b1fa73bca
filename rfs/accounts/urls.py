from django.urls import path

from rfs.accounts import views

app_name = "accounts"
urlpatterns = [
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("onboarding/", views.onboarding_page, name="onboarding"),
    path("onboarding/guide/", views.guide, name="guide"),
    path("onboarding/agreement/", views.agreement, name="agreement"),
    # Staff: the guides and the agreement's versions.
    path("onboarding/manage/", views.onboarding_admin, name="onboarding_admin"),
    path("onboarding/manage/guides/<str:role>/", views.guide_edit, name="guide_edit"),
    path("onboarding/manage/agreement/", views.agreement_publish, name="agreement_publish"),
]
