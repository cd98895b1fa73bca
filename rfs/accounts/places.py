"""Where each role works: its start page and its menu, registered by the apps that own them.

The accounts app knows roles but no page of any app above it: each app adds its own
places in its AppConfig.ready(), so the menu of a role is whatever the apps offer it.
A person with several roles has the places of each.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    role: str
    label: str
    url_name: str
    # Menu position: lower comes first.
    order: int


_PLACES: dict[tuple[str, str], Place] = {}
_START: dict[str, str] = {}


def register(role: str, label: str, url_name: str, *, order: int, start: bool = False) -> None:
    """Add a page to a role's menu; `start` makes it where the role lands after logging in."""
    _PLACES[(role, url_name)] = Place(role, label, url_name, order)
    if start:
        _START[role] = url_name


def menu(*roles: str) -> list[tuple[str, str]]:
    """The (label, url name) pairs of the menus of `roles`: each role's in its order, the
    roles in the order given, a page two roles share only once (under the first)."""
    items: list[tuple[str, str]] = []
    seen: set[str] = set()
    for role in roles:
        for place in sorted((p for p in _PLACES.values() if p.role == role), key=_order):
            if place.url_name not in seen:
                seen.add(place.url_name)
                items.append((place.label, place.url_name))
    return items


def _order(place: Place) -> int:
    return place.order


def start(role: str) -> str:
    """The url name of a role's start page (the home page when no app registered one)."""
    return _START.get(role, "home")
