"""What partners hold about a person, for their data rights (candidates.data_rights)."""

from candidates.data_rights import rows
from partners.models import Referral, ReferralMove


def export(candidate) -> list[dict]:
    return rows(
        Referral.objects.filter(candidate=candidate),
        "partner__name",
        "need",
        "note",
        "state",
        "created_at",
        "consent_at",
        "consent_words",
        "sent_at",
        "accepted_at",
        "closed_at",
        "outcome_note",
    )


def erase(candidate) -> None:
    """The words about them go; which partner, when, and how it ended stay (partner reports)."""
    referrals = Referral.objects.filter(candidate=candidate)
    ReferralMove.objects.filter(referral__in=referrals).update(note="")
    referrals.update(note="", consent_words="", outcome_note="")
