from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "rfs.dashboard"
    label = "dashboard"

    def ready(self) -> None:
        from rfs.accounts import places
        from rfs.accounts.models import Role

        places.register(Role.STAFF, "Dashboard", "dashboard:index", order=10, start=True)
