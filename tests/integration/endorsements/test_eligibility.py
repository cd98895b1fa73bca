"""Each eligibility rule on its edges: the age rule on election day, the birth year, the
deadline to the minute in the organisation's zone, runs, office levels, the ballot rule."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from candidates.models import OfficeLevel
from endorsements.models import Application, BallotRule, Candidacy
from endorsements.services.applications import (
    ApplicationRefused,
    apply_for_endorsement,
    check_eligibility,
)
from tests.factories.endorsements import (
    CandidacyFactory,
    ElectionFactory,
    EndorsementClassFactory,
    OfficeFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")
ELECTION_DAY = dt.date(2027, 6, 15)


def _failed(klass, candidacy, *, born=None, runs=0, at=None) -> dict[str, str]:
    findings = check_eligibility(
        endorsement_class=klass,
        candidacy=candidacy,
        date_of_birth=born,
        previous_runs=runs,
        at=at or klass.deadline - dt.timedelta(days=1),
    )
    return {f.rule: f.why for f in findings if not f.ok}


@pytest.fixture
def election():
    return ElectionFactory(date=ELECTION_DAY, cycle=2027)


@pytest.fixture
def candidacy(election):
    return CandidacyFactory(election=election, status=Candidacy.Status.QUALIFIED)


@pytest.mark.parametrize(
    ("born", "eligible"),
    [
        (dt.date(1992, 6, 16), True),  # 34 on election day: the birthday is the day after
        (dt.date(1992, 6, 15), False),  # 35 on election day itself
        (dt.date(1992, 6, 14), False),
    ],
)
def test_age_on_election_day(election, candidacy, born, eligible):
    klass = EndorsementClassFactory(
        elections=[election], max_age_on_election_day=34, ballot_rule=BallotRule.NONE
    )
    failed = _failed(klass, candidacy, born=born)
    assert ("Age on election day" not in failed) is eligible
    if not eligible:
        assert (
            "34 or younger on election day (Jun 15, 2027); you will be 35"
            in failed["Age on election day"]
        )


def test_age_rule_without_a_date_of_birth_asks_for_it(election, candidacy):
    klass = EndorsementClassFactory(elections=[election], max_age_on_election_day=34)
    assert "give your date of birth" in _failed(klass, candidacy)["Age on election day"]


@pytest.mark.parametrize(("year", "eligible"), [(1984, True), (1983, False), (2000, True)])
def test_born_in_1984_or_later(election, candidacy, year, eligible):
    klass = EndorsementClassFactory(elections=[election], born_in_or_after=1984)
    failed = _failed(klass, candidacy, born=dt.date(year, 12, 31))
    assert ("Age" not in failed) is eligible


def test_birth_year_on_record_serves_when_no_date_is_given(election, candidacy):
    klass = EndorsementClassFactory(elections=[election], born_in_or_after=1984)
    candidacy.candidate.birth_year = 1983
    assert "Age" in _failed(klass, candidacy)


def test_deadline_to_the_minute_in_the_organisations_zone(election, candidacy):
    deadline = dt.datetime(2027, 3, 1, 23, 59, tzinfo=NEW_YORK)
    klass = EndorsementClassFactory(elections=[election], deadline=deadline)
    assert "Deadline" not in _failed(klass, candidacy, at=deadline)
    late = _failed(klass, candidacy, at=deadline + dt.timedelta(minutes=1))
    assert late["Deadline"] == "Applications close Mar 1, 2027 at 23:59 EST."


@pytest.mark.parametrize(("runs", "eligible"), [(0, True), (2, True), (3, False)])
def test_first_second_or_third_run(election, candidacy, runs, eligible):
    klass = EndorsementClassFactory(elections=[election], max_run_number=3)
    failed = _failed(klass, candidacy, runs=runs)
    assert ("Runs" not in failed) is eligible


def test_earlier_races_we_know_count_as_runs(election, candidacy):
    klass = EndorsementClassFactory(elections=[election], max_run_number=2)
    for year in (2023, 2025):
        CandidacyFactory(
            candidate=candidacy.candidate,
            election=ElectionFactory(date=dt.date(year, 11, 7), cycle=year, kind="general"),
            status=Candidacy.Status.FILED,
        )
    # Declared none, but we know of two: this would be the third.
    assert "run number 3" in _failed(klass, candidacy, runs=0)["Runs"]


def test_office_levels(election, candidacy):
    klass = EndorsementClassFactory(
        elections=[election], office_levels=[OfficeLevel.SCHOOL_BOARD, OfficeLevel.COUNTY]
    )
    assert _failed(klass, candidacy)["Office"] == "The class takes: school board, county."
    candidacy.office.level = OfficeLevel.COUNTY
    assert "Office" not in _failed(klass, candidacy)


@pytest.mark.parametrize(
    ("status", "committee", "opponent", "eligible"),
    [
        (Candidacy.Status.QUALIFIED, "", False, True),
        (Candidacy.Status.FILED, "PAC-1", True, True),
        (Candidacy.Status.FILED, "PAC-1", False, False),
        (Candidacy.Status.CONSIDERING, "", True, False),
    ],
)
def test_ballot_or_committee_and_opponent(election, status, committee, opponent, eligible):
    candidacy = CandidacyFactory(
        election=election, status=status, committee_id=committee, has_opponent=opponent
    )
    klass = EndorsementClassFactory(elections=[election])
    assert ("Ballot" not in _failed(klass, candidacy)) is eligible
    strict = EndorsementClassFactory(elections=[election], ballot_rule=BallotRule.ON_BALLOT)
    assert ("Ballot" not in _failed(strict, candidacy)) is (status == Candidacy.Status.QUALIFIED)


def test_an_election_outside_the_class(candidacy):
    klass = EndorsementClassFactory(elections=[ElectionFactory()])
    assert "Election" in _failed(klass, candidacy)


def _apply(klass, candidacy, *, by=None, at=None, answers=None, **application):
    return apply_for_endorsement(
        endorsement_class=klass,
        candidate=candidacy.candidate,
        office=candidacy.office,
        election=candidacy.election,
        race={"status": candidacy.status},
        application={"story": "Mine.", **application},
        answers=answers or {},
        by=by,
        at=at,
    )


def test_a_late_application_is_refused_with_the_reason_and_leaves_nothing(election):
    candidacy = CandidacyFactory.build(
        candidate=CandidacyFactory().candidate, office=OfficeFactory(), election=election
    )
    klass = EndorsementClassFactory(elections=[election])
    with pytest.raises(ApplicationRefused) as refused:
        _apply(klass, candidacy, at=klass.deadline + dt.timedelta(minutes=1))
    assert refused.value.reasons[0].startswith("Deadline: Applications close")
    assert not Candidacy.objects.filter(office=candidacy.office).exists()
    assert not Application.objects.exists()


def test_every_question_must_be_answered(election, candidacy):
    question = QuestionFactory(endorsement_class=EndorsementClassFactory(elections=[election]))
    with pytest.raises(ApplicationRefused) as refused:
        _apply(question.endorsement_class, candidacy, answers={question.pk: "  "})
    assert refused.value.reasons == [f"Answer: {question.text}"]
    made = _apply(question.endorsement_class, candidacy, answers={question.pk: "Because."})
    assert made.answers.get().text == "Because."
    assert made.checks.count() == 4


def test_reapplying_after_a_decline_as_the_class_says(election, candidacy):
    klass = EndorsementClassFactory(elections=[election])
    first = _apply(klass, candidacy)
    with pytest.raises(ApplicationRefused, match="already an application"):
        _apply(klass, candidacy)
    Application.objects.filter(pk=first.pk).update(status=Application.Status.NOT_ENDORSED)
    assert _apply(klass, candidacy).pk != first.pk
    strict = EndorsementClassFactory(elections=[election], reapply_after_decline=False)
    declined = _apply(strict, candidacy)
    Application.objects.filter(pk=declined.pk).update(status=Application.Status.NOT_ENDORSED)
    with pytest.raises(ApplicationRefused, match="second application after a decline"):
        _apply(strict, candidacy)
