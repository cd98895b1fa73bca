"""Panels that apps above this one add to a candidate's staff page.

Each panel is a URL of the app that owns it, taking the candidate's uuid; the page loads
it in place (htmx), so the candidates app shows screening or mentoring without knowing
either. Apps register their panel in AppConfig.ready().
"""

from django.urls import reverse

_PANELS: dict[str, int] = {}


def register(url_name: str, *, order: int) -> None:
    _PANELS[url_name] = order


def urls_for(candidate) -> list[str]:
    """The panel URLs for this candidate, in order."""
    return [reverse(name, args=[candidate.uuid]) for name in sorted(_PANELS, key=_PANELS.get)]
