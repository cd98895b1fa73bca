from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "rfs.dashboard"
    label = "dashboard"
