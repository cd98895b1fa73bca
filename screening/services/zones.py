"""Time zones: the zone a user reads times in, a candidate's zone, and how emails name a time."""

import zoneinfo
from datetime import datetime

from django.conf import settings
from django.utils import dateformat, translation
from django.utils.translation import pgettext

from candidates.geography import time_zone_for
from candidates.models import Candidate


def zone_named(name: str) -> zoneinfo.ZoneInfo:
    """The zone of this name, or the organisation's if the name is not a known zone."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.RFS_TIME_ZONE)


def user_zone(user) -> zoneinfo.ZoneInfo:
    """The zone a user reads times in: their own choice, else the organisation's."""
    return zone_named(getattr(user, "time_zone", "") or settings.RFS_TIME_ZONE)


def candidate_zone(candidate: Candidate) -> zoneinfo.ZoneInfo:
    """The main zone of the candidate's state."""
    return zone_named(time_zone_for(candidate.state, settings.RFS_TIME_ZONE))


def format_local(moment: datetime, zone: zoneinfo.ZoneInfo, *, language: str) -> str:
    """How emails name a time, in the email's language: 'Tuesday, March 11, 2025 at 10:00 AM
    EDT', 'martes 11 de marzo de 2025, 10:00 EDT'."""
    with translation.override(language):
        # Translators: a Django date format (the "date" filter's letters) naming a time in an
        # email; escape the letters of words with a backslash.
        return dateformat.format(
            moment.astimezone(zone), pgettext("email time", r"l, F j, Y \a\t g:i A T")
        )
