"""Two screeners pressing "Claim next" at the same moment, on real PostgreSQL: each in its
own thread, with its own connection and transaction."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction

from screening.models import Claim
from screening.services import claims
from screening.services.guards import ScreeningError
from tests.factories.screening import ScreenerFactory, waiting_candidate

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


def test_a_claim_in_progress_is_skipped_not_shared():
    first_in_line = waiting_candidate(signed_up_ago=timedelta(days=2))
    second_in_line = waiting_candidate(signed_up_ago=timedelta(days=1))
    alice, bob = ScreenerFactory(), ScreenerFactory()
    claimed, may_commit = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def alice_claims() -> None:
        with transaction.atomic():
            results["alice"] = claims.claim_next(screener=alice).candidate
            claimed.set()
            # Alice's transaction stays open (her row stays locked) while Bob claims.
            may_commit.wait(timeout=10)

    def bob_claims() -> None:
        claimed.wait(timeout=10)
        results["bob"] = claims.claim_next(screener=bob).candidate
        may_commit.set()

    threads = [_in_thread(alice_claims), _in_thread(bob_claims)]
    for thread in threads:
        thread.join(timeout=20)

    assert results["alice"] == first_in_line
    assert results["bob"] == second_in_line
    assert Claim.objects.open().count() == 2


def test_many_screeners_at_once_never_get_the_same_candidate():
    candidates = [waiting_candidate(signed_up_ago=timedelta(hours=n + 1)) for n in range(4)]
    screeners = [ScreenerFactory() for _ in range(6)]
    start = threading.Barrier(len(screeners), timeout=10)
    got: list = []
    lock = threading.Lock()

    def press(screener) -> None:
        start.wait()
        claim = claims.claim_next(screener=screener)
        with lock:
            got.append(claim.candidate.pk if claim else None)

    threads = [_in_thread(lambda s=s: press(s)) for s in screeners]
    for thread in threads:
        thread.join(timeout=20)

    claimed = [pk for pk in got if pk is not None]
    assert len(got) == len(screeners)
    assert sorted(claimed) == sorted(c.pk for c in candidates)  # each once, nobody twice
    assert got.count(None) == 2
    assert Claim.objects.open().count() == 4


def test_the_same_row_claimed_twice_at_once_goes_to_one_screener():
    candidate = waiting_candidate()
    screeners = [ScreenerFactory() for _ in range(3)]
    start = threading.Barrier(len(screeners), timeout=10)
    outcomes: list[str] = []

    def press(screener) -> None:
        start.wait()
        try:
            claims.claim_candidate(candidate=candidate, screener=screener)
            outcomes.append("claimed")
        except ScreeningError:
            outcomes.append("refused")

    threads = [_in_thread(lambda s=s: press(s)) for s in screeners]
    for thread in threads:
        thread.join(timeout=20)

    assert sorted(outcomes) == ["claimed", "refused", "refused"]
    assert Claim.objects.filter(candidate=candidate).count() == 1
