"""A claim ending while staff move the same candidate, on real PostgreSQL: each in its own
thread, with its own connection and transaction."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from candidates.models import Stage
from candidates.services.pipeline import move_stage
from screening.models import Claim
from screening.services import claims
from tests.factories.screening import ScreenerFactory, waiting_candidate
from tests.support.locks import wait_until_blocking_someone

pytestmark = pytest.mark.django_db(transaction=True)


def _in_thread(target) -> threading.Thread:
    def run() -> None:
        try:
            target()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.parametrize("end", ["release", "expire"])
def test_a_claim_ending_during_a_staff_move_leaves_the_candidate_where_staff_put_them(staff, end):
    screener = ScreenerFactory()
    candidate = waiting_candidate()
    claim = claims.claim_candidate(candidate=candidate, screener=screener)
    Claim.objects.filter(pk=claim.pk).update(claimed_at=timezone.now() - timedelta(hours=49))
    ending = {
        "release": lambda: claims.release_claim(claim=claim, by=screener),
        "expire": lambda: claims.expire_claim(claim_id=claim.pk),
    }[end]

    with transaction.atomic():
        move_stage(candidate=candidate, to=Stage.WITHDRAWN, by=staff, reason="Asked us to stop")
        # The claim ends while the staff member's move is not yet committed.
        thread = _in_thread(ending)
        wait_until_blocking_someone()
    thread.join(timeout=20)

    candidate.refresh_from_db()
    assert candidate.stage == Stage.WITHDRAWN
    assert list(candidate.stage_changes.values_list("to_stage", flat=True)) == [
        Stage.SIGNED_UP,
        Stage.SCREENING,
        Stage.WITHDRAWN,
    ]
