import pytest
from django.urls import reverse

from rfs.notify.models import Notification
from tests.factories.candidates import CandidateFactory

pytestmark = pytest.mark.django_db


def test_login_page_sends_candidates_to_the_portal_code_login(client):
    page = client.get(reverse("account_login"), {"next": "/portal/ask/"}).content.decode()

    assert f'href="{reverse("portal:login")}?next=/portal/ask/"' in page


def test_account_emails_greet_in_the_organisations_name(client):
    candidate = CandidateFactory(email="ada@example.org")
    client.post(reverse("portal:login"), {"email": candidate.email})

    body = Notification.objects.get(to_email="ada@example.org").body_text
    assert body.startswith("Hello from Run for Something,")
    assert "from !" not in body and "using !" not in body
