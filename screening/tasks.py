"""Celery tasks of screening: beat sweeps that call the services, safe to run twice."""

from celery import shared_task

from screening.services import booking, claims, volunteers


@shared_task
def expire_claims() -> int:
    """Beat: release claims left without any logged contact, and tell screener and staff."""
    return claims.expire_claims()


@shared_task
def send_call_reminders() -> int:
    """Beat: record the reminders of booked calls that have fallen due."""
    return booking.send_due_reminders()


@shared_task
def nudge_inactive_volunteers() -> int:
    """Beat: one kind email, once ever, to each volunteer not seen for a long while."""
    return volunteers.nudge_inactive()
