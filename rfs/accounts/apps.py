from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "rfs.accounts"
    label = "accounts"

    def ready(self) -> None:
        from rfs.accounts import places, receivers  # noqa: F401 - connects the event log
        from rfs.accounts.models import Role

        places.register(Role.STAFF, "Security log", "accounts:security_events", order=95)
