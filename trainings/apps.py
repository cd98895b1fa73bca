"""Trainings: topics staff teach, their sessions, invitations, registrations and attendance."""

from django.apps import AppConfig


class TrainingsConfig(AppConfig):
    name = "trainings"

    def ready(self) -> None:
        from candidates import panels
        from rfs.accounts import places
        from rfs.accounts.models import Role

        places.register(Role.STAFF, "Trainings", "trainings:list", order=58)
        panels.register("trainings:panel", order=25)
