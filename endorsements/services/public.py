"""The public list of endorsements: only what candidates approved for publication, kept in
the cache under a version number that every change bumps."""

from django.core.cache import cache
from django.db import transaction

from endorsements.models import Application
from rfs.redis_guard import guarded

VERSION_KEY = "endorsements:public:version"
CACHED_FOR = 60 * 60


def version() -> int:
    """The current version of the public list (0 when the cache cannot say)."""

    def read() -> int:
        value = cache.get(VERSION_KEY)
        if value is None:
            cache.add(VERSION_KEY, 1, timeout=None)
            value = cache.get(VERSION_KEY) or 1
        return int(value)

    return guarded("endorsements public version", read, fallback=0)


def changed() -> None:
    """Something the public page shows changed: after commit, a new version (the old cached
    list and the browsers' copies stop matching)."""

    def bump() -> None:
        def incr() -> None:
            try:
                cache.incr(VERSION_KEY)
            except ValueError:
                cache.set(VERSION_KEY, 2, timeout=None)

        guarded("endorsements public version", incr, fallback=None)

    transaction.on_commit(bump)


def _rows(*, state: str, cycle: int | None, level: str) -> list[dict]:
    applications = Application.objects.published().select_related(
        "candidacy__candidate", "candidacy__office", "candidacy__election"
    )
    if state:
        applications = applications.filter(candidacy__election__state=state)
    if cycle:
        applications = applications.filter(candidacy__election__cycle=cycle)
    if level:
        applications = applications.filter(candidacy__office__level=level)
    rows, seen = [], set()
    for a in applications.order_by("-candidacy__election__date", "candidacy__candidate__last_name"):
        # One card per person and cycle: the latest race (a general after its primary).
        person = (a.candidacy.candidate_id, a.candidacy.election.cycle)
        if person in seen:
            continue
        seen.add(person)
        # Only the fields the candidate approved for publication, nothing else of the record.
        rows.append(
            {
                "name": a.candidacy.candidate.display_name,
                "office": a.candidacy.office.name,
                "district": a.candidacy.office.district,
                "level": a.candidacy.office.get_level_display(),
                "election": str(a.candidacy.election),
                "cycle": a.candidacy.election.cycle,
                "result": a.candidacy.get_result_display(),
                "story": a.story,
                "campaign_url": a.campaign_url,
            }
        )
    return rows


def published(*, state: str = "", cycle: int | None = None, level: str = "") -> list[dict]:
    """The published endorsements, filtered, from the cache when it has this version."""
    key = f"endorsements:public:{version()}:{state}:{cycle or ''}:{level}"
    rows = guarded("endorsements public list", lambda: cache.get(key), fallback=None)
    if rows is None:
        rows = _rows(state=state, cycle=cycle, level=level)
        guarded("endorsements public list", lambda: cache.set(key, rows, CACHED_FOR), fallback=None)
    return rows


def cycles() -> list[int]:
    return list(
        Application.objects.published()
        .order_by("-candidacy__election__cycle")
        .values_list("candidacy__election__cycle", flat=True)
        .distinct()
    )
