import re

import pytest
from django.urls import reverse

from tests.factories.mentors import MentorFactory

pytestmark = pytest.mark.django_db


def state_boxes(page: str) -> dict[str, bool]:
    """Each state's checkbox on the page: ticked or not."""
    boxes = re.findall(r'<input type="checkbox"[^>]*name="states"[^>]*>', page)
    return {re.search(r'value="(\w+)"', box)[1]: "checked" in box for box in boxes}


def test_states_are_checkboxes_that_show_the_mentors_states_ticked(client_for):
    mentor = MentorFactory(states=["OH", "PA"])

    page = client_for(mentor.user).get(reverse("mentors:profile_edit")).content.decode()

    boxes = state_boxes(page)
    assert len(boxes) > 50  # every state and territory, one box each
    assert [code for code, ticked in boxes.items() if ticked] == ["OH", "PA"]
