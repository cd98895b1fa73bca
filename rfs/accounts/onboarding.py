"""Onboarding: what a volunteer or mentor does before they see anyone's personal data.

They read their role's guide, accept the current version of the confidentiality and
data-protection agreement (a new version asks everyone again) and, where
settings.RFS_MFA_REQUIRED is on, enrol a second factor. Staff are not held here.
"""

from dataclasses import dataclass

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from rfs.accounts.models import Agreement, AgreementAcceptance, Guide, GuideReading, Role, User

# The roles that come from outside and onboard before they work.
ONBOARDING_ROLES = (Role.SCREENER, Role.MENTOR)


def roles_of(user: User) -> list[str]:
    """The onboarding roles `user` has."""
    return [role for role in ONBOARDING_ROLES if user.has_role(role)]


def required(user: User) -> bool:
    """True when `user` must onboard before working (staff never)."""
    return user.is_authenticated and not user.has_role(Role.STAFF) and bool(roles_of(user))


def current_agreement() -> Agreement | None:
    return Agreement.objects.order_by("-version").first()


def is_complete(user: User) -> bool:
    """True when `user` read every guide of their roles and accepted the current agreement
    (one query), and has a second factor where one is required."""
    roles = roles_of(user)
    current = Agreement.objects.order_by("-version").values("pk")[:1]
    done = (
        User.objects.filter(pk=user.pk)
        .filter(
            Exists(
                AgreementAcceptance.objects.filter(user=OuterRef("pk"), agreement=Subquery(current))
            ),
            Exists(Guide.objects.filter(role__in=roles)),
        )
        .exclude(Exists(Guide.objects.filter(role__in=roles).exclude(readings__user=user)))
        .exists()
    )
    return done and (not settings.RFS_MFA_REQUIRED or is_mfa_enabled(user))


@dataclass
class Progress:
    """Where someone is in onboarding, step by step."""

    guides: list[Guide]
    unread: list[Guide]
    agreement: Agreement | None
    accepted_at: object  # the time the current version was accepted, or None
    needs_second_factor: bool
    has_second_factor: bool

    @property
    def guide_done(self) -> bool:
        return bool(self.guides) and not self.unread

    @property
    def agreement_done(self) -> bool:
        return self.accepted_at is not None

    @property
    def second_factor_done(self) -> bool:
        return not self.needs_second_factor or self.has_second_factor

    @property
    def complete(self) -> bool:
        return self.guide_done and self.agreement_done and self.second_factor_done


def progress(user: User) -> Progress:
    guides = list(
        Guide.objects.filter(role__in=roles_of(user)).annotate(
            read=Exists(GuideReading.objects.filter(guide=OuterRef("pk"), user=user))
        )
    )
    agreement = current_agreement()
    accepted = (
        AgreementAcceptance.objects.filter(user=user, agreement=agreement).first()
        if agreement
        else None
    )
    return Progress(
        guides=guides,
        unread=[guide for guide in guides if not guide.read],
        agreement=agreement,
        accepted_at=accepted.accepted_at if accepted else None,
        needs_second_factor=settings.RFS_MFA_REQUIRED,
        has_second_factor=settings.RFS_MFA_REQUIRED and is_mfa_enabled(user),
    )


def read_guide(*, user: User, guide: Guide) -> GuideReading:
    """Note that `user` read `guide` (once; a second reading keeps the first time)."""
    reading, _ = GuideReading.objects.get_or_create(user=user, guide=guide)
    return reading


@transaction.atomic
def accept_agreement(*, user: User, agreement: Agreement) -> AgreementAcceptance:
    """Note that `user` accepted this version, now (once)."""
    acceptance, _ = AgreementAcceptance.objects.get_or_create(user=user, agreement=agreement)
    return acceptance


@transaction.atomic
def publish_agreement(*, text: str, by: User | None) -> Agreement:
    """Publish a new version of the agreement: everyone onboarded accepts it again before
    they work."""
    # Locks the latest version, so two publications at once get distinct numbers.
    latest = Agreement.objects.select_for_update().order_by("-version").first()
    return Agreement.objects.create(
        version=(latest.version + 1) if latest else 1, text=text, published_by=by
    )


def save_guide(*, role: str, title: str, body: str, by: User | None) -> Guide:
    """Write or rewrite the guide of `role`. Those who read an earlier text stay onboarded."""
    guide, _ = Guide.objects.update_or_create(
        role=role,
        defaults={"title": title, "body": body, "updated_by": by, "updated_at": timezone.now()},
    )
    return guide


def with_onboarding(queryset, *, role: str, user_field: str = "user"):
    """`queryset` (of rows with a `user_field` to a User) annotated with `guide_read_at` (the
    guide of `role`) and `agreement_accepted_at` (the current version), for lists."""
    current = Agreement.objects.order_by("-version").values("pk")[:1]
    return queryset.annotate(
        guide_read_at=Subquery(
            GuideReading.objects.filter(user=OuterRef(user_field), guide__role=role).values(
                "read_at"
            )[:1]
        ),
        agreement_accepted_at=Subquery(
            AgreementAcceptance.objects.filter(
                user=OuterRef(user_field), agreement=Subquery(current)
            ).values("accepted_at")[:1]
        ),
    )
