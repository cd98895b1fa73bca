from django.urls import path

from screening.views import (
    call_logs,
    check_backs,
    oversight,
    queue,
    referrals,
    stalls,
    volunteers,
    work,
)

app_name = "screening"
urlpatterns = [
    # Screeners (and staff): the queue, a claimed candidate, call logs, their own page.
    path("", queue.queue, name="queue"),
    path("claim-next/", queue.claim_next, name="claim_next"),
    path("me/", queue.mine, name="mine"),
    path("candidates/<uuid:uuid>/", work.candidate, name="candidate"),
    path("candidates/<uuid:uuid>/claim/", queue.claim, name="claim"),
    path("candidates/<uuid:uuid>/attempts/", work.log_attempt, name="attempt"),
    path("candidates/<uuid:uuid>/schedule/", work.schedule, name="schedule"),
    path("candidates/<uuid:uuid>/unresponsive/", work.unresponsive, name="unresponsive"),
    path("candidates/<uuid:uuid>/call/", call_logs.log_call, name="log_call"),
    path("claims/<uuid:uuid>/release/", queue.release, name="release"),
    path("booked/<uuid:uuid>/cancel/", work.cancel_scheduled, name="cancel_scheduled"),
    path("calls/<uuid:uuid>/", call_logs.call_detail, name="call"),
    path("calls/<uuid:uuid>/edit/", call_logs.call_edit, name="call_edit"),
    path("calls/<uuid:uuid>/refer/", referrals.refer_partner, name="refer_partner"),
    # A candidate's answer to a check-back email.
    path("talk-again/<str:token>/", check_backs.talk_again, name="talk_again"),
    path("check-in/<str:token>/", stalls.check_in_answer, name="check_in_answer"),
    # Staff oversight.
    path("calls/", oversight.calls, name="calls"),
    path("calls/export.csv", oversight.calls_export, name="calls_export"),
    path("hours/", oversight.hours, name="hours"),
    path("candidates/<uuid:uuid>/panel/", work.panel, name="panel"),
    # Staff: volunteers' applications and the roster.
    path("volunteers/applications/", volunteers.applications, name="applications"),
    path("volunteers/applications/<uuid:uuid>/", volunteers.application, name="application"),
    *[
        path(
            f"volunteers/applications/<uuid:uuid>/{decision}/",
            volunteers.application_decide,
            {"decision": decision},
            name=f"application_{decision}",
        )
        for decision in ("approve", "decline", "ask")
    ],
    path("volunteers/", volunteers.roster, name="roster"),
    *[
        path(
            f"volunteers/<uuid:uuid>/{change}/",
            volunteers.volunteer_status,
            {"change": change},
            name=f"volunteer_{change}",
        )
        for change in ("pause", "resume", "deactivate")
    ],
]
