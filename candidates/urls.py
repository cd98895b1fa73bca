from django.urls import path

from candidates.views import data_rights as data_rights_views
from candidates.views import destinations as destination_views
from candidates.views import help_requests as request_views
from candidates.views import imports as import_views
from candidates.views import intake as intake_views
from candidates.views import leads as lead_views
from candidates.views import review as review_views
from candidates.views import staff as staff_views

app_name = "candidates"

# The link a known person follows to confirm a submission's changes (the signup form itself is
# in candidates.public_urls), and the staff merge review of what intake could not resolve.
intake_patterns = [
    path("signup/confirm/<str:token>/", intake_views.confirm_update, name="confirm_update"),
    path("candidates/merge-review/", review_views.merge_review, name="merge_review"),
    path(
        "candidates/merge-review/<uuid:uuid>/merge/", review_views.merge, name="merge_review_merge"
    ),
    path(
        "candidates/merge-review/<uuid:uuid>/split/", review_views.split, name="merge_review_split"
    ),
    path("candidates/unique-people/", review_views.unique_count, name="unique_count"),
]

# Staff candidate pages: /candidates/ ...
staff_patterns = [
    path("candidates/", staff_views.candidate_list, name="list"),
    path("candidates/export.csv", staff_views.export, name="export"),
    path("candidates/import/", import_views.upload, name="import_upload"),
    path("candidates/import/<uuid:uuid>/", import_views.status, name="import"),
    path("candidates/import/<uuid:uuid>/rejected.csv", import_views.report, name="import_report"),
    path("candidates/<uuid:uuid>/", staff_views.detail, name="detail"),
    path("candidates/<uuid:uuid>/notes/", staff_views.add_note, name="add_note"),
    path("candidates/<uuid:uuid>/data/", data_rights_views.export_page, name="data_export"),
    path(
        "candidates/<uuid:uuid>/data.json", data_rights_views.export_json, name="data_export_json"
    ),
    path("candidates/<uuid:uuid>/erase/", data_rights_views.erase, name="erase"),
    path("candidates/<uuid:uuid>/stage/", staff_views.change_stage, name="change_stage"),
    path(
        "candidates/<uuid:uuid>/updates/<uuid:update>/<str:decision>/",
        staff_views.decide_update,
        name="decide_update",
    ),
]

# Help requests: /requests/ ...
request_patterns = [
    path("requests/", request_views.index, name="requests"),
    path("requests/settings/", request_views.response_settings, name="request_settings"),
    path(
        "requests/settings/holidays/<int:pk>/remove/",
        request_views.remove_holiday,
        name="request_remove_holiday",
    ),
    path("requests/<uuid:uuid>/", request_views.detail, name="request"),
    path("requests/<uuid:uuid>/reply/", request_views.reply, name="request_reply"),
    path("requests/<uuid:uuid>/resolve/", request_views.resolve, name="request_resolve"),
    path("requests/<uuid:uuid>/reopen/", request_views.reopen, name="request_reopen"),
    path("requests/<uuid:uuid>/take/", request_views.take, name="request_take"),
]

# Leads from partner forms: the staff pages (/leads/...); the webhook is candidates/api_urls.py.
lead_patterns = [
    path("leads/", lead_views.source_list, name="lead_sources"),
    path("leads/new/", lead_views.source_new, name="lead_source_new"),
    path("candidates/unique-people.csv", lead_views.people_csv, name="unique_count_csv"),
    path("leads/<uuid:uuid>/", lead_views.source_detail, name="lead_source"),
    path("leads/<uuid:uuid>/edit/", lead_views.source_edit, name="lead_source_edit"),
    path("leads/<uuid:uuid>/rotate/", lead_views.rotate, name="lead_source_rotate"),
    path("leads/<uuid:uuid>/map/", lead_views.field_map, name="lead_field_map"),
    path("leads/<uuid:uuid>/replay/", lead_views.replay, name="lead_replay"),
    path("candidates/<uuid:uuid>/invite/", lead_views.invite, name="lead_invite"),
    path("signup/join/<str:token>/", lead_views.join, name="lead_join"),
    path("leads/destinations/", destination_views.index, name="destinations"),
    path("leads/destinations/<uuid:uuid>/", destination_views.detail, name="destination"),
    path(
        "leads/destinations/<uuid:uuid>/retry/",
        destination_views.retry,
        name="destination_retry",
    ),
    path(
        "candidates/<uuid:uuid>/withdraw-consent/",
        destination_views.withdraw_consent,
        name="withdraw_consent",
    ),
]

urlpatterns = intake_patterns + staff_patterns + request_patterns + lead_patterns
