from django.urls import path

from partners.views import portal, staff

app_name = "partners"
urlpatterns = [
    # Staff: the directory, a partner's page, referrals, the report.
    path("", staff.partner_list, name="list"),
    path("export/", staff.export, name="export"),
    path("new/", staff.create, name="create"),
    path("report/", staff.report, name="report"),
    path("<uuid:uuid>/", staff.detail, name="detail"),
    path("<uuid:uuid>/edit/", staff.edit, name="edit"),
    path("<uuid:uuid>/active/", staff.set_active, name="set_active"),
    path("<uuid:uuid>/contacts/", staff.contact_add, name="contact_add"),
    path("<uuid:uuid>/contacts/<int:pk>/remove/", staff.contact_remove, name="contact_remove"),
    path("candidate/<uuid:uuid>/", staff.panel, name="panel"),
    path("candidate/<uuid:uuid>/refer/", staff.refer, name="refer"),
    path("referrals/<uuid:uuid>/", staff.referral, name="referral"),
    path("referrals/<uuid:uuid>/consent/", staff.referral_consent, name="referral_consent"),
    path("referrals/<uuid:uuid>/<slug:action>/", staff.referral_close, name="referral_close"),
    # A partner login's own pages.
    path("our/", portal.home, name="portal_home"),
    path("our/referrals/<uuid:uuid>/", portal.referral, name="portal_referral"),
    path("our/referrals/<uuid:uuid>/<slug:action>/", portal.answer, name="portal_answer"),
    path("our/refer/", portal.refer, name="portal_refer"),
    path("our/resources/", portal.resources, name="portal_resources"),
    path("our/resources/<uuid:uuid>/", portal.resource_edit, name="portal_resource_edit"),
    path(
        "our/resources/<uuid:uuid>/remove/", portal.resource_remove, name="portal_resource_remove"
    ),
]
