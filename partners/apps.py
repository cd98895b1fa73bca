from django.apps import AppConfig

# A partner organisation's introduction to a candidate we referred to it.
PARTNER_INTRO = "partner_intro"


class PartnersConfig(AppConfig):
    name = "partners"

    def ready(self) -> None:
        from candidates import request_kinds

        request_kinds.register(
            request_kinds.RequestKind(PARTNER_INTRO, "Partner introduction", 120)
        )
