"""Partner organisations, their people and resources, and the referrals between us.

A referral's every move is a ReferralMove row (who, when, from, to), written only by
partners.services. Nothing personal reaches a partner before the candidate's consent to
share it with that partner is recorded on the referral: a database constraint holds it.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse

from candidates.geography import STATE_CHOICES
from candidates.models import Need, OfficeLevel, Party
from partners.apps import PARTNER_INTRO as PARTNER_INTRO
from partners.apps import REFERRAL_TO_MAKE as REFERRAL_TO_MAKE
from rfs.accounts.models import Role

# Help requests owned by a partner carry team "partner:<uuid>"; signup answers naming one,
# heard_from "partner:<uuid>".
TEAM_PREFIX = "partner"
# The partner's window to answer a referral, unless staff set its own.
DEFAULT_RESPONSE_DAYS = 3


class Service(models.TextChoices):
    TRAINING = "training", "Training"
    FUNDRAISING = "fundraising", "Fundraising"
    STAFFING = "staffing", "Staffing and talent"
    DATA = "data", "Data and tools"
    LEGAL = "legal", "Legal and compliance"
    ENDORSEMENT = "endorsement", "Endorsement"
    ORGANIZING = "organizing", "Community organising"
    COMMUNICATIONS = "communications", "Communications and press"


# Which services answer each need a candidate names (at signup or in screening).
NEED_SERVICES: dict[str, set[str]] = {
    Need.CAMPAIGN_PLAN: {Service.TRAINING, Service.STAFFING},
    Need.FUNDRAISING: {Service.FUNDRAISING, Service.ENDORSEMENT},
    Need.TREASURER: {Service.LEGAL, Service.STAFFING},
    Need.FIELD: {Service.ORGANIZING, Service.DATA},
    Need.DIGITAL: {Service.COMMUNICATIONS, Service.DATA},
    Need.POLICY: {Service.TRAINING},
}


class Community(models.TextChoices):
    LATINO = "latino", "Latino"
    BLACK = "black", "Black"
    AAPI = "aapi", "Asian American and Pacific Islander"
    NATIVE = "native", "Native American"
    WOMEN = "women", "Women"
    LGBTQ = "lgbtq", "LGBTQ+"
    YOUNG = "young", "Young people"
    RURAL = "rural", "Rural"
    VETERANS = "veterans", "Veterans"
    WORKING_CLASS = "working_class", "Working people"


def _choices_array(choices, **kwargs) -> ArrayField:
    return ArrayField(
        models.CharField(max_length=24, choices=choices), default=list, blank=True, **kwargs
    )


class PartnerQuerySet(models.QuerySet):
    def active(self) -> "PartnerQuerySet":
        return self.filter(is_active=True)

    def visible_to(self, user) -> "PartnerQuerySet":
        """Staff see every partner; a partner login, its own organisation."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_role(Role.STAFF):
            return self
        if user.has_role(Role.PARTNER):
            return self.filter(contacts__user=user)
        return self.none()


class Partner(models.Model):
    """An organisation we refer candidates to, and that sends candidates to us."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(max_length=4000, blank=True)
    website = models.URLField(max_length=300, blank=True)
    services = _choices_array(Service.choices)
    communities = _choices_array(Community.choices, help_text="Communities it focuses on.")
    states = ArrayField(
        models.CharField(max_length=2, choices=STATE_CHOICES),
        default=list,
        blank=True,
        help_text="States it works in; none means nationwide.",
    )
    # Eligibility: empty lists mean any.
    office_levels = _choices_array(OfficeLevel.choices, help_text="Offices it helps; none: any.")
    parties = _choices_array(Party.choices, help_text="Party registrations it helps; none: any.")
    first_time_only = models.BooleanField(
        "first-time candidates only", default=False, help_text="Helps first-time candidates only."
    )
    eligibility_note = models.CharField(max_length=500, blank=True)
    is_active = models.BooleanField(
        "active", default=True, help_text="Paused partners get no new referrals."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:detail", args=[self.uuid])

    @property
    def team(self) -> str:
        """The team its help requests carry, and the answer naming it on the signup form."""
        return f"{TEAM_PREFIX}:{self.uuid}"

    def get_services_display(self) -> list[str]:
        return [Service(v).label for v in self.services if v in Service.values]

    def get_communities_display(self) -> list[str]:
        return [Community(v).label for v in self.communities if v in Community.values]


class Contact(models.Model):
    """A person at a partner; with a login, they work the partner's referrals."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=150)
    email = models.EmailField(max_length=254)
    title = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # Introductions go to the primary contact; the partner's login, if any, is theirs alone.
    is_primary = models.BooleanField(default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partner_contact",
    )

    class Meta:
        ordering = ["-is_primary", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "email"], name="contact_email_per_partner"),
            models.UniqueConstraint(
                fields=["partner"], condition=Q(is_primary=True), name="contact_one_primary"
            ),
            models.CheckConstraint(
                condition=Q(email=Lower("email")), name="contact_email_lowercase"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.partner})"

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class PartnerLeadSource(models.Model):
    """A partner's form that posts leads to us (a candidates LeadSource): its leads count as
    people the partner sent us. A form belongs to one partner at most."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="lead_sources")
    lead_source = models.OneToOneField(
        "candidates.LeadSource", on_delete=models.CASCADE, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.lead_source_id} belongs to {self.partner}"


class ResourceQuerySet(models.QuerySet):
    def for_candidates(self) -> "ResourceQuerySet":
        """What candidates may see: shared resources of active partners."""
        return self.filter(is_shared=True, partner__is_active=True)


class Resource(models.Model):
    """A training, guide or link a partner offers."""

    class Kind(models.TextChoices):
        TRAINING = "training", "Training"
        GUIDE = "guide", "Guide"
        TOOL = "tool", "Tool"
        LINK = "link", "Link"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.LINK)
    url = models.URLField("link", max_length=500, blank=True)
    description = models.TextField(max_length=2000, blank=True)
    needs = _choices_array(Need.choices, help_text="Needs it helps with.")
    is_shared = models.BooleanField(
        "candidates may see it", default=True, help_text="Shown to candidates in their portal."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["partner", "title"]

    def __str__(self) -> str:
        return self.title


class ReferralState(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    SENT = "sent", "Sent"
    ACCEPTED = "accepted", "Accepted"
    HELPED = "helped", "Helped"
    DECLINED = "declined", "Declined"
    NO_ANSWER = "no_answer", "No answer"


OPEN_REFERRAL_STATES = {ReferralState.PROPOSED, ReferralState.SENT, ReferralState.ACCEPTED}
# The moves a referral may make; anything else is refused.
REFERRAL_MOVES: dict[str, set[str]] = {
    ReferralState.PROPOSED: {ReferralState.SENT, ReferralState.DECLINED},
    ReferralState.SENT: {ReferralState.ACCEPTED, ReferralState.DECLINED, ReferralState.NO_ANSWER},
    ReferralState.ACCEPTED: {ReferralState.HELPED, ReferralState.DECLINED},
    ReferralState.HELPED: set(),
    ReferralState.DECLINED: set(),
    ReferralState.NO_ANSWER: set(),
}


class ConsentField(models.TextChoices):
    """What a candidate may agree to share with a partner (name and email always go)."""

    PHONE = "phone", "Phone"
    PLACE = "place", "City and state"
    OFFICE = "office", "Office they consider"
    NEEDS = "needs", "What help they need"
    WHY_RUN = "why_run", "Why they want to run"


def _shared_with(user) -> Q:
    theirs = Partner.objects.filter(contacts__user=user).values("pk")
    return Q(consent_at__isnull=False, partner__in=theirs)


class ReferralQuerySet(models.QuerySet):
    def open(self) -> "ReferralQuerySet":
        return self.filter(state__in=OPEN_REFERRAL_STATES)

    def consented(self) -> "ReferralQuerySet":
        return self.filter(consent_at__isnull=False)

    def shared_with(self, user) -> "ReferralQuerySet":
        """What a partner login works on in its portal: its organisation's referrals the
        candidate agreed to share (whatever other roles the person holds)."""
        if not user.is_authenticated or not user.has_role(Role.PARTNER):
            return self.none()
        return self.filter(_shared_with(user))

    def visible_to(self, user) -> "ReferralQuerySet":
        """Staff see every referral; a partner login, its organisation's referrals the
        candidate consented to share; a candidate, their own; someone in both roles, both."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_role(Role.STAFF):
            return self
        seen = Q(pk__in=[])
        if user.has_role(Role.PARTNER):
            seen |= _shared_with(user)
        if user.has_role(Role.CANDIDATE):
            seen |= Q(candidate__user=user)
        return self.filter(seen)


class Referral(models.Model):
    """A candidate referred to a partner: proposed → sent → accepted → helped, or declined,
    or no answer. Sent only once the candidate's consent is recorded."""

    class DeclinedBy(models.TextChoices):
        CANDIDATE = "candidate", "The candidate"
        PARTNER = "partner", "The partner"
        STAFF = "staff", "Staff"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="referrals"
    )
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="referrals")
    need = models.CharField(max_length=24, choices=Need.choices, blank=True)
    note = models.TextField("why this partner", max_length=2000, blank=True)
    state = models.CharField(
        max_length=12, choices=ReferralState.choices, default=ReferralState.PROPOSED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    # Consent: when, in whose words, what it covers, and who recorded it (None: the
    # candidate themselves, in the portal).
    consent_at = models.DateTimeField(null=True, blank=True)
    consent_words = models.TextField(max_length=1000, blank=True)
    consent_fields = _choices_array(ConsentField.choices)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.CharField(max_length=12, choices=DeclinedBy.choices, blank=True)
    outcome_note = models.TextField(max_length=2000, blank=True)
    # The partner's answer as a help request (kind PARTNER_INTRO, team = the partner).
    help_request = models.OneToOneField(
        "candidates.HelpRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Nothing goes to a partner without the candidate's consent.
            models.CheckConstraint(
                condition=Q(state="proposed")
                | Q(consent_at__isnull=False)
                | Q(state="declined", sent_at__isnull=True),
                name="referral_sent_only_with_consent",
            ),
            # One open referral per candidate and partner.
            models.UniqueConstraint(
                fields=["candidate", "partner"],
                condition=Q(state__in=["proposed", "sent", "accepted"]),
                name="referral_one_open_per_partner",
            ),
        ]
        indexes = [
            models.Index(fields=["partner", "state"], name="referral_partner_state_idx"),
            models.Index(fields=["sent_at"], name="referral_sent_idx"),
        ]

    def __str__(self) -> str:
        return f"Referral of {self.candidate_id} to {self.partner}"

    def get_absolute_url(self) -> str:
        return reverse("partners:referral", args=[self.uuid])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_REFERRAL_STATES

    def shares(self, field: str) -> bool:
        return self.consent_at is not None and field in self.consent_fields


class ReferralMove(models.Model):
    """One move of a referral: who, when, from, to, and what they said."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="moves")
    from_state = models.CharField(max_length=12, choices=ReferralState.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=ReferralState.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    note = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.from_state or '∅'} → {self.to_state}"
