"""Staff saving the working hours twice at once (a double click, two colleagues), on real
PostgreSQL: each save in its own thread, with its own connection and transaction."""

import threading
from datetime import time

import pytest
from django.db import connection, transaction

from candidates.models import WorkingHours
from candidates.services.help_requests import set_working_hours
from tests.support.locks import wait_until_blocking_someone

pytestmark = pytest.mark.django_db(transaction=True)

WEEKDAYS = {day: (time(9), time(17)) for day in range(5)}


@pytest.mark.parametrize("before", [{}, {0: (time(8), time(12)), 6: (time(10), time(14))}])
def test_two_saves_at_once_both_succeed_and_the_last_one_holds(before):
    set_working_hours(days=before)
    second = {**WEEKDAYS, 4: (time(9), time(15))}
    errors: list[BaseException] = []

    def save_again() -> None:
        try:
            set_working_hours(days=second)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    with transaction.atomic():
        set_working_hours(days=WEEKDAYS)
        thread = threading.Thread(target=save_again)
        thread.start()
        wait_until_blocking_someone()
    thread.join(timeout=20)

    assert errors == []
    assert {row.weekday: (row.opens, row.closes) for row in WorkingHours.objects.all()} == second
