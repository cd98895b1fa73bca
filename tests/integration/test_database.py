"""How the application's connections to PostgreSQL are set up."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_applications_connections_compile_no_query():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
