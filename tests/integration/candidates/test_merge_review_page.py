import re

import pytest
from django.urls import reverse

from tests.integration.candidates.test_merge_review import waiting_submission

pytestmark = pytest.mark.django_db


def test_keep_choices_are_styled_radios_beside_their_labels(client_for, staff):
    waiting_submission()

    page = client_for(staff).get(reverse("candidates:merge_review")).content.decode()

    radios = re.findall(r'<input type="radio" name="[^"]*-keep"[^>]*>', page)
    assert len(radios) == 2
    assert all('class="form-check-input"' in radio for radio in radios)
