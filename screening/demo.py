"""Demo screening work for a development machine: a few volunteer screeners, and claims,
contact attempts and logged calls that match where each demo candidate is in the pipeline.

Idempotent: a candidate who already has any screening record is left alone, and the demo
screeners are created once. Nothing here sends email.
"""

import random
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from candidates.models import Candidate, HelpRequest, Stage, StageChange
from rfs.accounts.models import Role, User
from rfs.demo.logins import DEMO_PASSWORD
from screening.models import Claim, ContactAttempt, ScreeningCall

SEED = 4
DEMO_SCREENERS = [
    ("river@example.org", "River Screener"),
    ("jules@example.org", "Jules Screener"),
    ("ash@example.org", "Ash Screener"),
]
# The demo screener everyone logs in as holds this many open claims.
MAIN_SCREENER_CLAIMS = 4
FAILED = [
    ContactAttempt.Kind.NO_ANSWER,
    ContactAttempt.Kind.VOICEMAIL,
    ContactAttempt.Kind.EMAILED,
]
NEXT_STEPS = {
    ScreeningCall.Outcome.ADVANCE: [
        ScreeningCall.NextStep.MENTOR,
        ScreeningCall.NextStep.TRAINING,
        ScreeningCall.NextStep.PARTNER,
    ],
    ScreeningCall.Outcome.NOT_A_FIT: [ScreeningCall.NextStep.NONE],
}
NOTES = {
    ScreeningCall.Outcome.ADVANCE: [
        "Clear reason to run and a real network; wants help with a budget.",
        "Knows the district well. Filing deadline is in the spring.",
        "Great energy. Needs a treasurer and a first fundraising plan.",
    ],
    ScreeningCall.Outcome.NOT_A_FIT: [
        "Running on a platform at odds with our values.",
        "Wants to run for an office they are not eligible for this cycle.",
    ],
}


def _screeners() -> list[User]:
    users = []
    for email, name in DEMO_SCREENERS:
        user, created = User.objects.get_or_create(
            email=email, defaults={"name": name, "role": Role.SCREENER}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        users.append(user)
    return users


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    if end <= start:
        return start
    return start + (end - start) * rng.uniform(0.1, 0.9)


def seed(*, stdout) -> None:
    """Add the demo screeners and the screening work of every candidate without any yet."""
    rng = random.Random(SEED)
    now = timezone.now()
    with transaction.atomic():
        team = _screeners()
        main = User.objects.filter(email="screener@example.org").first()
        everyone = [main, *team] if main else team
        untouched = (
            Candidate.objects.exclude(claims__isnull=False)
            .exclude(contact_attempts__isnull=False)
            .exclude(screening_calls__isnull=False)
            .order_by("created_at", "pk")
        )
        history: dict[int, list[StageChange]] = {}
        for change in StageChange.objects.filter(candidate__in=untouched).order_by("at", "pk"):
            history.setdefault(change.candidate_id, []).append(change)
        counts = {"claims": 0, "attempts": 0, "calls": 0}
        main_claims = 0
        for candidate in untouched:
            if candidate.stage == Stage.SCREENING and main and main_claims < MAIN_SCREENER_CLAIMS:
                screener, main_claims = main, main_claims + 1
            else:
                screener = rng.choice(everyone)
            _seed_candidate(rng, candidate, history.get(candidate.pk, []), screener, now, counts)
    stdout.write(
        "Demo screening: {claims} claims, {attempts} attempts, {calls} calls added; "
        "screeners {emails}.".format(**counts, emails=", ".join(u.email for u in everyone))
    )


def _seed_candidate(
    rng: random.Random,
    candidate: Candidate,
    changes: list[StageChange],
    screener: User,
    now: datetime,
    counts: dict[str, int],
) -> None:
    """Claims, attempts and calls that agree with the stages the candidate walked through."""
    claimed = next((c.at for c in changes if c.to_stage == Stage.SCREENING), None)
    left = next((c for c in changes if c.from_stage == Stage.SCREENING), None)
    signed_up = candidate.created_at
    answered = (
        HelpRequest.objects.filter(
            candidate=candidate,
            kind=HelpRequest.Kind.FIRST_CONTACT,
            first_response_at__isnull=False,
        )
        .values_list("first_response_at", flat=True)
        .first()
    )
    if answered is not None:
        # The signup's first response was a first email from the queue: the first attempt.
        _attempt(candidate, screener, None, answered, ContactAttempt.Kind.EMAILED, counts)

    if candidate.stage == Stage.SCREENING:
        # Held now: claimed when screening began, with a try or two since.
        claim = Claim.objects.create(
            candidate=candidate, screener=screener, claimed_at=claimed or now - timedelta(hours=6)
        )
        Candidate.objects.filter(pk=candidate.pk).update(owner=screener)
        tries = rng.randint(1, 2)
        at = claim.claimed_at
        for _ in range(tries):
            at = _between(rng, at, now)
            _attempt(candidate, screener, claim, at, rng.choice(FAILED), counts)
        Claim.objects.filter(pk=claim.pk).update(last_contact_at=at)
        counts["claims"] += 1
        return

    if left is None:
        if candidate.stage == Stage.UNRESPONSIVE:
            # Never claimed: three tries from the queue over a week, then given up on.
            exit_at = next((c.at for c in changes if c.to_stage == Stage.UNRESPONSIVE), now)
            _failed_run(rng, candidate, screener, None, signed_up, exit_at, counts)
        return

    claimed = claimed or signed_up
    claim = Claim.objects.create(
        candidate=candidate,
        screener=screener,
        claimed_at=claimed,
        released_at=left.at,
        release_reason=(
            Claim.ReleaseReason.UNRESPONSIVE
            if left.to_stage == Stage.UNRESPONSIVE
            else Claim.ReleaseReason.COMPLETED
        ),
        last_contact_at=left.at,
    )
    counts["claims"] += 1
    if left.to_stage == Stage.UNRESPONSIVE:
        _failed_run(rng, candidate, screener, claim, claimed, left.at, counts)
        return
    outcome = (
        ScreeningCall.Outcome.NOT_A_FIT
        if left.to_stage == Stage.NOT_A_FIT
        else ScreeningCall.Outcome.ADVANCE
    )
    happened = max(claimed, left.at - timedelta(hours=rng.uniform(0.5, 3)))
    if rng.random() < 0.5:
        # A missed call before the one that reached them.
        first = _between(rng, claimed, happened)
        _attempt(candidate, screener, claim, first, rng.choice(FAILED), counts)
    low, high = (3, 5) if outcome == ScreeningCall.Outcome.ADVANCE else (1, 3)
    call = ScreeningCall.objects.create(
        candidate=candidate,
        screener=screener,
        claim=claim,
        happened_at=happened,
        duration_minutes=rng.choice([20, 25, 30, 30, 35, 40, 45, 60]),
        outcome=outcome,
        score_motivation=rng.randint(low, high),
        score_community=rng.randint(low, high),
        score_readiness=rng.randint(low, high),
        score_viability=rng.randint(low, high),
        score_openness=rng.randint(low, high),
        needs=sorted(rng.sample(candidate.needs, min(len(candidate.needs), 2))),
        notes=rng.choice(NOTES[outcome]),
        next_step=rng.choice(NEXT_STEPS[outcome]),
    )
    # Logged right after the call, as a screener would.
    ScreeningCall.objects.filter(pk=call.pk).update(created_at=happened + timedelta(minutes=70))
    _attempt(candidate, screener, claim, happened, ContactAttempt.Kind.ANSWERED, counts, call=call)
    counts["calls"] += 1


def _failed_run(
    rng: random.Random,
    candidate: Candidate,
    screener: User,
    claim: Claim | None,
    start: datetime,
    end: datetime,
    counts: dict[str, int],
) -> None:
    """Three failed tries spread over the days before the candidate was given up on."""
    first = max(start, end - timedelta(days=rng.uniform(6, 9)))
    for share in (0.0, 0.5, 0.95):
        at = first + (end - first) * share
        _attempt(candidate, screener, claim, at, FAILED[int(share * 2)], counts)


def _attempt(
    candidate: Candidate,
    screener: User,
    claim: Claim | None,
    at: datetime,
    kind: str,
    counts: dict[str, int],
    call: ScreeningCall | None = None,
) -> None:
    ContactAttempt.objects.create(
        candidate=candidate, screener=screener, claim=claim, call=call, at=at, kind=kind
    )
    counts["attempts"] += 1
