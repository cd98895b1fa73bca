"""Who must use a second factor, and whether this session did.

With settings.RFS_MFA_REQUIRED on, everyone who sees personal data enrols TOTP and gives a
code in every session; SecondFactorMiddleware holds them at the door until they have.
"""

from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.http import HttpRequest

from rfs.accounts.models import Role, User

# The roles that see personal data. A new role that does is added here and nowhere else.
ROLES_THAT_SEE_PERSONAL_DATA = frozenset(
    {Role.STAFF, Role.SCREENER, Role.MENTOR, Role.PARTNER, Role.REVIEWER}
)


def required_for(user: User) -> bool:
    """True when `user` must use a second factor: any of the roles they act in sees personal
    data, or they may use the admin (which shows everything). A session limited to fewer
    roles (a login by emailed code) is closed to the admin, so only its roles count."""
    if not settings.RFS_MFA_REQUIRED or not user.is_authenticated:
        return False
    admin = (user.is_staff or user.is_superuser) and not user.is_limited
    return user.has_role(*ROLES_THAT_SEE_PERSONAL_DATA) or admin


def passed(request: HttpRequest) -> bool:
    """True when this session's user gave a second factor, at login or since."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)
