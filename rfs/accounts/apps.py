from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "rfs.accounts"
    label = "accounts"

    def ready(self) -> None:
        from rfs.accounts import places, receivers  # noqa: F401 - connects the event log
        from rfs.accounts.models import Role
        from rfs.notify import kinds

        # An applicant hears the answer to their application; the invitation to set a
        # password is an account email and always goes.
        for template in ("application_declined", "application_question", "invitation"):
            kinds.register(template, direct=True)
        places.register(Role.STAFF, "Onboarding", "accounts:onboarding_admin", order=94)
        places.register(Role.STAFF, "Security log", "accounts:security_events", order=95)
