"""Referrals, closed loop: proposed → sent → accepted → helped, or declined, or no answer.

Consent comes first: a referral is sent to the partner only once the candidate's consent to
share their details with that partner is recorded (by the candidate in the portal, or by a
screener or staff member with the words the candidate agreed to). Sending opens the
partner's answer as a help request of kind PARTNER_INTRO owned by the partner (its team),
due after the partner's window; accepting or declining answers it. Every move is a
ReferralMove row.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate, HelpRequest
from candidates.services.help_requests import (
    open_request,
    record_first_response,
    resolve_request,
)
from partners.models import (
    PARTNER_INTRO,
    REFERRAL_MOVES,
    REFERRAL_TO_MAKE,
    ConsentField,
    Partner,
    Referral,
    ReferralMove,
    ReferralState,
)
from partners.services.directory import introduction_address, response_days_of
from partners.services.matching import rank_partners
from rfs.notify import services as outbox


class ReferralRefused(Exception):
    """The referral cannot be made or moved as asked; the message says why."""


@dataclass(frozen=True)
class Consent:
    """What the candidate agreed to: their words, and the fields beyond name and email."""

    words: str
    fields: tuple[str, ...] = tuple(ConsentField.values)


@transaction.atomic
def request_referral(*, candidate: Candidate, subject: str = "", at=None) -> HelpRequest:
    """Ask staff to refer this candidate to a partner: a staff-pool request that the next
    referral proposed for them answers."""
    return open_request(
        candidate=candidate,
        kind=REFERRAL_TO_MAKE,
        subject=subject or "Refer to a partner",
        at=at or timezone.now(),
    )


# --- Making a referral ------------------------------------------------------------------


@transaction.atomic
def propose_referral(
    *,
    candidate: Candidate,
    partner: Partner,
    by,
    need: str = "",
    note: str = "",
    consent: Consent | None = None,
    at=None,
) -> Referral:
    """Refer a candidate to a partner. With the candidate's consent (recorded by `by`) it is
    sent at once; without it, the candidate is asked in the portal and it waits, proposed."""
    at = at or timezone.now()
    if not partner.is_active:
        raise ReferralRefused(f"{partner.name} is paused and takes no new referrals.")
    if not candidate.is_open:
        raise ReferralRefused("This candidate's record is closed.")
    referral = Referral(
        candidate=candidate, partner=partner, need=need, note=note, created_by=by, created_at=at
    )
    try:
        # A savepoint: the partial unique index decides two referrals made at once.
        with transaction.atomic():
            referral.save()
    except IntegrityError as exc:
        raise ReferralRefused(
            f"{candidate.display_name} already has an open referral to {partner.name}."
        ) from exc
    _log(referral, "", ReferralState.PROPOSED, by=by, at=at, note=note)
    # A referral made answers every open request to make one for this candidate.
    for to_make in HelpRequest.objects.filter(candidate=candidate, kind=REFERRAL_TO_MAKE).exclude(
        status=HelpRequest.Status.RESOLVED
    ):
        resolve_request(help_request=to_make, at=at)
    if consent is not None:
        return record_consent(referral=referral, consent=consent, by=by, at=at)
    outbox.record(
        key=f"partner:consent-ask:{referral.pk}",
        **candidate.recipient,
        template="partner_consent_request",
        context={"name": candidate.greeting_name, "partner": partner.name},
        ref=candidate.ref,
    )
    return referral


@transaction.atomic
def record_consent(*, referral: Referral, consent: Consent, by=None, at=None) -> Referral:
    """Record the candidate's consent (`by` None: the candidate, in the portal) and send the
    referral to the partner."""
    at = at or timezone.now()
    locked = _locked(referral)
    if locked.state != ReferralState.PROPOSED:
        raise ReferralRefused("This referral is no longer waiting for consent.")
    if not consent.words.strip():
        raise ReferralRefused("Record the words the candidate agreed to.")
    locked.consent_at = at
    locked.consent_words = consent.words.strip()[:1000]
    locked.consent_fields = [f for f in ConsentField.values if f in consent.fields]
    locked.consent_recorded_by = by
    locked.save(
        update_fields=["consent_at", "consent_words", "consent_fields", "consent_recorded_by"]
    )
    return _send(locked, by=by, at=at)


def _send(referral: Referral, *, by, at) -> Referral:
    """Introduce both sides and start the partner's clock."""
    _move(referral, ReferralState.SENT, by=by, at=at)
    partner, candidate = referral.partner, referral.candidate
    referral.sent_at = at
    referral.help_request = open_request(
        candidate=candidate,
        kind=PARTNER_INTRO,
        team=partner.team,
        subject=f"Referral to {partner.name}",
        at=at,
    )
    referral.save(update_fields=["sent_at", "help_request"])
    if address := introduction_address(partner):
        outbox.record(
            key=f"partner:intro:partner:{referral.pk}",
            to=address[0],
            template="partner_intro_partner",
            context={
                "name": address[1],
                "partner": partner.name,
                "days": response_days_of(partner),
                "link": reverse("partners:portal_referral", args=[referral.uuid]),
            },
            ref=candidate.ref,
        )
    outbox.record(
        key=f"partner:intro:candidate:{referral.pk}",
        **candidate.recipient,
        template="partner_intro_candidate",
        context={"name": candidate.greeting_name, "partner": partner.name},
        ref=candidate.ref,
    )
    return referral


# --- The candidate's own answer, in the portal --------------------------------------------


def consent_words(partner: Partner) -> str:
    """What a candidate agrees to when they say yes in the portal, kept as their words."""
    return (
        f"I agree that Run for Something shares my name, my email and the details I "
        f"ticked with {partner.name}, so they can help my campaign."
    )


def answer_in_portal(*, referral: Referral, agree: bool, fields: list[str], by) -> Referral:
    """The candidate says yes (consent recorded in the words shown, and the referral sent)
    or no thanks (declined by the candidate; the partner hears nothing)."""
    if agree:
        consent = Consent(words=consent_words(referral.partner), fields=tuple(fields))
        return record_consent(referral=referral, consent=consent, by=None)
    return decline_referral(
        referral=referral,
        by=by,
        reason="The candidate said no thanks.",
        declined_by=Referral.DeclinedBy.CANDIDATE,
    )


# --- From a screening call ---------------------------------------------------------------

# What a candidate may agree to share, for forms outside this app (a screening call's).
CONSENT_CHOICES = ConsentField.choices


def partner_choices(candidate: Candidate) -> list[tuple[str, str]]:
    """Active partners for a referral form outside this app: suggested ones first (with
    their reasons), then the others by name, as (uuid, label)."""
    suggested = rank_partners(candidate=candidate)
    first = [(str(s.partner.uuid), f"{s.partner.name} ({'; '.join(s.reasons)})") for s in suggested]
    seen = {s.partner.pk for s in suggested}
    rest = [(str(p.uuid), p.name) for p in Partner.objects.active().exclude(pk__in=seen)]
    return first + rest


def refer_with_consent(
    *, candidate: Candidate, partner_uuid: str, by, words: str, fields: list[str], note: str = ""
) -> Referral:
    """A referral made with the candidate on the line (a screener at the end of a call): the
    consent in their words is recorded and the referral sent at once."""
    partner = Partner.objects.filter(uuid=partner_uuid).first()
    if partner is None:
        raise ReferralRefused("Choose a partner.")
    return propose_referral(
        candidate=candidate,
        partner=partner,
        by=by,
        note=note,
        consent=Consent(words=words, fields=tuple(fields)),
    )


# --- The partner's answer, and the outcome ----------------------------------------------


@transaction.atomic
def accept_referral(*, referral: Referral, by, note: str = "", at=None) -> Referral:
    """The partner takes the candidate on: answers its request."""
    at = at or timezone.now()
    locked = _locked(referral)
    _move(locked, ReferralState.ACCEPTED, by=by, at=at, note=note)
    locked.accepted_at = at
    locked.save(update_fields=["accepted_at"])
    _answer(locked, at=at, responded=True)
    return locked


@transaction.atomic
def decline_referral(
    *, referral: Referral, by, reason: str, declined_by: str = Referral.DeclinedBy.PARTNER, at=None
) -> Referral:
    """The partner (or the candidate, or staff) says no, with a reason."""
    at = at or timezone.now()
    if not reason.strip():
        raise ReferralRefused("Say why.")
    locked = _locked(referral)
    _move(locked, ReferralState.DECLINED, by=by, at=at, note=reason)
    locked.declined_by = declined_by
    _close(locked, at=at, note=reason)
    # A partner's refusal is its answer; anyone else's closes the request unanswered.
    _answer(locked, at=at, responded=declined_by == Referral.DeclinedBy.PARTNER)
    return locked


@transaction.atomic
def mark_helped(*, referral: Referral, by, note: str, at=None) -> Referral:
    """The partner helped the candidate: the loop is closed, with a note of what it did."""
    at = at or timezone.now()
    if not note.strip():
        raise ReferralRefused("Say how the candidate was helped.")
    locked = _locked(referral)
    _move(locked, ReferralState.HELPED, by=by, at=at, note=note)
    _close(locked, at=at, note=note)
    return locked


@transaction.atomic
def mark_no_answer(*, referral: Referral, by, at=None) -> Referral:
    """Staff close a referral the partner never answered."""
    at = at or timezone.now()
    locked = _locked(referral)
    _move(locked, ReferralState.NO_ANSWER, by=by, at=at)
    _close(locked, at=at, note="")
    _answer(locked, at=at, responded=False)
    return locked


def _answer(referral: Referral, *, at, responded: bool) -> None:
    """The partner's request is answered (its first response) or closed unanswered."""
    if referral.help_request_id is None:
        return
    request = referral.help_request
    if responded:
        record_first_response(help_request=request, at=at)
    HelpRequest.objects.filter(pk=request.pk).exclude(status=HelpRequest.Status.RESOLVED).update(
        status=HelpRequest.Status.RESOLVED,
        resolved_at=max(at, request.opened_at),
        waiting_since=None,
    )


def _close(referral: Referral, *, at, note: str) -> None:
    referral.closed_at = at
    referral.outcome_note = note.strip()[:2000]
    referral.save(update_fields=["closed_at", "outcome_note", "declined_by"])


# --- Moves ----------------------------------------------------------------------------


def _locked(referral: Referral) -> Referral:
    # The row lock serialises two people moving one referral at once (a double click).
    locked = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("partner", "candidate", "help_request")
        .get(pk=referral.pk)
    )
    return locked


def can_move(referral: Referral, to_state: str) -> bool:
    return to_state in REFERRAL_MOVES.get(referral.state, set())


def _move(referral: Referral, to_state: str, *, by, at, note: str = "") -> None:
    if not can_move(referral, to_state):
        raise ReferralRefused(
            f"A {referral.get_state_display().lower()} referral cannot become "
            f"{ReferralState(to_state).label.lower()}."
        )
    from_state = referral.state
    referral.state = to_state
    referral.save(update_fields=["state"])
    _log(referral, from_state, to_state, by=by, at=at, note=note)


def _log(referral: Referral, from_state: str, to_state: str, *, by, at, note: str = "") -> None:
    ReferralMove.objects.create(
        referral=referral,
        from_state=from_state,
        to_state=to_state,
        by=by if by is not None and by.is_authenticated else None,
        at=at,
        note=note.strip()[:1000],
    )
