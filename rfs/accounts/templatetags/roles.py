"""Role checks in templates: {% load roles %}{% if user|has_role:"staff" %}."""

from django import template

register = template.Library()


@register.filter
def has_role(user, role: str) -> bool:
    """True when `user` acts in `role` now (the same rule as User.has_role)."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(role)
