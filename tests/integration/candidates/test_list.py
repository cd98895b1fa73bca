from datetime import timedelta

import pytest
from django.utils import timezone

from candidates.models import Candidate, Need, OfficeLevel, Source, Stage
from tests.factories.candidates import CandidateFactory

LIST = "/candidates/"


def names(response) -> list[str]:
    return [c.display_name for c in response.context["page"].object_list]


@pytest.fixture
def people(db):
    """Four candidates that differ in every filter the list offers."""
    now = timezone.now()
    ada = CandidateFactory(
        first_name="Ada",
        last_name="Lovelace",
        email="ada.lovelace@example.org",
        city="Springfield",
        state="IL",
        office="Springfield School Board",
        office_level=OfficeLevel.SCHOOL_BOARD,
        election_year=2027,
        source=Source.PRESS,
        needs=[Need.FUNDRAISING],
    )
    grace = CandidateFactory(
        first_name="Grace",
        last_name="Hopper",
        email="ghopper@navy.example.org",
        city="Arlington",
        state="VA",
        office="County Board",
        office_level=OfficeLevel.COUNTY,
        election_year=2028,
        source=Source.FRIEND,
        needs=[Need.TREASURER, Need.FIELD],
        stage=Stage.SCREENING,
    )
    zoe = CandidateFactory(
        first_name="Zoë",
        last_name="Zúñiga",
        email="zoe@example.org",
        city="São Paulo",
        state="PR",
        office="Mayor",
        office_level=OfficeLevel.CITY_COUNCIL,
        election_year=2027,
        source=Source.SOCIAL,
        needs=[],
        stage=Stage.ACTIVE,
    )
    xi = CandidateFactory(
        first_name="李",
        last_name="小龙",
        email="li@example.org",
        city="Oakland",
        state="CA",
        office="City Council",
        office_level=OfficeLevel.CITY_COUNCIL,
        election_year=2028,
        source=Source.PARTNER,
        needs=[Need.POLICY, Need.FUNDRAISING],
    )
    # Signed up one day apart, Ada first.
    for days, person in enumerate([xi, zoe, grace, ada]):
        Candidate.objects.filter(pk=person.pk).update(created_at=now - timedelta(days=days))
    return {"ada": ada, "grace": grace, "zoe": zoe, "xi": xi}


@pytest.fixture
def staff_client(client_for, staff):
    return client_for(staff)


def test_newest_first_by_default(staff_client, people):
    response = staff_client.get(LIST)
    assert response.status_code == 200
    assert names(response) == ["李 小龙", "Zoë Zúñiga", "Grace Hopper", "Ada Lovelace"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lovelace", ["Ada Lovelace"]),
        ("LOVE", ["Ada Lovelace"]),  # the start of a word, any case
        ("ada love", ["Ada Lovelace"]),  # every word must match
        ("spring", ["Ada Lovelace"]),  # city and office
        ("ada.lovelace@example.org", ["Ada Lovelace"]),
        ("ada.lovelace@exa", ["Ada Lovelace"]),  # an email typed partly
        ("ghopper@", ["Grace Hopper"]),
        ("navy", ["Grace Hopper"]),  # a part of an email address
        ("zoë", ["Zoë Zúñiga"]),
        ("são", ["Zoë Zúñiga"]),
        ("小龙", ["李 小龙"]),
        ("council", ["李 小龙"]),
        ("nobody", []),
    ],
)
def test_search_over_name_email_city_and_office(staff_client, people, query, expected):
    response = staff_client.get(LIST, {"q": query})
    assert names(response) == expected


@pytest.mark.parametrize(
    "query",
    [
        "'); DROP TABLE candidates_candidate; --",
        "a & | ! ( ) : * < > '",
        "\\",
        "ada\x00love",
        "x" * 190,
        "<script>alert(1)</script>",
    ],
)
def test_hostile_search_text_is_just_text(staff_client, people, query):
    response = staff_client.get(LIST, {"q": query})
    assert response.status_code == 200
    assert Candidate.objects.count() == 4
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_overlong_search_shows_an_error_and_lists_everyone(staff_client, people):
    response = staff_client.get(LIST, {"q": "x" * 201})
    assert response.status_code == 200
    assert response.context["form"].errors["q"]
    assert len(names(response)) == 4


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"stage": Stage.SCREENING}, ["Grace Hopper"]),
        ({"state": "IL"}, ["Ada Lovelace"]),
        ({"office_level": OfficeLevel.CITY_COUNCIL}, ["李 小龙", "Zoë Zúñiga"]),
        ({"election_year": "2028"}, ["李 小龙", "Grace Hopper"]),
        ({"source": Source.FRIEND}, ["Grace Hopper"]),
        ({"need": Need.FUNDRAISING}, ["李 小龙", "Ada Lovelace"]),
        ({"need": Need.FUNDRAISING, "state": "CA"}, ["李 小龙"]),
        ({"q": "council", "office_level": OfficeLevel.COUNTY}, []),
    ],
)
def test_filters(staff_client, people, filters, expected):
    assert names(staff_client.get(LIST, filters)) == expected


def test_invalid_filter_is_shown_and_not_applied(staff_client, people):
    response = staff_client.get(LIST, {"stage": "mayor", "election_year": "soon", "state": "IL"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "stage" in form.errors
    assert "election_year" in form.errors
    assert names(response) == ["Ada Lovelace"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Grace Hopper", "Ada Lovelace", "Zoë Zúñiga", "李 小龙"]),
        ("-name", ["李 小龙", "Zoë Zúñiga", "Ada Lovelace", "Grace Hopper"]),
        ("state", ["李 小龙", "Ada Lovelace", "Zoë Zúñiga", "Grace Hopper"]),
        ("stage", ["李 小龙", "Ada Lovelace", "Grace Hopper", "Zoë Zúñiga"]),
        ("-stage", ["Zoë Zúñiga", "Grace Hopper", "Ada Lovelace", "李 小龙"]),
        ("signed_up", ["Ada Lovelace", "Grace Hopper", "Zoë Zúñiga", "李 小龙"]),
        ("nonsense", ["李 小龙", "Zoë Zúñiga", "Grace Hopper", "Ada Lovelace"]),
    ],
)
def test_sortable_columns(staff_client, people, sort, expected):
    assert names(staff_client.get(LIST, {"sort": sort})) == expected


def test_column_headings_link_to_their_sort_and_keep_the_filters(staff_client, people):
    response = staff_client.get(LIST, {"sort": "name", "state": "IL", "page": "1"})
    html = response.content.decode()
    # Sorted by name ascending: the heading says so and its link reverses the order.
    assert 'aria-sort="ascending"' in html
    assert 'href="?sort=-name&amp;state=IL"' in html or 'href="?state=IL&amp;sort=-name"' in html
    assert "page=1&amp;sort" not in html


def test_pages(staff_client, people, settings):
    settings.RFS_CANDIDATES_PER_PAGE = 3
    first = staff_client.get(LIST, {"sort": "signed_up"})
    second = staff_client.get(LIST, {"sort": "signed_up", "page": 2})
    assert names(first) == ["Ada Lovelace", "Grace Hopper", "Zoë Zúñiga"]
    assert names(second) == ["李 小龙"]
    assert "Page 1 of 2" in first.content.decode()
    # A page past the end shows the last one rather than an error.
    assert names(staff_client.get(LIST, {"sort": "signed_up", "page": 99})) == ["李 小龙"]


def test_query_count_does_not_grow_with_rows(
    staff_client, people, screener, django_assert_num_queries
):
    staff_client.get(LIST)  # the first request of a session also stores when it was seen
    # The user, the count, and one page of candidates with their screener.
    with django_assert_num_queries(3):
        response = staff_client.get(LIST, {"q": "a", "need": Need.FUNDRAISING})
        assert response.status_code == 200
    CandidateFactory.create_batch(20, owner=screener)
    with django_assert_num_queries(3):
        response = staff_client.get(LIST)
    assert "Bob Screener" in response.content.decode()


def test_html_in_names_is_escaped(staff_client, db):
    CandidateFactory(
        first_name="<script>alert('x')</script>",
        last_name='"><img src=x onerror=alert(1)>',
        city="<b>Bold</b>",
        office="<iframe src=//evil>",
    )
    html = staff_client.get(LIST).content.decode()
    assert "<script>alert(" not in html
    assert "<img src=x" not in html
    assert "<b>Bold</b>" not in html
    assert "<iframe" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_staff_navigation_has_candidates(staff_client, db):
    html = staff_client.get(LIST).content.decode()
    assert 'aria-current="page"' in html
    assert f'href="{LIST}">Candidates</a>' in html
