"""What screening holds about a person, for their data rights (candidates.data_rights)."""

from candidates.data_rights import rows
from screening.models import ContactAttempt, ScheduledCall, ScreeningCall, ScreeningCallRevision


def export(candidate) -> list[dict]:
    calls = rows(
        ScreeningCall.objects.filter(candidate=candidate),
        "happened_at",
        "duration_minutes",
        "outcome",
        "needs",
        "notes",
        "next_step",
    )
    attempts = rows(ContactAttempt.objects.filter(candidate=candidate), "at", "kind", "note")
    scheduled = rows(
        ScheduledCall.objects.filter(candidate=candidate), "starts_at", "time_zone", "status"
    )
    return [{"screening calls": calls, "contact attempts": attempts, "scheduled calls": scheduled}]


def erase(candidate) -> None:
    """Notes go; when, how long and what came of each call stay (volunteer hours count them)."""
    calls = ScreeningCall.objects.filter(candidate=candidate)
    ScreeningCallRevision.objects.filter(call__in=calls).update(previous={})
    calls.update(notes="")
    ContactAttempt.objects.filter(candidate=candidate).update(note="")
