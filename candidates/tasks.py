"""Celery tasks of the candidates app: thin, take ids, safe to run twice."""

from celery import shared_task  # noqa: F401

# --- Intake: CSV import ---------------------------------------------------

# --- Help requests: reminders and escalations -------------------------------
