"""Celery tasks of screening: beat sweeps that call the services, safe to run twice."""

from celery import shared_task

from screening.services import booking, claims, next_steps, stalls, volunteers


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


@shared_task
def send_check_backs() -> int:
    """Beat: record the check-back emails whose day has come."""
    return next_steps.send_check_backs()


@shared_task
def send_check_ins() -> int:
    """Beat: one check-in email to each newly stalled candidate."""
    return stalls.send_check_ins()
