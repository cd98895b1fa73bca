"""Applying for an endorsement: the class's eligibility rules, checked with reasons, and the
application with its answers and its 30-day answer promise (a FUNDING help request)."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from candidates.models import Candidate, OfficeLevel
from candidates.services.help_requests import open_request
from endorsements.apps import FUNDING
from endorsements.models import (
    Answer,
    Application,
    BackgroundCheck,
    BallotRule,
    Candidacy,
    Election,
    EndorsementClass,
    Office,
)
from endorsements.services import races
from rfs.notify import services as outbox

# The statuses of an earlier race that count as a run.
RAN = (Candidacy.Status.FILED, Candidacy.Status.QUALIFIED, Candidacy.Status.WRITE_IN)


class ApplicationRefused(Exception):
    """The application cannot be taken; `reasons` say why, one per rule."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class Finding:
    rule: str
    ok: bool
    why: str


def org_time(moment: datetime) -> str:
    local = moment.astimezone(ZoneInfo(settings.RFS_TIME_ZONE))
    return f"{local:%b} {local.day}, {local:%Y} at {local:%H:%M %Z}"


def age_on(day: date, born: date) -> int:
    """Whole years from `born` to `day` (a birthday on the day counts)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def runs_before(*, candidate: Candidate, election: Election, declared: int = 0) -> int:
    """How many times the candidate ran before this election's cycle: what they told us, or
    the races we know of, whichever is more (a primary and its general are one run)."""
    known = (
        Candidacy.objects.filter(
            candidate=candidate, election__cycle__lt=election.cycle, status__in=RAN
        )
        .values("office", "election__cycle")
        .distinct()
        .count()
    )
    return max(known, declared)


def check_eligibility(
    *,
    endorsement_class: EndorsementClass,
    candidacy: Candidacy,
    date_of_birth: date | None,
    previous_runs: int,
    at: datetime,
) -> list[Finding]:
    """Every rule of the class against this application, each with its reason."""
    election, office, candidate = candidacy.election, candidacy.office, candidacy.candidate
    klass = endorsement_class
    covered = ", ".join(str(e) for e in klass.elections.all()) or "no election yet"
    findings = [
        Finding(
            "Deadline",
            at <= klass.deadline,
            f"Applications close {org_time(klass.deadline)}.",
        ),
        Finding(
            "Election",
            klass.elections.filter(pk=election.pk).exists(),
            f"{klass} covers {covered}.",
        ),
    ]
    findings += _age_findings(klass, election, date_of_birth or None, candidate.birth_year)
    if klass.max_run_number:
        run = runs_before(candidate=candidate, election=election, declared=previous_runs) + 1
        findings.append(
            Finding(
                "Runs",
                run <= klass.max_run_number,
                f"This would be run number {run}; the class takes up to run "
                f"number {klass.max_run_number}.",
            )
        )
    if klass.office_levels:
        levels = ", ".join(OfficeLevel(level).label.lower() for level in klass.office_levels)
        findings.append(
            Finding("Office", office.level in klass.office_levels, f"The class takes: {levels}.")
        )
    findings += _ballot_findings(klass, candidacy)
    return findings


def _age_findings(klass, election, born: date | None, birth_year: int | None) -> list[Finding]:
    findings = []
    if klass.born_in_or_after:
        year = born.year if born else birth_year
        findings.append(
            Finding(
                "Age",
                year is not None and year >= klass.born_in_or_after,
                f"The class takes candidates born in {klass.born_in_or_after} or later"
                + ("." if year else "; give your date of birth."),
            )
        )
    if klass.max_age_on_election_day is not None:
        age = age_on(election.date, born) if born else None
        findings.append(
            Finding(
                "Age on election day",
                age is not None and age <= klass.max_age_on_election_day,
                f"The class takes candidates {klass.max_age_on_election_day} or younger on "
                f"election day ({election.date:%b} {election.date.day}, {election.date:%Y})"
                + (f"; you will be {age}." if age is not None else "; give your date of birth."),
            )
        )
    return findings


def _ballot_findings(klass, candidacy: Candidacy) -> list[Finding]:
    if klass.ballot_rule == BallotRule.ON_BALLOT:
        return [Finding("Ballot", candidacy.on_ballot, "You must be qualified for the ballot.")]
    if klass.ballot_rule == BallotRule.BALLOT_OR_COMMITTEE:
        committee = bool(candidacy.committee_id) and candidacy.has_opponent
        return [
            Finding(
                "Ballot",
                candidacy.on_ballot or committee,
                "You must be qualified for the ballot, or have a committee and an announced "
                "opponent.",
            )
        ]
    return []


def _refuse_repeat(klass: EndorsementClass, candidacy: Candidacy) -> None:
    earlier = Application.objects.filter(endorsement_class=klass, candidacy=candidacy)
    if earlier.exclude(status=Application.Status.NOT_ENDORSED).exists():
        raise ApplicationRefused(["There is already an application of this race for this class."])
    if earlier.exists() and not klass.reapply_after_decline:
        raise ApplicationRefused(["This class does not take a second application after a decline."])


@transaction.atomic
def apply_for_endorsement(
    *,
    endorsement_class: EndorsementClass,
    candidate: Candidate,
    office: Office,
    election: Election,
    race: dict,
    application: dict,
    answers: dict[int, str],
    by,
    at=None,
) -> Application:
    """Take an application (from the candidate, or staff on their behalf) for one race:
    `race` updates the candidacy (status, incumbent, committee_id, has_opponent);
    `application` holds date_of_birth, previous_runs, story, campaign_url, publish_consent.
    Refused, with every failing rule's reason, when late, ineligible or a repeat; otherwise
    the 30-day answer is opened and the candidate gets a receipt."""
    at = at or timezone.now()
    # One candidate's applications one at a time, so a double submit sees the first one.
    Candidate.objects.select_for_update().values("pk").get(pk=candidate.pk)
    candidacy = races.find_or_add_candidacy(
        candidate=candidate, office=office, election=election, details=race, by=by
    )
    findings = check_eligibility(
        endorsement_class=endorsement_class,
        candidacy=candidacy,
        date_of_birth=application.get("date_of_birth"),
        previous_runs=application.get("previous_runs") or 0,
        at=at,
    )
    if failed := [f"{f.rule}: {f.why}" for f in findings if not f.ok]:
        raise ApplicationRefused(failed)
    _refuse_repeat(endorsement_class, candidacy)
    questions = list(endorsement_class.questions.all())
    if missing := [q.text for q in questions if not (answers.get(q.pk) or "").strip()]:
        raise ApplicationRefused([f"Answer: {text}" for text in missing])
    try:
        with transaction.atomic():
            made = Application.objects.create(
                candidacy=candidacy,
                endorsement_class=endorsement_class,
                submitted_at=at,
                submitted_by=by,
                **application,
            )
    except IntegrityError as exc:
        raise ApplicationRefused(["This application was just sent; it is being reviewed."]) from exc
    Answer.objects.bulk_create(
        Answer(application=made, question=q, text=answers[q.pk].strip()) for q in questions
    )
    BackgroundCheck.objects.bulk_create(
        BackgroundCheck(application=made, kind=kind) for kind in BackgroundCheck.Kind.values
    )
    made.help_request = open_request(
        candidate=candidate,
        kind=FUNDING,
        subject=f"Endorsement: {endorsement_class}"[:200],
        at=at,
    )
    made.save(update_fields=["help_request"])
    outbox.record(
        key=f"endorsement:received:{made.pk}",
        **candidate.recipient,
        template="endorsement_received",
        context={
            "name": candidate.greeting_name,
            "class_name": str(endorsement_class),
            "race": f"{office} ({election})",
        },
        ref=candidate.ref,
    )
    return made
