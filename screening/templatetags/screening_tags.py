from django import template

register = template.Library()


@register.filter
def hours(minutes: int | None) -> str:
    """Minutes as volunteer hours: 95 -> '1 h 35 min'."""
    minutes = int(minutes or 0)
    whole, rest = divmod(minutes, 60)
    if not whole:
        return f"{rest} min"
    return f"{whole} h {rest:02d} min" if rest else f"{whole} h"


@register.filter
def duration(delta) -> str:
    """A timedelta as days and hours: '2 d 5 h', '3 h 20 min'."""
    if delta is None:
        return "-"
    seconds = int(delta.total_seconds())
    days, seconds = divmod(seconds, 86400)
    hours_, seconds = divmod(seconds, 3600)
    if days:
        return f"{days} d {hours_} h"
    return f"{hours_} h {seconds // 60} min" if hours_ else f"{seconds // 60} min"
