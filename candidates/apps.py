from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "candidates"

    def ready(self) -> None:
        from rfs.accounts import places
        from rfs.accounts.models import Role
        from rfs.notify import kinds

        places.register(Role.STAFF, "Candidates", "candidates:list", order=20)
        places.register(Role.STAFF, "Merge review", "candidates:merge_review", order=30)
        places.register(Role.STAFF, "Leads", "candidates:lead_sources", order=35)
        places.register(Role.STAFF, "Requests", "candidates:requests", order=70)
        # Answers to what the person did: their signup, their changes, their question.
        for template in (
            "signup_confirmation",
            "signup_updated",
            "update_confirm",
            "request_reply",
        ):
            kinds.register(template, direct=True)
        # An invitation to a lead who did not ask us; work and reminders for owners and staff.
        for template in (
            "lead_invitation",
            "request_new",
            "request_reopened",
            "request_reminder",
            "request_escalation",
        ):
            kinds.register(template, direct=False)
        # Staff hear that signups are not being saved: an alert nobody may unsubscribe from.
        kinds.register("signups_waiting", direct=True)
