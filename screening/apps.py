from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "screening"

    def ready(self) -> None:
        from candidates import data_rights, panels
        from rfs.accounts import places
        from rfs.accounts.models import Role
        from rfs.notify import kinds
        from screening import personal_data

        places.register(Role.STAFF, "Screening", "screening:calls", order=40)
        places.register(Role.STAFF, "Volunteers", "screening:applications", order=45)
        places.register(Role.SCREENER, "Screening queue", "screening:queue", order=10, start=True)
        places.register(Role.SCREENER, "My screening", "screening:mine", order=20)
        panels.register("screening:panel", order=10)
        # The person's own call and its outcome answer them; a reminder, a nudge to someone who
        # went quiet and the screeners' and staff's notices do not.
        for outcome in (
            "call_confirmed",
            "call_updated",
            "call_cancelled",
            "advance",
            "not_a_fit",
            "not_yet",
        ):
            kinds.register(f"screening_{outcome}", direct=True)
        kinds.register("volunteer_nudge", direct=False)
        for notice in ("call_reminder", "unresponsive", "claim_expired", "claim_expired_staff"):
            kinds.register(f"screening_{notice}", direct=False)
        data_rights.register(
            "screening", label="Screening", export=personal_data.export, erase=personal_data.erase
        )
