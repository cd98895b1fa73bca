"""The kinds of help request, registered by the app that owns each one.

A kind says what the candidate asked for (a first contact, a question, a mentor
introduction, a partner's answer to a referral ...), how long the organisation gives
itself to answer by default, on which clock (business hours or calendar days), and
what counts as the answer: the first response, or the request's resolution.

The candidates app registers its own kinds below; any other app registers its kinds in
its AppConfig.ready(), so this app never needs to know them. Staff change the due times
per kind, and per team, on the requests settings page (ResponseTarget rows).

Teams own requests that no single person answers (a partner organisation, say). An app
that names teams registers how to reach one (`register_team`), so reminders find the
team's address without this app knowing what a team is.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Clock(models.TextChoices):
    BUSINESS_HOURS = "business_hours", "business hours"
    CALENDAR_DAYS = "calendar_days", "calendar days"
    BUSINESS_DAYS = "business_days", "business days"


@dataclass(frozen=True)
class RequestKind:
    name: str
    # Declared with gettext_lazy: the candidate's pages show it in their language.
    label: str
    # The default time to answer, in units of `clock`.
    amount: int
    clock: str = Clock.BUSINESS_HOURS
    # True: the first response is the whole answer (a first contact, an introduction).
    # False: the request is due to be resolved, or handed back to the candidate.
    answered_by_first_response: bool = False


FIRST_CONTACT = "first_contact"
QUESTION = "question"
DATA_REQUEST = "data_request"

_KINDS: dict[str, RequestKind] = {}
# Team prefix ("partner") -> a function giving (email, greeting name) for a team name.
_TEAMS: dict[str, Callable[[str], tuple[str, str] | None]] = {}
# Team prefix -> a function naming many teams at once ({team: name}), for figures.
_TEAM_NAMES: dict[str, Callable[[list[str]], dict[str, str]]] = {}


def register(kind: RequestKind) -> RequestKind:
    """Add a kind; registering the same kind again replaces it (apps reload in tests)."""
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> RequestKind:
    """The registered kind, or a plain stand-in for rows of a kind no app registers any more."""
    return _KINDS.get(name) or RequestKind(name, name.replace("_", " ").capitalize(), 48)


def registered() -> list[RequestKind]:
    return list(_KINDS.values())


def choices() -> list[tuple[str, str]]:
    return [(kind.name, kind.label) for kind in _KINDS.values()]


def label(name: str) -> str:
    return get(name).label


def register_team(
    prefix: str,
    contact: Callable[[str], tuple[str, str] | None],
    names: Callable[[list[str]], dict[str, str]] | None = None,
) -> None:
    """Teams named "<prefix>:<id>" are reached through `contact(team)`: (email, name), and
    named on pages through `names(teams)`: {team: name}."""
    _TEAMS[prefix] = contact
    if names is not None:
        _TEAM_NAMES[prefix] = names


def team_names(teams: list[str]) -> dict[str, str]:
    """{team: name} for the teams whose app names them; others are left out."""
    by_prefix: dict[str, list[str]] = {}
    for team in teams:
        by_prefix.setdefault(team.split(":", 1)[0], []).append(team)
    named: dict[str, str] = {}
    for prefix, members in by_prefix.items():
        if prefix in _TEAM_NAMES:
            named.update(_TEAM_NAMES[prefix](members))
    return named


def team_contact(team: str) -> tuple[str, str] | None:
    """The address and greeting of a team, if the app that names it says so."""
    contact = _TEAMS.get(team.split(":", 1)[0])
    return contact(team) if contact else None


register(RequestKind(FIRST_CONTACT, _("First contact"), 72, answered_by_first_response=True))
register(RequestKind(QUESTION, _("Question"), 48))
# A person's request for a copy of their data or its erasure: the law's deadline, in days.
register(
    RequestKind(
        DATA_REQUEST, _("Data request"), settings.RFS_DATA_REQUEST_DAYS, Clock.CALENDAR_DAYS
    )
)
