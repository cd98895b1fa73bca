from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "rfs.notify"
    label = "notify"
    verbose_name = "Outbox"

    def ready(self) -> None:
        from rfs.accounts import places
        from rfs.accounts.models import Role

        places.register(Role.STAFF, "Outbox", "notify:list", order=80)
