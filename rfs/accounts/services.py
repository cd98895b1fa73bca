"""Use-cases on accounts."""

from django.db import transaction

from rfs.accounts.models import User


@transaction.atomic
def grant_role(*, user: User, role: str) -> None:
    """Give `user` the role `role`."""
    user.role = role
    user.save(update_fields=["role"])
