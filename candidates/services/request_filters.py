"""The request list's filters and their counts: whose requests, which kind, which state, and
a search by candidate. Every condition is one of the rules on the request model (overdue,
due soon, waiting on the candidate ...), so the list counts exactly what the sweep and the
figures count."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q

from candidates import request_kinds
from candidates.models import (
    Candidate,
    HelpRequest,
    HelpRequestQuerySet,
    due_soon,
    opened_today,
    overdue,
    owned_by,
    staff_pool,
    waiting_on_candidate,
)
from candidates.services.search import search_candidates

# Whose requests the list shows, besides one given owner.
WHOSE = {
    "pool_mine": "Staff pool and mine",
    "mine": "Mine",
    "pool": "Staff pool",
    "all": "Everyone's",
}
STAFF_DEFAULT_WHOSE = "pool_mine"
# Every kind but first contacts: those are the screeners' work, and a new organisation's
# hundreds of them would bury the questions staff answer (the staff's default view).
NOT_FIRST_CONTACT = f"-{request_kinds.FIRST_CONTACT}"
STAFF_DEFAULTS = {"whose": STAFF_DEFAULT_WHOSE, "kind": NOT_FIRST_CONTACT}
STATES = {
    "overdue": "Overdue",
    "due_soon": "Due soon",
    "waiting": "Waiting on the candidate",
    "new_today": "New today",
}


@dataclass
class RequestList:
    # The open requests the filters chose, due soonest first.
    requests: HelpRequestQuerySet
    total: int
    # {field: {value: how many requests choosing it would show}}, the other filters kept.
    counts: dict[str, dict[str, int]]
    # (value, name, count) of each person or team holding open requests (staff only).
    owners: list[tuple[str, str, int]]
    # {team: name} of the teams among them.
    team_names: dict[str, str]


STAFF_POOL = "Staff pool"


def name_owners(help_requests, *, team_names: dict[str, str] | None = None) -> None:
    """Set `owner_name` on each request: its person, its team as the team's app names it
    (looked up unless `team_names` are given), or the staff pool."""
    if team_names is None:
        team_names = request_kinds.team_names(
            sorted({item.team for item in help_requests if item.team and not item.owner_id})
        )
    for item in help_requests:
        if item.owner_id:
            item.owner_name = str(item.owner)
        else:
            item.owner_name = team_names.get(item.team, item.team) or STAFF_POOL


def whose_condition(whose: str, *, user) -> Q:
    """Whose requests: the staff pool and mine, mine, the pool, everyone's, or one owner as
    stored ("user:<id>" or the team)."""
    if whose == "pool_mine":
        return staff_pool() | owned_by(user)
    if whose == "mine":
        return owned_by(user)
    if whose == "pool":
        return staff_pool()
    if whose in ("all", ""):
        return Q()
    if whose.startswith("user:"):
        return Q(owner_id=int(whose.removeprefix("user:")))
    return Q(team=whose)


def kind_condition(kind: str) -> Q:
    """One kind, every kind but one ("-<kind>"), or every kind ("")."""
    if kind.startswith("-"):
        return ~Q(kind=kind[1:])
    return Q(kind=kind) if kind else Q()


def state_condition(state: str, *, now) -> Q:
    if state == "overdue":
        return overdue(now)
    if state == "due_soon":
        return due_soon(now, share=settings.RFS_REQUEST_REMINDER_SHARE)
    if state == "waiting":
        return waiting_on_candidate()
    if state == "new_today":
        return opened_today(now)
    return Q()


def _count(condition: Q) -> Count:
    return Count("pk", filter=condition) if condition else Count("pk")


def _open_requests(*, user, text: str) -> HelpRequestQuerySet:
    requests = HelpRequest.objects.visible_to(user).unresolved()
    if text:
        requests = requests.of_candidates(search_candidates(Candidate.objects.all(), text))
    return requests


def _facet_counts(
    requests: HelpRequestQuerySet, chosen: dict[str, Q], options: dict[str, dict[str, Q]]
) -> dict[str, dict[str, int]]:
    """In one query, for each field and each of its values, the requests shown if that value
    were chosen and the other fields kept as they are."""
    aggregates, keys = {}, {}
    for field, values in options.items():
        others = Q()
        for other, condition in chosen.items():
            if other != field:
                others &= condition
        for value, condition in values.items():
            alias = f"n{len(aggregates)}"
            aggregates[alias] = _count(others & condition)
            keys[alias] = (field, value)
    counts: dict[str, dict[str, int]] = {field: {} for field in options}
    for alias, number in requests.aggregate(**aggregates).items():
        field, value = keys[alias]
        counts[field][value] = number
    return counts


def _owners(
    requests: HelpRequestQuerySet, condition: Q, chosen: str
) -> tuple[list[tuple[str, str, int]], dict[str, str]]:
    """Each person and team holding open requests, with how many the other filters keep."""
    rows = list(
        requests.exclude(staff_pool())
        .values("owner_id", "owner__name", "owner__email", "team")
        .annotate(number=_count(condition))
        .order_by()
    )
    names = request_kinds.team_names(sorted({row["team"] for row in rows if row["team"]}))
    owners = []
    for row in rows:
        if row["owner_id"]:
            value, name = f"user:{row['owner_id']}", row["owner__name"] or row["owner__email"]
        else:
            value, name = row["team"], names.get(row["team"], row["team"])
        owners.append((value, name, row["number"]))
    owners.sort(key=lambda owner: owner[1].lower())
    if chosen not in WHOSE and chosen not in {value for value, _, _ in owners}:
        owners.append((chosen, "The chosen owner", 0))
    return owners, names


def request_list(*, user, filters: dict, now, staff: bool) -> RequestList:
    """The open requests `user` may see, narrowed by the list's cleaned `filters` (q, whose,
    kind, state), with the count beside every choice."""
    requests = _open_requests(user=user, text=filters.get("q", ""))
    kind, state = filters.get("kind", ""), filters.get("state", "")
    chosen = {
        "kind": kind_condition(kind),
        "state": state_condition(state, now=now),
    }
    options = {
        "kind": {
            key: kind_condition(key)
            for key in ["", NOT_FIRST_CONTACT, *(name for name, _ in request_kinds.choices())]
        },
        "state": {"": Q(), **{key: state_condition(key, now=now) for key in STATES}},
    }
    owners: list[tuple[str, str, int]] = []
    names: dict[str, str] = {}
    if staff:
        whose = filters.get("whose", "")
        chosen["whose"] = whose_condition(whose, user=user)
        options["whose"] = {key: whose_condition(key, user=user) for key in WHOSE}
        owners, names = _owners(requests, chosen["kind"] & chosen["state"], whose)
    options["all"] = {"": Q()}
    counts = _facet_counts(requests, chosen, options)
    selected = Q()
    for condition in chosen.values():
        selected &= condition
    return RequestList(
        requests=requests.filter(selected)
        .with_overdue(now)
        .select_related("candidate", "owner")
        .order_by("due_at", "pk"),
        total=counts.pop("all")[""],
        counts=counts,
        owners=owners,
        team_names=names,
    )
