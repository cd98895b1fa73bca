import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from candidates.models import CandidateImport

pytestmark = pytest.mark.django_db


def test_mapping_page_names_fields_as_the_signup_form_does(client_for, staff):
    client = client_for(staff)
    content = b"First Name,Last Name,E-mail,ZIP\nAda,Lovelace,ada@example.org,20001\n"
    client.post("/candidates/import/", {"file": SimpleUploadedFile("one.csv", content, "text/csv")})

    page = client.get(CandidateImport.objects.get().get_absolute_url()).content.decode()

    assert "ZIP code" in page and "LGBTQ+" in page
    assert "Zip code" not in page and "Lgbtq+" not in page
    assert "Import 1 row<" in page
