from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "rfs.portal"
    label = "portal"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from rfs.accounts import places
        from rfs.accounts.models import Role

        places.register(Role.CANDIDATE, _("My page"), "portal:home", order=10, start=True)
        places.register(Role.CANDIDATE, _("Ask for help"), "portal:ask", order=20)
        places.register(Role.CANDIDATE, _("Endorsements"), "portal:endorsements", order=30)
