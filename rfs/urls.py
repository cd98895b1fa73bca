from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from rfs import views
from rfs.accounts import views as account_views
from screening.views import stalls as stalled_views

# The admin logs in through the same allauth login as everyone else, so staff
# meet the same rate limits, lockouts and second factor there.
admin.site.login = account_views.admin_login
admin.site.site_header = "Run for Something administration"

handler500 = "rfs.views.server_error"

# The pages a candidate or a would-be helper sees, in every language of settings.LANGUAGES:
# English at /signup/, Spanish at /es/signup/ (rfs.locale sends a first visit to the right
# one). Staff and helpers' own pages stay below, in the organisation's language only.
# The webhook partner forms post to, first: it takes more requests than every page together.
urlpatterns = [path("api/leads/", include("candidates.api_urls"))]

urlpatterns += i18n_patterns(
    path("", account_views.home, name="home"),
    path("", include("candidates.public_urls")),
    path("portal/", include("rfs.portal.urls")),
    path("volunteer/", include("screening.public_urls")),
    path("mentors/apply/", include("mentors.public_urls")),
    prefix_default_language=False,
)

urlpatterns += [
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("", include("rfs.accounts.urls")),
    path("admin/", admin.site.urls),
    path("outbox/", include("rfs.notify.urls")),
    path("dashboard/", include("rfs.dashboard.urls")),
    path("screening/", include("screening.urls")),
    path("mentors/", include("mentors.urls")),
    path("partners/", include("partners.urls")),
    path("endorsements/", include("endorsements.urls")),
    path("trainings/", include("trainings.urls")),
    # Staff's list of stalled candidates, beside the candidate pages (screening keeps the rule).
    path("candidates/stalled/", stalled_views.stalled, name="stalled_candidates"),
    path("", include("candidates.urls")),
]
