from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorsConfig(AppConfig):
    name = "mentors"

    def ready(self) -> None:
        from candidates import data_rights, panels, request_kinds
        from mentors import personal_data
        from mentors.models import MENTOR_INTRO, MENTOR_MATCH
        from rfs.accounts import places
        from rfs.accounts.models import Role
        from rfs.notify import kinds

        # The mentor's first contact with a new mentee answers the introduction.
        request_kinds.register(
            request_kinds.RequestKind(
                MENTOR_INTRO, _("Mentor introduction"), 72, answered_by_first_response=True
            )
        )
        # A screener recommends a mentor: staff find one within 3 business days.
        request_kinds.register(
            request_kinds.RequestKind(
                MENTOR_MATCH, _("Match a mentor"), 3, clock=request_kinds.Clock.BUSINESS_DAYS
            )
        )
        places.register(Role.STAFF, "Mentors", "mentors:list", order=50)
        places.register(Role.STAFF, "Coverage", "mentors:coverage", order=60)
        places.register(Role.STAFF, "Mentor applications", "mentors:applications", order=62)
        places.register(Role.MENTOR, "My mentees", "mentors:home", order=10, start=True)
        places.register(Role.MENTOR, "My requests", "candidates:requests", order=15)
        places.register(Role.MENTOR, "My profile", "mentors:profile_edit", order=20)
        panels.register("mentors:match_panel", order=20)
        # The mentee's introduction answers their ask for help; the mentor's is work for them.
        kinds.register("mentor_intro_candidate", direct=True)
        kinds.register("mentor_intro_mentor", direct=False)
        data_rights.register(
            "mentors", label="Mentorships", export=personal_data.export, erase=personal_data.erase
        )
