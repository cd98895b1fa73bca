from django.apps import AppConfig

# A candidate's request for money from the organisation: their endorsement application,
# which the organisation promises to answer within 30 calendar days.
FUNDING = "funding"


class EndorsementsConfig(AppConfig):
    name = "endorsements"

    def ready(self) -> None:
        from candidates import request_kinds

        request_kinds.register(
            request_kinds.RequestKind(
                FUNDING, "Endorsement and funding", 30, request_kinds.Clock.CALENDAR_DAYS
            )
        )
