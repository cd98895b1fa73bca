"""Partner organisations: the directory, referrals with their own logins, attribution."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# A partner organisation's introduction to a candidate we referred to it.
PARTNER_INTRO = "partner_intro"
# Staff are asked to refer a candidate to a partner; proposing a referral answers it.
REFERRAL_TO_MAKE = "referral_to_make"


class PartnersConfig(AppConfig):
    name = "partners"

    def ready(self) -> None:
        from candidates import data_rights, heard_from, panels, request_kinds
        from partners import personal_data
        from partners.models import TEAM_PREFIX
        from partners.services import directory
        from rfs.accounts import places
        from rfs.accounts.models import Role
        from rfs.notify import kinds

        # The partner's acceptance (or refusal) of a referral answers it; due after the
        # partner's window (directory.response_days_of), 3 business days by default.
        request_kinds.register(
            request_kinds.RequestKind(
                PARTNER_INTRO,
                _("Partner introduction"),
                3,
                clock=request_kinds.Clock.BUSINESS_DAYS,
                answered_by_first_response=True,
            )
        )
        request_kinds.register(
            request_kinds.RequestKind(
                REFERRAL_TO_MAKE,
                _("Refer to a partner"),
                3,
                clock=request_kinds.Clock.BUSINESS_DAYS,
            )
        )
        request_kinds.register_team(TEAM_PREFIX, directory.team_contact, directory.team_names)
        heard_from.register(TEAM_PREFIX, directory.heard_from_options)
        places.register(Role.STAFF, "Partners", "partners:list", order=55)
        places.register(Role.PARTNER, "Referrals", "partners:portal_home", order=10, start=True)
        places.register(Role.PARTNER, "Refer a candidate", "partners:portal_refer", order=20)
        places.register(Role.PARTNER, "Resources", "partners:portal_resources", order=30)
        panels.register("partners:panel", order=30)
        # The candidate's own referral answers them; the partner's introduction is work for it.
        kinds.register("partner_consent_request", direct=True)
        kinds.register("partner_intro_candidate", direct=True)
        kinds.register("partner_intro_partner", direct=False)
        data_rights.register(
            "partners", label="Referrals", export=personal_data.export, erase=personal_data.erase
        )
