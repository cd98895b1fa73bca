from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "rfs.portal"
    label = "portal"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from candidates import links
        from rfs.accounts import places
        from rfs.accounts.models import Role

        # The page every email of the domain links as the candidate's own.
        links.register_candidate_page("portal:home")
        places.register(Role.CANDIDATE, _("My page"), "portal:home", order=10, start=True)
        places.register(Role.CANDIDATE, _("Ask for help"), "portal:ask", order=20)
        places.register(Role.CANDIDATE, _("Endorsements"), "portal:endorsements", order=30)
