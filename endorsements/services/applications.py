"""Applying for an endorsement: the class's eligibility rules, checked with reasons, and the
application with its answers and its 30-day answer promise (a FUNDING help request)."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

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
    """The application cannot be taken; `reasons` say why, one per rule, in the language of
    the page that sent it (they are shown, never stored)."""

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
    return _("%(day)s at %(time)s") % {"day": _day(local), "time": f"{local:%H:%M %Z}"}


def _day(day: date) -> str:
    """The day as "Nov 3, 2026", its month named in the page's language."""
    return _("%(month)s %(day)s, %(year)s") % {
        "month": date_format(day, "M"),
        "day": day.day,
        "year": day.year,
    }


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
    covered = ", ".join(str(e) for e in klass.elections.all()) or _("no election yet")
    findings = [
        Finding(
            _("Deadline"),
            at <= klass.deadline,
            _("Applications close %(time)s.") % {"time": org_time(klass.deadline)},
        ),
        Finding(
            _("Election"),
            klass.elections.filter(pk=election.pk).exists(),
            _("%(class)s covers %(elections)s.") % {"class": klass, "elections": covered},
        ),
    ]
    findings += _age_findings(klass, election, date_of_birth or None, candidate.birth_year)
    if klass.max_run_number:
        run = runs_before(candidate=candidate, election=election, declared=previous_runs) + 1
        findings.append(
            Finding(
                _("Runs"),
                run <= klass.max_run_number,
                _("This would be run number %(run)s; the class takes up to run number %(max)s.")
                % {"run": run, "max": klass.max_run_number},
            )
        )
    if klass.office_levels:
        levels = ", ".join(OfficeLevel(level).label.lower() for level in klass.office_levels)
        findings.append(
            Finding(
                _("Office"),
                office.level in klass.office_levels,
                _("The class takes: %(levels)s.") % {"levels": levels},
            )
        )
    findings += _ballot_findings(klass, candidacy)
    return findings


def _age_findings(klass, election, born: date | None, birth_year: int | None) -> list[Finding]:
    findings = []
    if klass.born_in_or_after:
        year = born.year if born else birth_year
        findings.append(
            Finding(
                _("Age"),
                year is not None and year >= klass.born_in_or_after,
                (
                    _("The class takes candidates born in %(year)s or later.")
                    if year
                    else _(
                        "The class takes candidates born in %(year)s or later; give your date "
                        "of birth."
                    )
                )
                % {"year": klass.born_in_or_after},
            )
        )
    if klass.max_age_on_election_day is not None:
        age = age_on(election.date, born) if born else None
        findings.append(
            Finding(
                _("Age on election day"),
                age is not None and age <= klass.max_age_on_election_day,
                (
                    _(
                        "The class takes candidates %(max)s or younger on election day "
                        "(%(day)s); you will be %(age)s."
                    )
                    if age is not None
                    else _(
                        "The class takes candidates %(max)s or younger on election day "
                        "(%(day)s); give your date of birth."
                    )
                )
                % {"max": klass.max_age_on_election_day, "day": _day(election.date), "age": age},
            )
        )
    return findings


def _ballot_findings(klass, candidacy: Candidacy) -> list[Finding]:
    if klass.ballot_rule == BallotRule.ON_BALLOT:
        return [
            Finding(_("Ballot"), candidacy.on_ballot, _("You must be qualified for the ballot."))
        ]
    if klass.ballot_rule == BallotRule.BALLOT_OR_COMMITTEE:
        committee = bool(candidacy.committee_id) and candidacy.has_opponent
        return [
            Finding(
                _("Ballot"),
                candidacy.on_ballot or committee,
                _(
                    "You must be qualified for the ballot, or have a committee and an announced "
                    "opponent."
                ),
            )
        ]
    return []


def _refuse_repeat(klass: EndorsementClass, candidacy: Candidacy) -> None:
    earlier = Application.objects.filter(endorsement_class=klass, candidacy=candidacy)
    if earlier.exclude(status=Application.Status.NOT_ENDORSED).exists():
        raise ApplicationRefused(
            [_("There is already an application of this race for this class.")]
        )
    if earlier.exists() and not klass.reapply_after_decline:
        raise ApplicationRefused(
            [_("This class does not take a second application after a decline.")]
        )


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
    if failed := [
        _("%(rule)s: %(why)s") % {"rule": f.rule, "why": f.why} for f in findings if not f.ok
    ]:
        raise ApplicationRefused(failed)
    _refuse_repeat(endorsement_class, candidacy)
    questions = list(endorsement_class.questions.all())
    if missing := [q.text for q in questions if not (answers.get(q.pk) or "").strip()]:
        raise ApplicationRefused([_("Answer: %(question)s") % {"question": q} for q in missing])
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
        raise ApplicationRefused(
            [_("This application was just sent; it is being reviewed.")]
        ) from exc
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
