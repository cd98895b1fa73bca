from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "rfs.accounts"
    label = "accounts"
