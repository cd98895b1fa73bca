from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "screening"

    def ready(self) -> None:
        from candidates import data_rights, panels
        from rfs.accounts import places
        from rfs.accounts.models import Role
        from screening import personal_data

        places.register(Role.STAFF, "Screening", "screening:calls", order=40)
        places.register(Role.SCREENER, "Screening queue", "screening:queue", order=10, start=True)
        places.register(Role.SCREENER, "My screening", "screening:mine", order=20)
        panels.register("screening:panel", order=10)
        data_rights.register(
            "screening", label="Screening", export=personal_data.export, erase=personal_data.erase
        )
