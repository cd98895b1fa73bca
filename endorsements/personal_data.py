"""What endorsements hold about a person, for their data rights (candidates.data_rights)."""

from candidates.data_rights import rows
from endorsements.models import (
    Answer,
    Application,
    BackgroundCheck,
    Candidacy,
    Contribution,
    RubricScore,
    Vote,
)


def export(candidate) -> list[dict]:
    candidacies = Candidacy.objects.filter(candidate=candidate)
    applications = Application.objects.filter(candidacy__in=candidacies)
    return [
        {
            "candidacies": rows(
                candidacies,
                "uuid",
                "office__name",
                "election__date",
                "status",
                "incumbent",
                "committee_id",
                "result",
                "vote_share",
            ),
            "applications": rows(
                applications,
                "uuid",
                "endorsement_class__name",
                "status",
                "submitted_at",
                "date_of_birth",
                "previous_runs",
                "story",
                "campaign_url",
                "decided_at",
                "decision_reason",
            ),
            "answers": rows(
                Answer.objects.filter(application__in=applications), "question__text", "text"
            ),
            "contributions": rows(
                Contribution.objects.filter(candidacy__in=candidacies),
                "candidacy__uuid",
                "amount",
                "date",
                "method",
                "committee_id",
            ),
        }
    ]


def erase(candidate) -> None:
    """What they wrote and what was written about them goes. A contribution keeps its amount,
    date and candidacy (the law requires it), and candidacies keep their office and result."""
    applications = Application.objects.filter(candidacy__candidate=candidate)
    Answer.objects.filter(application__in=applications).update(text="")
    BackgroundCheck.objects.filter(application__in=applications).update(note="")
    RubricScore.objects.filter(application__in=applications).update(note="")
    Vote.objects.filter(application__in=applications).update(comment="")
    applications.update(date_of_birth=None, story="", campaign_url="", decision_reason="")
