from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "rfs.notify"
    label = "notify"
    verbose_name = "Outbox"

    def ready(self) -> None:
        from rfs.accounts import places
        from rfs.accounts.models import Role
        from rfs.notify import kinds

        places.register(Role.STAFF, "Outbox", "notify:list", order=80)
        places.register(Role.STAFF, "Suppressions", "notify:suppressions", order=85)
        # A one-off message about the person's own record.
        kinds.register("notice", direct=True)
        # Staff hear that mail is stuck: an alert nobody may unsubscribe from.
        kinds.register("outbox_stale", direct=True)
