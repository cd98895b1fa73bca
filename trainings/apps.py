"""Trainings: topics staff teach, their sessions, invitations, registrations and attendance."""

from django.apps import AppConfig


class TrainingsConfig(AppConfig):
    name = "trainings"

    def ready(self) -> None:
        from candidates import panels
        from rfs.accounts import places
        from rfs.accounts.models import Role
        from rfs.notify import kinds

        # Answers to the person's own registration or cancellation; an invitation and the
        # reminders before a session are not.
        for template in (
            "training_registered",
            "training_waitlisted",
            "training_place_offered",
            "training_cancelled",
        ):
            kinds.register(template, direct=True)
        for template in ("training_invitation", "training_reminder_day", "training_reminder_hour"):
            kinds.register(template, direct=False)
        places.register(Role.STAFF, "Trainings", "trainings:list", order=58)
        panels.register("trainings:panel", order=25)
