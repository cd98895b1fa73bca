from allauth.account.views import confirm_login_code
from django.urls import path

from rfs.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login, name="login"),
    # allauth's page to enter the emailed code, at a portal URL so it has the login's language.
    path("login/code/", confirm_login_code, name="login_code"),
    path("details/", views.details, name="details"),
    path("language/", views.language, name="language"),
    path("ask/", views.ask, name="ask"),
    path("data/", views.data_request, name="data_request"),
    path("referrals/<uuid:uuid>/", views.referral_answer, name="referral_answer"),
    path("trainings/<uuid:uuid>/register/", views.training_register, name="training_register"),
    path("trainings/<uuid:uuid>/cancel/", views.training_cancel, name="training_cancel"),
    path("endorsements/", views.endorsements, name="endorsements"),
    path("endorsements/<uuid:uuid>/apply/", views.endorsement_apply, name="endorsement_apply"),
]
