from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "screening"

    def ready(self) -> None:
        from candidates import data_rights, panels, request_kinds
        from rfs.accounts import places
        from rfs.accounts.models import Role
        from rfs.notify import kinds
        from screening import personal_data
        from screening.models import CHECK_IN_HELP, STAFF_FOLLOW_UP, TALK_AGAIN

        # A screener's next step for staff, and a candidate who asked to talk again.
        request_kinds.register(
            request_kinds.RequestKind(
                STAFF_FOLLOW_UP, _("Staff follow-up"), 2, clock=request_kinds.Clock.BUSINESS_DAYS
            )
        )
        request_kinds.register(
            request_kinds.RequestKind(
                TALK_AGAIN,
                _("Talk again"),
                2,
                clock=request_kinds.Clock.BUSINESS_DAYS,
                answered_by_first_response=True,
            )
        )
        request_kinds.register(
            request_kinds.RequestKind(
                CHECK_IN_HELP,
                _("Check-in: asked for help"),
                1,
                clock=request_kinds.Clock.BUSINESS_DAYS,
            )
        )
        places.register(Role.STAFF, "Screening", "screening:calls", order=40)
        places.register(Role.STAFF, "Stalled", "stalled_candidates", order=42)
        places.register(Role.STAFF, "Volunteers", "screening:applications", order=45)
        places.register(Role.SCREENER, "Screening queue", "screening:queue", order=10, start=True)
        places.register(Role.SCREENER, "My screening", "screening:mine", order=20)
        panels.register("screening:panel", order=10)
        # The person's own call and its outcome answer them; a reminder, a nudge to someone who
        # went quiet and the screeners' and staff's notices do not.
        for outcome in (
            "call_confirmed",
            "call_updated",
            "call_cancelled",
            "advance",
            "not_a_fit",
            "not_yet",
        ):
            kinds.register(f"screening_{outcome}", direct=True)
        kinds.register("volunteer_nudge", direct=False)
        # A check-back or a check-in is asked of the person, not an answer; "talk again" is
        # work for their screener.
        for template in ("screening_check_back", "screening_check_in", "screening_talk_again"):
            kinds.register(template, direct=False)
        for notice in ("call_reminder", "unresponsive", "claim_expired", "claim_expired_staff"):
            kinds.register(f"screening_{notice}", direct=False)
        data_rights.register(
            "screening", label="Screening", export=personal_data.export, erase=personal_data.erase
        )
