"""Next steps: what a call's recommended next step becomes, through the app that owns it.

    mentor      a staff-pool "match a mentor" request (mentors), resolved by a mentorship
    partner     a staff-pool "refer to a partner" request (partners), answered by a referral
    staff       a staff follow-up request with the screener's note
    check_back  on the chosen day, a kind email with a one-click "I'd like to talk again"
    training    an invitation to the next session of the chosen training (trainings)
    try_again   back in the queue after a pause

Each call has at most one FollowUp row saying when its work is due and when it was acted
on. Editing the call changes that row and the work behind it, never adds more.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

import trainings.services as trainings
from candidates import request_kinds
from candidates.models import HelpRequest, Stage
from candidates.services.help_requests import (
    due_time,
    open_request,
    retitle_request,
    withdraw_request,
)
from mentors.services import request_mentor_match
from partners.services.referrals import request_referral
from rfs.notify import services as outbox
from screening.models import STAFF_FOLLOW_UP, TALK_AGAIN, Claim, FollowUp, ScreeningCall
from screening.services.claims import claim_for, end_claim
from screening.services.guards import ScreeningError, may_work
from screening.services.zones import candidate_zone

Step = ScreeningCall.NextStep
# A check-back email goes at this time of the candidate's day.
CHECK_BACK_AT = time(10, 0)
TALK_AGAIN_SALT = "screening.talk-again"
REQUEST_STEPS = {Step.MENTOR, Step.PARTNER, Step.STAFF}


def check_back_moment(call: ScreeningCall) -> datetime:
    """The chosen day at CHECK_BACK_AT in the candidate's zone (its offset that day)."""
    if call.check_back_on is None:
        raise ScreeningError("Choose the day to check back.")
    return datetime.combine(
        call.check_back_on, CHECK_BACK_AT, tzinfo=candidate_zone(call.candidate)
    )


def invitation_key(call: ScreeningCall) -> str:
    return f"screening-call:{call.uuid}"


def _subject(call: ScreeningCall, default: str) -> str:
    return call.next_step_note.strip() or default


def follow_through(*, call: ScreeningCall, by, at: datetime | None = None) -> FollowUp | None:
    """Make the call's next step into work, or change the work it made before: same step,
    the same work updated; another step, the old work withdrawn and the new one made."""
    at = at or timezone.now()
    follow_up = FollowUp.objects.select_for_update().filter(call=call).first()
    if follow_up is not None and follow_up.step == call.next_step:
        _change(follow_up, call, by=by, at=at)
        follow_up.save()
        return follow_up
    if follow_up is not None:
        _withdraw(follow_up, call, at=at)
    if call.next_step == Step.NONE:
        if follow_up is not None:
            follow_up.delete()
        return None
    follow_up = follow_up or FollowUp(call=call, candidate=call.candidate, screener=call.screener)
    follow_up.step, follow_up.done_at, follow_up.help_request = call.next_step, None, None
    follow_up.back_in_queue_at = follow_up.talk_again_at = None
    _start(follow_up, call, by=by, at=at)
    follow_up.save()
    return follow_up


def _open_step_request(call: ScreeningCall, *, at: datetime) -> HelpRequest:
    candidate = call.candidate
    if call.next_step == Step.MENTOR:
        return request_mentor_match(
            candidate=candidate, subject=_subject(call, "Match a mentor"), at=at
        )
    if call.next_step == Step.PARTNER:
        return request_referral(
            candidate=candidate, subject=_subject(call, "Refer to a partner"), at=at
        )
    return open_request(
        candidate=candidate,
        kind=STAFF_FOLLOW_UP,
        subject=_subject(call, "Follow up after the screening call"),
        at=at,
    )


def _start(follow_up: FollowUp, call: ScreeningCall, *, by, at: datetime) -> None:
    step = call.next_step
    if step in REQUEST_STEPS:
        follow_up.help_request = _open_step_request(call, at=at)
        follow_up.due_at = follow_up.help_request.due_at
    elif step == Step.CHECK_BACK:
        follow_up.due_at = check_back_moment(call)
    elif step == Step.TRAINING:
        _invite(follow_up, call, by=by, at=at)
    elif step == Step.TRY_AGAIN:
        back = at + timedelta(hours=settings.RFS_TRY_AGAIN_PAUSE_HOURS)
        follow_up.back_in_queue_at = back
        follow_up.due_at = due_time(kind=request_kinds.FIRST_CONTACT, opened_at=back)
        _release_for_pause(call, by=by, at=at)


def _change(follow_up: FollowUp, call: ScreeningCall, *, by, at: datetime) -> None:
    """The same step with other details: a new note, another day, another training."""
    if follow_up.step in REQUEST_STEPS and follow_up.help_request_id:
        retitle_request(
            help_request=follow_up.help_request,
            subject=_subject(call, follow_up.help_request.subject),
        )
    elif follow_up.step == Step.CHECK_BACK and follow_up.done_at is None:
        follow_up.due_at = check_back_moment(call)
    elif follow_up.step == Step.TRAINING:
        _invite(follow_up, call, by=by, at=at)


def _withdraw(follow_up: FollowUp, call: ScreeningCall, *, at: datetime) -> None:
    if follow_up.help_request_id and follow_up.help_request.is_open:
        withdraw_request(help_request=follow_up.help_request, at=at)
    if follow_up.step == Step.TRAINING:
        trainings.withdraw_invitation(key=invitation_key(call), at=at)


def _invite(follow_up: FollowUp, call: ScreeningCall, *, by, at: datetime) -> None:
    training = trainings.training_named(call.training_uuid)
    if training is None:
        raise ScreeningError("Choose the training to invite them to.")
    invitation = trainings.invite(
        candidate=call.candidate, training=training, key=invitation_key(call), by=by, at=at
    )
    follow_up.due_at = follow_up.due_at or at + timedelta(days=settings.RFS_TRAINING_INVITE_DAYS)
    follow_up.done_at = invitation.sent_at


def _release_for_pause(call: ScreeningCall, *, by, at: datetime) -> None:
    """A call that did not reach them leaves the claim open: the pause gives it back."""
    claim = (
        Claim.objects.select_for_update().filter(pk=call.claim_id, released_at__isnull=True).first()
    )
    if claim is not None:
        end_claim(
            claim,
            reason=Claim.ReleaseReason.PAUSED,
            by=by,
            at=at,
            back_to_queue=True,
            tell_candidate=False,
        )


# --- Check-backs ----------------------------------------------------------------------


def talk_again_token(follow_up: FollowUp) -> str:
    return signing.dumps(follow_up.pk, salt=TALK_AGAIN_SALT)


def follow_up_for_token(token: str) -> FollowUp | None:
    try:
        pk = signing.loads(token, salt=TALK_AGAIN_SALT)
    except signing.BadSignature:
        return None
    return FollowUp.objects.filter(pk=pk, step=Step.CHECK_BACK).select_related("candidate").first()


def check_back(*, follow_up_id: int, now: datetime | None = None) -> bool:
    """Record the check-back email, once: a conditional UPDATE claims the row, so of two
    sweeps at once only one records it. Returns True if this call did."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = FollowUp.objects.to_check_back(now).filter(pk=follow_up_id).update(done_at=now)
        if not claimed:
            return False
        follow_up = FollowUp.objects.select_related("candidate").get(pk=follow_up_id)
        candidate = follow_up.candidate
        if not candidate.is_open:
            return True
        outbox.record(
            key=f"screening:check-back:{follow_up.pk}",
            **candidate.recipient,
            template="screening_check_back",
            context={
                "name": candidate.greeting_name,
                "link": reverse("screening:talk_again", args=[talk_again_token(follow_up)]),
            },
            ref=candidate.ref,
        )
    return True


def send_check_backs(*, now: datetime | None = None) -> int:
    """Beat: record every check-back email whose day has come. Returns how many."""
    now = now or timezone.now()
    ids = list(FollowUp.objects.to_check_back(now).values_list("pk", flat=True)[:5000])
    return sum(check_back(follow_up_id=pk, now=now) for pk in ids)


@transaction.atomic
def talk_again(*, follow_up: FollowUp, at: datetime | None = None) -> bool:
    """The candidate's "I'd like to talk again", once per check-back: their screener takes
    them again if they may still work (active, onboarded, not paused), else they go back to
    the queue; someone past screening gets a request for their screener (or staff). Returns
    False if already asked."""
    at = at or timezone.now()
    if not FollowUp.objects.filter(pk=follow_up.pk, talk_again_at__isnull=True).update(
        talk_again_at=at
    ):
        return False
    locked = FollowUp.objects.select_related("candidate", "screener").get(pk=follow_up.pk)
    candidate, screener = locked.candidate, locked.screener
    active = may_work(screener)
    if candidate.stage == Stage.SIGNED_UP:
        FollowUp.objects.filter(pk=locked.pk).update(back_in_queue_at=at)
        if active and claim_for(candidate=candidate, screener=screener):
            outbox.record(
                key=f"screening:talk-again:{locked.pk}",
                to=screener.email,
                template="screening_talk_again",
                context={
                    "name": screener.get_short_name(),
                    "link": reverse("screening:candidate", args=[candidate.uuid]),
                },
                ref=candidate.ref,
            )
        return True
    open_request(
        candidate=candidate,
        kind=TALK_AGAIN,
        owner=screener if active else None,
        subject="Would like to talk again",
        at=at,
    )
    return True
