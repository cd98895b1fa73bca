from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "rfs.notify"
    label = "notify"
    verbose_name = "Outbox"
