"""Use-cases of accounts that other apps call."""

from django.db import transaction
from django.http import HttpRequest

from rfs.accounts.events import Kind, record_event
from rfs.accounts.models import Role, User, in_role_order


@transaction.atomic
def grant_role(
    *, user: User, role: str, by: User | None = None, request: HttpRequest | None = None
) -> User:
    """Add `role` to the roles `user` holds (nothing happens when they hold it already). The
    change goes to the security log."""
    return set_roles(user=user, roles=[*user.roles, role], by=by, request=request)


@transaction.atomic
def revoke_role(
    *, user: User, role: str, by: User | None = None, request: HttpRequest | None = None
) -> User:
    """Take `role` from `user` (nothing happens when they do not hold it); the change goes to
    the security log."""
    return set_roles(user=user, roles=[r for r in user.roles if r != role], by=by, request=request)


@transaction.atomic
def withdraw_role(*, user: User, role: str, by: User | None = None) -> User:
    """Take `role` from `user` because what it was for has ended (a volunteer deactivated, a
    partner contact removed): the login keeps its other roles, and is closed when none is
    left."""
    revoke_role(user=user, role=role, by=by)
    if not user.roles:
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
    return user


@transaction.atomic
def set_roles(
    *, user: User, roles: list[str], by: User | None = None, request: HttpRequest | None = None
) -> User:
    """Make `roles` the roles `user` holds, recording the change in the security log."""
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValueError(f"Unknown roles: {', '.join(sorted(unknown))}")
    locked = User.objects.select_for_update().get(pk=user.pk)
    before, after = in_role_order(locked.roles), in_role_order(roles)
    if before == after:
        user.roles = before
        return user
    locked.roles = after
    locked.save(update_fields=["roles"])
    user.roles = after
    record_event(
        kind=Kind.ROLE_CHANGED,
        actor=by,
        subject_label=user.email,
        detail=describe_change(before, after),
        request=request,
    )
    return user


def describe_change(before: list[str], after: list[str]) -> str:
    """What a role change did, in words: "Roles: added Mentor; removed Candidate"."""
    added = [Role(r).label for r in after if r not in before]
    removed = [Role(r).label for r in before if r not in after]
    parts = []
    if added:
        parts.append(f"added {', '.join(added)}")
    if removed:
        parts.append(f"removed {', '.join(removed)}")
    return "Roles: " + "; ".join(parts)
