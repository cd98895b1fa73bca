from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "rfs.portal"
    label = "portal"

    def ready(self) -> None:
        from rfs.accounts import places
        from rfs.accounts.models import Role

        places.register(Role.CANDIDATE, "My page", "portal:home", order=10, start=True)
        places.register(Role.CANDIDATE, "Ask for help", "portal:ask", order=20)
        places.register(Role.CANDIDATE, "Endorsements", "portal:endorsements", order=30)
