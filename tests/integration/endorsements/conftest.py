import pytest
from django.contrib.auth.models import Permission

from rfs.accounts.models import Role
from tests.factories.accounts import UserFactory


@pytest.fixture
def decider(staff):
    """Staff with the permission to decide endorsements."""
    staff.user_permissions.add(Permission.objects.get(codename="decide_application"))
    return type(staff).objects.get(pk=staff.pk)


@pytest.fixture
def reviewer(db):
    return UserFactory(email="rita@example.org", name="Rita Reviewer", role=Role.REVIEWER)


@pytest.fixture
def other_reviewer(db):
    return UserFactory(email="rob@example.org", name="Rob Reviewer", role=Role.REVIEWER)
