from django.apps import AppConfig

# A candidate's request for money from the organisation.
FUNDING = "funding"


class EndorsementsConfig(AppConfig):
    name = "endorsements"

    def ready(self) -> None:
        from candidates import request_kinds

        request_kinds.register(request_kinds.RequestKind(FUNDING, "Funding request", 120))
