"""Use-cases of accounts that other apps call."""

from rfs.accounts.models import User


def grant_role(*, user: User, role: str) -> User:
    """Give `user` the role `role`."""
    user.role = role
    user.save(update_fields=["role"])
    return user
