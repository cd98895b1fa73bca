"""The stay columns of the stage history and the daily counts (StageDay) kept beside it, in
the same transaction as every move, always equal to a recount from the history."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from candidates.forms.intake import SignupForm
from candidates.models import Stage, StageChange, StageDay
from candidates.services.intake import Incoming, resolve_submissions
from candidates.services.merges import merge_candidates
from candidates.services.pipeline import move_stage, record_entry, recount_history
from tests.factories.candidates import CandidateFactory, signup_form_data
from tests.integration.candidates.test_merge_review import waiting_submission

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")


@pytest.fixture(autouse=True)
def _organisation_zone(settings):
    settings.RFS_TIME_ZONE = "America/New_York"


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 4, day, hour, tzinfo=NY)


def counts() -> dict[tuple, tuple[int, int]]:
    return {
        (row.day, row.stage, row.since): (row.entered, row.advanced)
        for row in StageDay.objects.all()
        if row.entered or row.advanced
    }


def assert_matches_a_recount() -> None:
    assert recount_history() == {"rows": 0, "days": 0}


def test_moves_fill_the_stay_columns_and_the_daily_counts():
    candidate = CandidateFactory(entry=False)
    record_entry(candidate=candidate, at=at(6))
    move_stage(candidate=candidate, to=Stage.SCREENING, at=at(7))
    move_stage(candidate=candidate, to=Stage.SIGNED_UP, at=at(8), reason="Claim released")
    move_stage(candidate=candidate, to=Stage.SCREENING, at=at(9))
    move_stage(candidate=candidate, to=Stage.SCREENED, at=at(10))

    rows = list(StageChange.objects.filter(candidate=candidate).order_by("at"))
    assert [(r.to_stage, r.left_at, r.next_stage) for r in rows] == [
        (Stage.SIGNED_UP, at(7), Stage.SCREENING),
        (Stage.SCREENING, at(8), Stage.SIGNED_UP),
        (Stage.SIGNED_UP, at(9), Stage.SCREENING),
        (Stage.SCREENING, at(10), Stage.SCREENED),
        (Stage.SCREENED, None, ""),
    ]
    assert [r.previous_entry_at for r in rows] == [None, None, at(6), at(7), None]
    # The second signed-up stay moved on as the first did; the screening stay that went back
    # to the queue did not move on, so the second one has no earlier stay that did.
    assert [r.previous_advance_at for r in rows] == [None, None, at(6), None, None]
    assert counts() == {
        (date(2026, 4, 6), Stage.SIGNED_UP, None): (1, 1),
        (date(2026, 4, 7), Stage.SCREENING, None): (1, 0),
        (date(2026, 4, 8), Stage.SIGNED_UP, date(2026, 4, 6)): (1, 1),
        (date(2026, 4, 9), Stage.SCREENING, date(2026, 4, 7)): (1, 0),
        (date(2026, 4, 9), Stage.SCREENING, None): (0, 1),
        (date(2026, 4, 10), Stage.SCREENED, None): (1, 0),
    }
    assert_matches_a_recount()


def test_the_daily_counts_equal_a_recount_after_many_moves():
    for i in range(6):
        candidate = CandidateFactory()
        move_stage(candidate=candidate, to=Stage.SCREENING)
        if i % 2:
            move_stage(candidate=candidate, to=Stage.SIGNED_UP, reason="Claim released")
            move_stage(candidate=candidate, to=Stage.SCREENING)
        if i % 3:
            move_stage(candidate=candidate, to=Stage.SCREENED)
        else:
            move_stage(candidate=candidate, to=Stage.NOT_A_FIT)
    assert StageDay.objects.exists()
    assert_matches_a_recount()


def test_a_batch_of_signups_counts_every_new_candidate_at_once():
    incoming = []
    for i in range(5):
        posted = signup_form_data(email=f"batch{i}@example.org", phone=f"+1202555017{i}")
        form = SignupForm(data=posted)
        assert form.is_valid(), form.errors
        incoming.append(Incoming(data=form.cleaned_data, channel="import", payload=posted))
    resolve_submissions(incoming)

    assert StageChange.objects.count() == 5
    assert sum(entered for entered, _ in counts().values()) == 5
    assert_matches_a_recount()


def test_a_merge_restates_the_joined_history():
    submission = waiting_submission()
    keep, duplicate = submission.candidate, submission.phone_match
    move_stage(candidate=duplicate, to=Stage.SCREENING)
    move_stage(candidate=keep, to=Stage.SCREENING)
    merge_candidates(submission=submission, keep=keep, by=None)
    assert_matches_a_recount()


def test_check_rollups_reports_a_tampered_count_and_fixes_it():
    candidate = CandidateFactory()
    move_stage(candidate=candidate, to=Stage.SCREENING)
    out = io.StringIO()
    call_command("check_rollups", stdout=out)
    assert "match a recount" in out.getvalue()

    StageDay.objects.filter(stage=Stage.SCREENING).update(entered=F("entered") + 1)
    with pytest.raises(CommandError):
        call_command("check_rollups", stdout=out)
    assert "1 daily counts that differ" in out.getvalue()

    call_command("check_rollups", "--fix", stdout=out)
    call_command("check_rollups", stdout=out)
    assert_matches_a_recount()


def test_check_rollups_reports_a_tampered_stay():
    candidate = CandidateFactory()
    move_stage(candidate=candidate, to=Stage.SCREENING)
    StageChange.objects.filter(to_stage=Stage.SIGNED_UP).update(left_at=None, next_stage="")
    assert recount_history() == {"rows": 1, "days": 0}
    assert recount_history(fix=True)["rows"] == 1
    row = StageChange.objects.get(to_stage=Stage.SIGNED_UP)
    assert (row.next_stage, row.left_at is not None) == (Stage.SCREENING, True)
    assert row.left_at - row.at < timedelta(minutes=1)
    assert_matches_a_recount()
