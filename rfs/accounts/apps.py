from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "rfs.accounts"
    label = "accounts"

    def ready(self) -> None:
        from rfs.accounts import places
        from rfs.accounts.models import Role

        places.register(Role.STAFF, "Onboarding", "accounts:onboarding_admin", order=95)
