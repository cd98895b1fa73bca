"""What mentoring holds about a person, for their data rights (candidates.data_rights)."""

from candidates.data_rights import rows
from mentors.models import Mentorship


def export(candidate) -> list[dict]:
    return rows(
        Mentorship.objects.filter(candidate=candidate),
        "mentor__name",
        "started_at",
        "ended_at",
        "ended_reason",
    )


def erase(candidate) -> None:
    """Why a mentorship ended goes; who mentored them and when stays (coverage counts it)."""
    Mentorship.objects.filter(candidate=candidate).update(ended_reason="")
