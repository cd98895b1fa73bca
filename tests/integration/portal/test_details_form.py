import pytest
from django.urls import reverse

from tests.factories.accounts import UserFactory
from tests.factories.candidates import CandidateFactory

pytestmark = pytest.mark.django_db


def test_details_form_asks_city_state_zip_in_the_signup_forms_order(client_for):
    user = UserFactory(email="ada@example.org", role="candidate")
    CandidateFactory(email="ada@example.org", user=user)

    page = client_for(user).get(reverse("portal:details")).content.decode()

    assert page.index('id="id_city"') < page.index('id="id_state"') < page.index('id="id_zip_code"')
