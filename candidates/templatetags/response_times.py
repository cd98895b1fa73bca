"""How response-time figures read on a page: hours with one decimal, shares as percentages,
and a dash where there is no figure (nothing answered in the period)."""

from django import template

register = template.Library()

NO_FIGURE = "\u2013"  # an en dash


@register.filter
def hours(value: float | None) -> str:
    """3.25 → "3.2 h"; None → a dash."""
    return NO_FIGURE if value is None else f"{value:.1f} h"


@register.filter
def percent(share: float | None) -> str:
    """0.6 → "60%"; None → a dash."""
    return NO_FIGURE if share is None else f"{round(share * 100)}%"
