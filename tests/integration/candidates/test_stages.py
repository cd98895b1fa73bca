import pytest

from candidates.models import Candidate, Stage, StageChange
from tests.factories.candidates import CandidateFactory


@pytest.fixture
def candidate(db):
    return CandidateFactory()


def _move(client, candidate, to: str, reason: str = "Good call"):
    return client.post(f"/candidates/{candidate.uuid}/stage/", {"to": to, "reason": reason})


def test_allowed_move_writes_history(client_for, staff, candidate):
    response = _move(client_for(staff), candidate, Stage.SCREENED, "Screened at the town hall")
    assert response.status_code == 302
    assert response.url == candidate.get_absolute_url()
    candidate.refresh_from_db()
    assert candidate.stage == Stage.SCREENED
    change = StageChange.objects.filter(candidate=candidate).latest("at")
    assert (change.from_stage, change.to_stage, change.by, change.reason) == (
        Stage.SIGNED_UP,
        Stage.SCREENED,
        staff,
        "Screened at the town hall",
    )


def test_page_offers_only_the_allowed_moves(client_for, staff, candidate):
    form = client_for(staff).get(candidate.get_absolute_url()).context["stage_form"]
    offered = {value for value, _ in form.fields["to"].widget.choices if value}
    # Screening is entered by a volunteer's claim, not from this menu.
    assert offered == {
        Stage.SCREENED,
        Stage.NOT_A_FIT,
        Stage.UNRESPONSIVE,
        Stage.WITHDRAWN,
    }


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (Stage.SIGNED_UP, Stage.ACTIVE),
        (Stage.SCREENED, Stage.SIGNED_UP),
        (Stage.NOT_A_FIT, Stage.ACTIVE),
        (Stage.WON, Stage.SIGNED_UP),
        (Stage.SIGNED_UP, Stage.SIGNED_UP),
    ],
)
def test_refused_move_shows_a_clear_error(client_for, staff, start, to):
    candidate = CandidateFactory(stage=start)
    response = _move(client_for(staff), candidate, to)
    assert response.status_code == 400
    error = response.context["stage_form"].errors["to"][0]
    assert error == (f"A candidate cannot move from {Stage(start).label} to {Stage(to).label}.")
    assert error.replace("'", "&#x27;") in response.content.decode()
    assert Candidate.objects.get(pk=candidate.pk).stage == start
    assert StageChange.objects.filter(candidate=candidate).count() == 1


def test_unknown_stage_is_an_error_not_a_crash(client_for, staff, candidate):
    response = _move(client_for(staff), candidate, "mayor")
    assert response.status_code == 400
    assert response.context["stage_form"].errors["to"]


def test_a_reason_is_required_and_the_choice_is_kept(client_for, staff, candidate):
    response = _move(client_for(staff), candidate, Stage.NOT_A_FIT, reason="")
    assert response.status_code == 400
    form = response.context["stage_form"]
    assert form.errors["reason"]
    assert 'value="not_a_fit" selected' in response.content.decode()
    assert Candidate.objects.get(pk=candidate.pk).stage == Stage.SIGNED_UP


def test_a_race_won_is_not_the_end_of_the_path(client_for, staff):
    candidate = CandidateFactory(stage=Stage.WON)
    form = client_for(staff).get(candidate.get_absolute_url()).context["stage_form"]
    offered = {value for value, _ in form.fields["to"].widget.choices if value}
    # They may run again: active, and a new race's records move them on from there.
    assert offered == {Stage.ACTIVE}


@pytest.mark.parametrize("to", [Stage.ON_BALLOT, Stage.ENDORSED, Stage.WON, Stage.LOST])
def test_the_stages_a_race_sets_are_not_in_the_staff_menu(client_for, staff, to):
    candidate = CandidateFactory(stage=Stage.ACTIVE)
    client = client_for(staff)
    form = client.get(candidate.get_absolute_url()).context["stage_form"]
    assert to not in {value for value, _ in form.fields["to"].widget.choices}
    response = _move(client, candidate, to)
    assert response.status_code == 400
    assert "follows from the candidate&#x27;s races" in response.content.decode()
    assert Candidate.objects.get(pk=candidate.pk).stage == Stage.ACTIVE


def test_stale_page_cannot_move_twice(client_for, staff, candidate):
    client = client_for(staff)
    assert _move(client, candidate, Stage.NOT_A_FIT).status_code == 302
    # A second tab still shows the old menu and posts a move from signed up.
    response = _move(client, candidate, Stage.SCREENED)
    assert response.status_code == 400
    assert "cannot move from Not a fit to Screened" in response.content.decode()
    assert list(
        StageChange.objects.filter(candidate=candidate).values_list("to_stage", flat=True)
    ) == [Stage.SIGNED_UP, Stage.NOT_A_FIT]


def test_staff_cannot_put_someone_in_screening_without_a_claim(client_for, staff, candidate):
    client = client_for(staff)
    assert 'value="screening"' not in client.get(candidate.get_absolute_url()).content.decode()
    response = _move(client, candidate, Stage.SCREENING)
    assert response.status_code == 400
    assert "when a volunteer claims them" in response.content.decode()
    assert Candidate.objects.get(pk=candidate.pk).stage == Stage.SIGNED_UP


def test_a_candidate_held_in_screening_is_moved_through_their_claim(client_for, staff):
    candidate = CandidateFactory(stage=Stage.SCREENING)
    client = client_for(staff)
    page = client.get(candidate.get_absolute_url()).content.decode()
    assert "end the claim in the" in page
    # The screening panel, registered by the screening app, loads on the page itself.
    assert f"/screening/candidates/{candidate.uuid}/panel/" in page
    response = _move(client, candidate, Stage.WITHDRAWN)
    assert response.status_code == 400
    assert Candidate.objects.get(pk=candidate.pk).stage == Stage.SCREENING
