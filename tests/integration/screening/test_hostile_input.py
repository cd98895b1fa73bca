"""Whatever a screener or staff member types or puts in a URL, a screening page answers with a
message beside the field, never a server error."""

import pytest
from django.urls import reverse

from screening.models import ScheduledCall
from screening.services import claims
from tests.factories.screening import ScreeningCallFactory, waiting_candidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def claimed(screener):
    candidate = waiting_candidate()
    claims.claim_candidate(candidate=candidate, screener=screener)
    return candidate


@pytest.mark.parametrize(
    "typed",
    [
        "next tuesday",  # a browser without a date-time picker sends what was typed
        "2025-13-45T99:99",
        "\x00",
        "10000-01-01T00:00",
    ],
)
def test_a_time_that_is_no_time_is_an_error_beside_the_field(client_for, screener, claimed, typed):
    response = client_for(screener).post(
        reverse("screening:schedule", args=[claimed.uuid]),
        {"starts_local": typed, "zone": "candidate"},
    )

    assert response.status_code == 400
    assert response.context["schedule_form"].errors["starts_local"]
    assert not ScheduledCall.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("9999-12-31T23:59", "Choose a time within the next"),
        ("0001-01-01T00:00", "Choose a time in the future."),
    ],
)
@pytest.mark.parametrize("zone", ["candidate", "screener"])
def test_a_time_at_the_ends_of_the_calendar_is_refused_not_a_crash(
    client_for, screener, claimed, typed, message, zone
):
    # A zone east of UTC pushes year 1 before the calendar's start; west, year 9999 past its end.
    screener.time_zone = "Asia/Tokyo"
    screener.save()

    response = client_for(screener).post(
        reverse("screening:schedule", args=[claimed.uuid]), {"starts_local": typed, "zone": zone}
    )

    assert response.status_code == 400
    assert message in response.context["schedule_form"].errors["starts_local"][0]
    assert not ScheduledCall.objects.exists()


@pytest.mark.parametrize("name", ["screening:calls", "screening:calls_export", "screening:hours"])
@pytest.mark.parametrize(
    "period",
    [
        {"end": "9999-12-31"},
        {"start": "0001-01-01", "end": "9999-12-31"},
        {"start": "9999-12-31"},
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_an_error_not_a_crash(
    client_for, staff, name, period
):
    ScreeningCallFactory()

    response = client_for(staff).get(reverse(name), period)

    # The list and the report show the error beside the field; the export sends staff back.
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert response.context["form"].errors
