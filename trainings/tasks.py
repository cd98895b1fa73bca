from celery import shared_task

from trainings import services


@shared_task
def send_reminders() -> int:
    return services.send_reminders()
