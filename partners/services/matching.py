"""Which partners could help a candidate, best first, each with the reasons (as mentor
matching gives them)."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from candidates.geography import BY_CODE
from candidates.models import Candidate, Need
from partners.models import (
    NEED_SERVICES,
    OPEN_REFERRAL_STATES,
    Partner,
    Referral,
    ReferralState,
    Resource,
    Service,
)

# Stages after which a candidate is no longer running for the first time.
RUNNING_BEFORE = {"won", "lost"}


@dataclass
class Suggestion:
    partner: Partner
    score: float
    reasons: list[str] = field(default_factory=list)


def candidate_needs(candidate: Candidate) -> list[str]:
    """Needs the candidate named, in the order the form lists them."""
    needs = set(candidate.needs or [])
    return [need for need in Need.values if need in needs]


def _excluded(candidate: Candidate):
    """Partners the candidate said no to, or already has an open referral with."""
    said_no = Q(state=ReferralState.DECLINED, declined_by=Referral.DeclinedBy.CANDIDATE)
    return Referral.objects.filter(candidate=candidate, partner=OuterRef("pk")).filter(
        Q(state__in=OPEN_REFERRAL_STATES) | said_no
    )


def eligible(partner: Partner, candidate: Candidate) -> bool:
    """The partner's rules let it help this candidate (state, office, party, first run)."""
    if partner.states and candidate.state not in partner.states:
        return False
    if partner.office_levels and candidate.office_level not in partner.office_levels:
        return False
    if partner.parties and candidate.party not in partner.parties:
        return False
    return not (partner.first_time_only and candidate.stage in RUNNING_BEFORE)


def rank_partners(*, candidate: Candidate, limit: int = 8) -> list[Suggestion]:
    """Active partners whose rules let them help this candidate, best first: the needs
    their services cover, then working in the candidate's state, then eligibility that
    names the candidate's office. Paused partners, partners the candidate declined and
    partners with an open referral never appear."""
    needs = candidate_needs(candidate)
    state_name = BY_CODE[candidate.state].name if candidate.state in BY_CODE else candidate.state
    partners = (
        Partner.objects.active()
        .exclude(Exists(_excluded(candidate)))
        .order_by("name")
        .only(*[f.name for f in Partner._meta.concrete_fields])
    )
    suggestions = []
    for partner in partners:
        if not eligible(partner, candidate):
            continue
        score, reasons = 0.0, []
        covered = [n for n in needs if NEED_SERVICES.get(n, set()) & set(partner.services)]
        if covered:
            score += 3 * len(covered)
            reasons.append("Covers " + ", ".join(Need(n).label.lower() for n in covered))
        if partner.states:
            score += 2
            reasons.append(f"Works in {state_name}")
        else:
            reasons.append("Works nationwide")
        if partner.office_levels:
            score += 1
            reasons.append(f"Helps {candidate.get_office_level_display().lower()} races")
        if partner.first_time_only:
            score += 0.5
            reasons.append("Focuses on first-time candidates")
        if not covered and Service.TRAINING in partner.services:
            score += 0.5
            reasons.append("Offers training")
        suggestions.append(Suggestion(partner=partner, score=score, reasons=reasons))
    suggestions.sort(key=lambda s: (-s.score, s.partner.name))
    return suggestions[:limit]


def resources_for(candidate: Candidate, *, limit: int = 12) -> list[Resource]:
    """Resources a candidate may see from partners that serve them: the partners they are
    referred to (unless declined), then the best suggestions; those for their needs first."""
    referred = list(
        Referral.objects.filter(candidate=candidate)
        .exclude(state=ReferralState.DECLINED)
        .values_list("partner_id", flat=True)
    )
    suggested = [s.partner.pk for s in rank_partners(candidate=candidate, limit=3)]
    order = {pk: n for n, pk in enumerate(dict.fromkeys(referred + suggested))}
    resources = list(
        Resource.objects.for_candidates().filter(partner__in=order).select_related("partner")
    )
    needs = set(candidate.needs or [])
    resources.sort(key=lambda r: (order[r.partner_id], not (needs & set(r.needs)), r.title.lower()))
    return resources[:limit]
