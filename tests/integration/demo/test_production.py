import io

import pytest
from django.core.management import CommandError, call_command

from rfs.accounts.models import User


def test_seed_demo_is_refused_in_production_and_writes_nothing(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never runs with DJANGO_ENV=production"):
        call_command("seed_demo", candidates=10, stdout=io.StringIO())
    assert not User.objects.exists()
