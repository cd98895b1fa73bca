"""The partner directory: organisations, their contacts and logins, resources, and the
window each has to answer a referral."""

from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from candidates.request_kinds import Clock
from candidates.services.help_requests import response_target, set_response_targets
from partners.models import (
    DEFAULT_RESPONSE_DAYS,
    PARTNER_INTRO,
    TEAM_PREFIX,
    Contact,
    Partner,
    PartnerLeadSource,
    Resource,
)
from rfs.accounts.models import Role, User
from rfs.accounts.services import grant_role, withdraw_role
from rfs.redis_guard import guarded


class DirectoryRefused(Exception):
    """The change cannot be made as asked; the message says why."""


# --- Partners -------------------------------------------------------------------------


@transaction.atomic
def create_partner(*, data: dict, response_days: int | None = None, lead_sources=None) -> Partner:
    """Add a partner organisation (its own response window and its forms, if given)."""
    partner = Partner(**data)
    try:
        with transaction.atomic():
            partner.save()
    except IntegrityError as exc:
        raise DirectoryRefused("Another partner has this name.") from exc
    if response_days is not None:
        set_response_days(partner=partner, days=response_days)
    if lead_sources is not None:
        set_lead_sources(partner=partner, sources=lead_sources)
    _forget_options()
    return partner


@transaction.atomic
def update_partner(
    *, partner: Partner, changes: dict, response_days: int | None = None, lead_sources=None
) -> Partner:
    """Save changed fields of a partner (and its response window and forms, if given)."""
    for name, value in changes.items():
        setattr(partner, name, value)
    try:
        with transaction.atomic():
            partner.save()
    except IntegrityError as exc:
        raise DirectoryRefused("Another partner has this name.") from exc
    if response_days is not None and response_days != response_days_of(partner):
        set_response_days(partner=partner, days=response_days)
    if lead_sources is not None:
        set_lead_sources(partner=partner, sources=lead_sources)
    _forget_options()
    return partner


def set_active(*, partner: Partner, active: bool) -> Partner:
    """Pause a partner (no new referrals) or make it active again."""
    Partner.objects.filter(pk=partner.pk).update(is_active=active, updated_at=timezone.now())
    partner.is_active = active
    _forget_options()
    return partner


def response_days_of(partner: Partner) -> int:
    """Business days the partner has to answer a referral (its own, else the default)."""
    amount, clock = response_target(PARTNER_INTRO, team=partner.team)
    return amount if clock == Clock.BUSINESS_DAYS else DEFAULT_RESPONSE_DAYS


def set_response_days(*, partner: Partner, days: int) -> None:
    """The partner's own window; referrals sent from now on are due after it."""
    set_response_targets(targets={PARTNER_INTRO: (days, Clock.BUSINESS_DAYS)}, team=partner.team)


@transaction.atomic
def set_lead_sources(*, partner: Partner, sources) -> None:
    """The partner's forms among the lead sources: their leads count as sent by the partner.
    A source another partner had moves to this one (a form belongs to one partner)."""
    keep = {source.pk for source in sources}
    PartnerLeadSource.objects.filter(partner=partner).exclude(lead_source_id__in=keep).delete()
    for pk in keep:
        PartnerLeadSource.objects.update_or_create(lead_source_id=pk, defaults={"partner": partner})


# --- Contacts and logins --------------------------------------------------------------


@transaction.atomic
def add_contact(*, partner: Partner, data: dict, with_login: bool = False) -> Contact:
    """Add a person at a partner. With a login they work the partner's referrals; they
    sign in by emailed code (no password is set) and, in production, a second factor."""
    contact = Contact(partner=partner, **data)
    try:
        with transaction.atomic():
            if contact.is_primary:
                Contact.objects.filter(partner=partner, is_primary=True).update(is_primary=False)
            if with_login:
                contact.user = _partner_login(email=contact.email, name=contact.name)
            contact.save()
    except IntegrityError as exc:
        raise DirectoryRefused(
            "This person is already a contact, or their email belongs to another login."
        ) from exc
    return contact


def _partner_login(*, email: str, name: str) -> User:
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, name=name, roles=[Role.PARTNER])
        user.set_unusable_password()
        user.save()
    else:
        # Someone who already logs in here (a candidate, a volunteer) keeps one login.
        grant_role(user=user, role=Role.PARTNER)
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def remove_contact(*, contact: Contact) -> None:
    """Remove a contact; their login, if any, loses the partner role (and is closed when it
    holds no other role: it sees nothing)."""
    if contact.user_id:
        withdraw_role(user=contact.user, role=Role.PARTNER)
    contact.delete()


def partner_of(user) -> Partner | None:
    """The organisation a partner login works for."""
    if not user.is_authenticated:
        return None
    return Partner.objects.filter(contacts__user=user).first()


def introduction_address(partner: Partner) -> tuple[str, str] | None:
    """Where a partner hears of referrals: its primary contact, else its first contact."""
    contact = partner.contacts.order_by("-is_primary", "name").first()
    return (contact.email, contact.name.split(" ")[0]) if contact else None


def team_contact(team: str) -> tuple[str, str] | None:
    """Reminders of a partner's requests (request_kinds.register_team)."""
    partner = _by_team([team]).get(team)
    return introduction_address(partner) if partner else None


def team_names(teams: list[str]) -> dict[str, str]:
    return {team: partner.name for team, partner in _by_team(teams).items()}


def _by_team(teams: list[str]) -> dict[str, Partner]:
    uuids = []
    for team in teams:
        prefix, _, key = team.partition(":")
        if prefix == TEAM_PREFIX and len(key) == 36:
            uuids.append(key)
    return {partner.team: partner for partner in Partner.objects.filter(uuid__in=uuids)}


# The signup form shows the active partners on every view: kept in the cache (Redis), dropped
# when a partner changes, read from the database whenever the cache cannot answer.
OPTIONS_KEY = "partners:heard-from-options"


def heard_from_options() -> list[tuple[str, str]]:
    """The signup form's named answers: active partners by name (candidates.heard_from)."""
    options = guarded("cached partner names", lambda: cache.get(OPTIONS_KEY), fallback=None)
    if options is None:
        active = Partner.objects.active().values_list("uuid", "name")
        options = [(str(uuid), name) for uuid, name in active]
        guarded("cached partner names", lambda: cache.set(OPTIONS_KEY, options), fallback=None)
    return options


def _forget_options() -> None:
    """After a partner changes: now, and again at commit, in case a signup cached the old
    list in between."""

    def forget() -> None:
        guarded("cached partner names", lambda: cache.delete(OPTIONS_KEY), fallback=None)

    forget()
    transaction.on_commit(forget)


# --- Resources ------------------------------------------------------------------------


def save_resource(*, partner: Partner, data: dict, resource: Resource | None = None) -> Resource:
    """Add a resource to a partner's catalogue, or change one of its own."""
    resource = resource or Resource(partner=partner)
    if resource.partner_id != partner.pk:
        raise DirectoryRefused("This resource belongs to another partner.")
    for name, value in data.items():
        setattr(resource, name, value)
    resource.save()
    return resource


def remove_resource(*, partner: Partner, resource: Resource) -> None:
    if resource.partner_id != partner.pk:
        raise DirectoryRefused("This resource belongs to another partner.")
    resource.delete()
