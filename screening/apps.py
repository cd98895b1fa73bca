from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "screening"

    def ready(self) -> None:
        from candidates import panels
        from rfs.accounts import places
        from rfs.accounts.models import Role

        places.register(Role.STAFF, "Screening", "screening:calls", order=40)
        places.register(Role.STAFF, "Volunteers", "screening:applications", order=45)
        places.register(Role.SCREENER, "Screening queue", "screening:queue", order=10, start=True)
        places.register(Role.SCREENER, "My screening", "screening:mine", order=20)
        panels.register("screening:panel", order=10)
