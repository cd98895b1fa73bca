import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidates import request_kinds
from candidates.models import Stage, StageChange
from candidates.services.help_requests import open_request
from candidates.services.pipeline import move_stage
from screening.models import Claim
from tests.factories.candidates import CandidateFactory
from tests.factories.mentors import StateLeadFactory
from tests.factories.screening import ScreenerFactory, ScreeningCallFactory

URL = reverse("dashboard:index")
LIST_URL = reverse("dashboard:list")


def grow(count: int, *, state: str = "DC") -> None:
    """`count` candidates who signed up this month, moved on, were called, asked and claimed."""
    screener = ScreenerFactory()
    now = timezone.now()
    for i in range(count):
        candidate = CandidateFactory(state=state)
        open_request(
            candidate=candidate, kind=request_kinds.FIRST_CONTACT, at=now - timedelta(days=3)
        )
        move_stage(candidate=candidate, to=Stage.SCREENING, at=now - timedelta(hours=20 - i))
        ScreeningCallFactory(candidate=candidate, screener=screener)
        Claim.objects.create(candidate=candidate, screener=screener, claimed_at=now)


def dashboard_queries(client, period: str = "30") -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"period": period})
    assert response.status_code == 200
    return len(queries)


# The user; the reporting transaction (a savepoint inside the test's) and its settings; one
# query per figure: the funnel's counts (the daily counts) and stays, signups, screening,
# response times (per kind, per week), the map, today's work, the partners' table; the
# savepoint's release; follow-through per week and per screener, and trainings.
DASHBOARD_QUERIES = 16
PERIODS = ["7", "30", "90", "cycle"]


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_data(client_for, staff):
    client = client_for(staff)
    client.get(URL)  # the session's first request writes it; later ones only read it
    grow(2)
    small = dashboard_queries(client)
    grow(25, state="TX")
    StateLeadFactory(state="TX")
    StateLeadFactory(state="OH")
    assert dashboard_queries(client) == small
    filtered = client.get(URL, {"period": "cycle", "state": "TX", "source": "press"})
    assert filtered.status_code == 200


@pytest.mark.django_db
def test_every_period_takes_the_same_pinned_number_of_queries_at_any_size(client_for, staff):
    client = client_for(staff)
    client.get(URL)
    grow(2)
    assert [dashboard_queries(client, period) for period in PERIODS] == [DASHBOARD_QUERIES] * 4
    grow(30, state="TX")
    assert [dashboard_queries(client, period) for period in PERIODS] == [DASHBOARD_QUERIES] * 4


@pytest.mark.django_db
def test_anonymous_visitors_go_to_the_login_page(client):
    for url in (URL, LIST_URL + "?show=waiting"):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["screener", "mentor", "outsider"])
def test_other_roles_get_403(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.get(LIST_URL, {"show": "waiting"}).status_code == 403


@pytest.mark.django_db
def test_staff_see_the_figures_with_charts_and_their_text_alternatives(client_for, staff):
    grow(3)
    response = client_for(staff).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    # Each chart is a group named by its title (its bars and squares are links inside it).
    charts = re.findall(r'<svg class="chart[^>]*role="group"\s+aria-labelledby="([^"]+)"', html)
    assert len(charts) >= 7
    assert all(f'<title id="{label}">' in html for label in charts)
    assert "<title" in html
    assert "Show the numbers as a table" in html
    assert 'style="' not in html
    assert "<script>" not in html
    # Map squares open the candidate list for their state.
    assert 'href="/candidates/?state=TX"' in html
    assert response.context["figures"]["signups"].value == 3
    assert response.context["figures"]["open_claims"].value == 3


@pytest.mark.django_db
def test_every_table_downloads_as_csv(client_for, staff):
    grow(2)
    client = client_for(staff)
    tables = client.get(URL).context["tables"]
    assert set(tables) >= {"funnel", "signups", "screening", "first_contact", "kinds", "states"}
    for name, table in tables.items():
        response = client.get(URL + table.csv_url)
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0] == table.headers
        assert len(rows) == len(table.rows) + 1
    funnel = client.get(URL + tables["funnel"].csv_url).content.decode()
    assert list(csv.reader(io.StringIO(funnel)))[1][:2] == ["signed_up", "2"]


@pytest.mark.django_db
def test_unknown_csv_table_is_404(client_for, staff):
    assert client_for(staff).get(URL, {"format": "csv", "table": "nope"}).status_code == 404


@pytest.mark.django_db
def test_bad_input_shows_errors_not_500(client_for, staff):
    client = client_for(staff)
    response = client.get(
        URL, {"period": "custom", "start": "yesterday", "end": "2026-01-01", "state": "ZZ"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["period"].days == 30
    assert client.get(LIST_URL, {"show": "reached", "start": "x"}).status_code == 400
    assert client.get(LIST_URL, {"show": "nonsense"}).status_code == 400


@pytest.mark.django_db
def test_the_lists_behind_the_figures_hold_the_figures(client_for, staff):
    grow(3)
    CandidateFactory(state="TX")
    client = client_for(staff)
    context = client.get(URL, {"period": "7"}).context
    figures = context["figures"]
    for key in ("signups", "waiting", "open_claims"):
        response = client.get(figures[key].href)
        assert response.status_code == 200, key
        assert response.context["page"].paginator.count == figures[key].value, key
    funnel_row = context["tables"]["funnel"].rows[1]  # screening
    response = client.get(funnel_row[1].href)
    assert response.context["page"].paginator.count == funnel_row[1].value == 3


@pytest.mark.django_db
def test_list_pages_use_a_fixed_number_of_queries(client_for, staff, django_assert_max_num_queries):
    grow(4)
    client = client_for(staff)
    today = timezone.localdate().isoformat()
    for params in (
        {"show": "signups", "start": today, "end": today},
        {"show": "reached", "stage": "screening", "start": today, "end": today},
        {"show": "requests", "start": "2020-01-01", "end": today, "kind": "first_contact"},
        {"show": "waiting"},
        {"show": "claims"},
    ):
        with django_assert_max_num_queries(6):
            assert client.get(LIST_URL, params).status_code == 200


@pytest.mark.django_db
def test_the_funnel_reads_the_history_not_the_current_stage(client_for, staff):
    candidate = CandidateFactory()
    move_stage(candidate=candidate, to=Stage.SCREENING)
    move_stage(candidate=candidate, to=Stage.SIGNED_UP, reason="Claim released")
    assert StageChange.objects.filter(candidate=candidate).count() == 3
    table = client_for(staff).get(URL).context["tables"]["funnel"]
    funnel = {row[0].value: row for row in table.rows}
    assert funnel["signed_up"][1].value == 1
    assert funnel["screening"][1].value == 1
