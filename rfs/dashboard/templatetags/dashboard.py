"""Filters for the dashboard's templates."""

from datetime import datetime, timedelta

from django import template

from rfs.dashboard.report import hours_text

register = template.Library()


@register.filter
def duration(value: timedelta | None) -> str:
    """A timedelta as minutes, hours or days."""
    if value is None:
        return hours_text(None)
    return hours_text(value.total_seconds() / 3600)


@register.filter
def waited(since: datetime | None, now: datetime) -> str:
    """How long from `since` until `now`."""
    if since is None:
        return hours_text(None)
    return hours_text((now - since).total_seconds() / 3600)
