from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "rfs.demo"
    label = "demo"
