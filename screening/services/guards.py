"""What every screening action checks first, and the error it raises when it cannot go on."""

from candidates.models import Candidate
from rfs.accounts import onboarding
from rfs.accounts.models import Role
from screening.models import Claim, Volunteer

# The roles that work the screening queue.
WORKER_ROLES = (Role.SCREENER, Role.STAFF)


class ScreeningError(Exception):
    """A screening action that cannot be done; the message is for the person who tried."""


def require_worker(user) -> None:
    if not user.has_role(*WORKER_ROLES):
        raise ScreeningError("Only screeners and staff can work the screening queue.")
    if user.has_role(Role.STAFF):
        return
    # The queue opens to a volunteer only once they have onboarded, and not while paused.
    if not onboarding.is_complete(user):
        raise ScreeningError(
            "Please finish getting started (the guide and the agreement) before you claim anyone."
        )
    if Volunteer.objects.filter(user=user, paused_at__isnull=False).exists():
        raise ScreeningError("Your volunteering is paused: staff can resume it.")


def may_work(user) -> bool:
    """Whether `user` may take screening work now: active, a worker, onboarded, not paused."""
    try:
        require_worker(user)
    except ScreeningError:
        return False
    return user.is_active


def held_claim(candidate: Candidate, user) -> Claim | None:
    """The open claim `user` holds on `candidate`, locked for this transaction."""
    return (
        Claim.objects.select_for_update()
        .filter(candidate=candidate, screener=user, released_at__isnull=True)
        .first()
    )


def require_claim(candidate: Candidate, user) -> Claim:
    """The open claim `user` holds on `candidate`, locked; ScreeningError if there is none."""
    claim = held_claim(candidate, user)
    if claim is None:
        raise ScreeningError("You no longer hold this candidate; claim them from the queue first.")
    return claim
