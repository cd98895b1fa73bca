from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# A candidate's request for money from the organisation: their endorsement application,
# which the organisation promises to answer within 30 calendar days.
FUNDING = "funding"


class EndorsementsConfig(AppConfig):
    name = "endorsements"

    def ready(self) -> None:
        from candidates import data_rights, panels, request_kinds
        from endorsements import personal_data
        from rfs.accounts import places
        from rfs.accounts.models import Role
        from rfs.notify import kinds

        request_kinds.register(
            request_kinds.RequestKind(
                FUNDING, _("Endorsement and funding"), 30, request_kinds.Clock.CALENDAR_DAYS
            )
        )
        places.register(Role.STAFF, "Endorsements", "endorsements:applications", order=80)
        places.register(
            Role.REVIEWER, "My reviews", "endorsements:applications", order=10, start=True
        )
        panels.register("endorsements:panel", order=40)
        # The applicant hears about their application; a reviewer's assignment is work for them.
        kinds.register("endorsement_received", direct=True)
        kinds.register("endorsement_decision", direct=True)
        kinds.register("endorsement_assigned", direct=False)
        data_rights.register(
            "endorsements",
            label="Endorsements and contributions",
            export=personal_data.export,
            erase=personal_data.erase,
        )
