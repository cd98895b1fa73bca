import pytest

from tests.factories.accounts import UserFactory
from tests.factories.candidates import CandidateFactory
from tests.factories.partners import ContactFactory, PartnerFactory


@pytest.fixture
def partner(db):
    return PartnerFactory(name="Latino Victory Project")


@pytest.fixture
def partner_user(partner):
    """A login at `partner` (its primary contact)."""
    return ContactFactory(partner=partner, name="Lucia Partner").user


@pytest.fixture
def other_partner_user(db):
    """A login at another partner organisation."""
    return ContactFactory(partner=PartnerFactory(name="EMILY's List"), name="Olga Other").user


@pytest.fixture
def candidate(db):
    user = UserFactory(email="ada@example.org", name="Ada Lovelace", role="candidate")
    return CandidateFactory(
        email="ada@example.org", first_name="Ada", last_name="Lovelace", user=user
    )
