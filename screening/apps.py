from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "screening"

    def ready(self) -> None:
        from candidates import panels, request_kinds
        from rfs.accounts import places
        from rfs.accounts.models import Role
        from screening.models import CHECK_IN_HELP, STAFF_FOLLOW_UP, TALK_AGAIN

        # A screener's next step for staff, and a candidate who asked to talk again.
        request_kinds.register(
            request_kinds.RequestKind(
                STAFF_FOLLOW_UP, "Staff follow-up", 2, clock=request_kinds.Clock.BUSINESS_DAYS
            )
        )
        request_kinds.register(
            request_kinds.RequestKind(
                TALK_AGAIN,
                "Talk again",
                2,
                clock=request_kinds.Clock.BUSINESS_DAYS,
                answered_by_first_response=True,
            )
        )
        request_kinds.register(
            request_kinds.RequestKind(
                CHECK_IN_HELP,
                "Check-in: asked for help",
                1,
                clock=request_kinds.Clock.BUSINESS_DAYS,
            )
        )
        places.register(Role.STAFF, "Screening", "screening:calls", order=40)
        places.register(Role.STAFF, "Stalled", "stalled_candidates", order=42)
        places.register(Role.SCREENER, "Screening queue", "screening:queue", order=10, start=True)
        places.register(Role.SCREENER, "My screening", "screening:mine", order=20)
        panels.register("screening:panel", order=10)
