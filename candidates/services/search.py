"""Finding candidates: the staff list's search, filters and sort orders (the CSV export uses
the same ones, so an export holds exactly the rows the list showed)."""

from django.contrib.postgres.search import SearchQuery
from django.db.models import Q, QuerySet

from candidates.models import STAGE_RANK, Candidate

# sort= value: (label, ORDER BY). Each ends on a unique key so pages never overlap.
SORTS: dict[str, tuple] = {
    "-signed_up": ("Newest first", ("-created_at", "-pk")),
    "signed_up": ("Oldest first", ("created_at", "pk")),
    "name": ("Name A-Z", ("last_name", "first_name", "pk")),
    "-name": ("Name Z-A", ("-last_name", "-first_name", "-pk")),
    "state": ("State A-Z", ("state", "-created_at", "-pk")),
    "-state": ("State Z-A", ("-state", "-created_at", "-pk")),
    "stage": ("Stage, earliest first", (STAGE_RANK.asc(), "-created_at", "-pk")),
    # Read backwards, the stage index gives the earliest signups first within each stage.
    "-stage": ("Stage, furthest first", (STAGE_RANK.desc(), "created_at", "pk")),
}
DEFAULT_SORT = "-signed_up"


def prefix_query(text: str) -> SearchQuery | None:
    """A full-text query in which every word typed matches as a prefix: "ali gar" finds
    Alicia Garza. Each word is quoted, so no character typed can break the query syntax."""
    words = [word.replace("\\", "\\\\").replace("'", "''") for word in text.split()]
    if not words:
        return None
    raw = " & ".join(f"'{word}':*" for word in words)
    return SearchQuery(raw, search_type="raw", config="simple")


def search_candidates(queryset: QuerySet[Candidate], text: str) -> QuerySet[Candidate]:
    """Candidates whose names, email, city or office match every word of `text`, or whose
    email starts with it (so a partly typed address is found too)."""
    text = text.replace("\x00", "").strip()
    query = prefix_query(text)
    if query is None:
        return queryset
    condition = Q(search_vector=query)
    if " " not in text:
        condition |= Q(email__startswith=text.lower())
    return queryset.filter(condition)


def filter_candidates(
    *, queryset: QuerySet[Candidate], filters: dict, sort: str = DEFAULT_SORT
) -> QuerySet[Candidate]:
    """Apply the staff list's cleaned filters (q, stage, state, office_level, election_year,
    source, need) and sort order to `queryset`. Empty filters are ignored."""
    if filters.get("q"):
        queryset = search_candidates(queryset, filters["q"])
    for name in ("stage", "state", "office_level", "election_year", "source"):
        if filters.get(name) not in (None, ""):
            queryset = queryset.filter(**{name: filters[name]})
    if filters.get("need"):
        queryset = queryset.filter(needs__contains=[filters["need"]])
    return queryset.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT])[1])
