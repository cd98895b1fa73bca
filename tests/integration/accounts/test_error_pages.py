import uuid

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_forbidden_page_keeps_the_layout_and_the_persons_menu(client_for, mentor):
    response = client_for(mentor).get(reverse("candidates:list"))

    assert response.status_code == 403
    page = response.content.decode()
    assert "This page is not open to you" in page
    assert "My mentees" in page  # the mentor's own menu, to find their way back


def test_missing_page_keeps_the_layout(client_for, staff):
    response = client_for(staff).get(reverse("candidates:detail", args=[uuid.uuid4()]))

    assert response.status_code == 404
    assert "We cannot find that page" in response.content.decode()
