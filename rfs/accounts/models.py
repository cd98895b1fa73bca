import uuid
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Lower
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone

from rfs.accounts import places


class Role(models.TextChoices):
    STAFF = "staff", "Staff"
    SCREENER = "screener", "Volunteer screener"
    MENTOR = "mentor", "Mentor"
    PARTNER = "partner", "Partner organisation staff"
    CANDIDATE = "candidate", "Candidate"
    # An outside campaign expert who reviews the endorsement applications assigned to them.
    REVIEWER = "reviewer", "Endorsement reviewer"


def default_roles() -> list[str]:
    return [Role.CANDIDATE]


def in_role_order(roles: Iterable[str]) -> list[str]:
    """`roles` without repeats, in the order Role lists them (so menus and pages are stable)."""
    wanted = set(roles)
    return [role.value for role in Role if role in wanted]


class UserQuerySet(models.QuerySet):
    def with_role(self, *roles: str) -> "UserQuerySet":
        """Users holding any of `roles` (the GIN index on roles serves this)."""
        return self.filter(roles__overlap=list(roles))


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def get_by_natural_key(self, username: str) -> "User":
        return self.get(email=username.strip().lower())

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("A user needs an email address")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True, roles=[Role.STAFF])
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in. Email is the login; their roles decide what they may see: a
    person may hold several (a volunteer who runs for office, a mentor on the staff), and may
    do in each what that role may."""

    # Stored lower-cased (a constraint holds it), so unique means unique ignoring case.
    email = models.EmailField("email address", max_length=254, unique=True)
    name = models.CharField(max_length=150, blank=True)
    roles = ArrayField(
        models.CharField(max_length=16, choices=Role.choices), default=default_roles, blank=True
    )
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        help_text="Shown times use this zone; empty means the organisation's.",
    )
    is_active = models.BooleanField(default=True)
    # Access to the Django admin; staff-role users who run the system get it.
    is_staff = models.BooleanField("admin access", default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(email=Lower("email")), name="user_email_lowercase"),
            models.CheckConstraint(
                condition=Q(roles__contained_by=[role.value for role in Role]),
                name="user_roles_known",
            ),
            # Each known role at most once (with the constraint above: no repeats at all).
            models.CheckConstraint(
                condition=Q(
                    *(
                        LessThanOrEqual(
                            Func(
                                Func(
                                    F("roles"),
                                    Value(role.value),
                                    function="array_positions",
                                    output_field=ArrayField(models.IntegerField()),
                                ),
                                function="cardinality",
                                output_field=models.IntegerField(),
                            ),
                            1,
                        )
                        for role in Role
                    )
                ),
                name="user_roles_once",
            ),
        ]
        indexes = [GinIndex(fields=["roles"], name="user_roles_gin")]

    def __str__(self) -> str:
        return self.name or self.email

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    @property
    def acting_roles(self) -> list[str]:
        """The roles this user acts in now, in Role order: all they hold, unless this
        session is limited to fewer (limit_roles: a login by emailed code acts as candidate
        only)."""
        limit = getattr(self, "_session_roles", None)
        return in_role_order(r for r in self.roles if limit is None or r in limit)

    @property
    def is_limited(self) -> bool:
        """True when this session acts in fewer roles than the user holds."""
        return len(self.acting_roles) < len(set(self.roles))

    def limit_roles(self, roles: Iterable[str]) -> None:
        """Let this instance (one request's user) act only in `roles` of those it holds."""
        self._session_roles = frozenset(roles)

    def has_role(self, *roles: str) -> bool:
        """True when the user is active and acts in at least one of `roles`."""
        return self.is_active and any(role in roles for role in self.acting_roles)

    def has_role_other_than(self, *roles: str) -> bool:
        """True when the user is active and acts in some role not among `roles`."""
        return self.is_active and any(role not in roles for role in self.acting_roles)

    def get_roles_display(self) -> str:
        return ", ".join(Role(role).label for role in in_role_order(self.roles)) or "No role"

    @property
    def start_url(self) -> str:
        """Where this person's work starts: their role's start page (each app registers its
        own), or, with several roles or none, the page listing their places."""
        roles = self.acting_roles
        if len(roles) == 1:
            return reverse(places.start(roles[0]))
        return reverse("accounts:places")


class SecurityEventQuerySet(models.QuerySet):
    def older_than(self, cutoff) -> "SecurityEventQuerySet":
        return self.filter(at__lt=cutoff)


class SecurityEvent(models.Model):
    """Who did something that matters to security or privacy, when, and from where.

    The subject is whatever the caller names (a candidate, an import): an identifier and a
    label, never a key to a table above this app. The address is kept only as a keyed hash.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", "Logged in"
        LOGIN_FAILED = "login_failed", "Failed login"
        LOCKED_OUT = "locked_out", "Locked out"
        SECOND_FACTOR_ADDED = "mfa_added", "Second factor added"
        SECOND_FACTOR_REMOVED = "mfa_removed", "Second factor removed"
        SECOND_FACTOR_RESET = "mfa_reset", "Second factor reset"
        ROLE_CHANGED = "role_changed", "Role changed"
        EXPORT = "export", "Export"
        IMPORT = "import", "Import"
        MERGE = "merge", "Merge"
        VIEWED_PERSONAL_DATA = "viewed_personal", "Viewed contact details or demographics"
        DATA_EXPORT = "data_export", "Exported a person's data"
        ERASURE = "erasure", "Erased a person"
        DATA_REQUEST = "data_request", "Asked for their data or its erasure"

    kind = models.CharField(max_length=24, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        "User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who it was as the event saw them: the login tried (a failed login has no user), or
    # the actor's address when it happened.
    actor_label = models.CharField(max_length=254, blank=True)
    subject_id = models.UUIDField(null=True, blank=True)
    subject_label = models.CharField(max_length=200, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    # HMAC of the client address (rfs.accounts.events.hash_address), never the address.
    address_hash = models.CharField(max_length=64, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["-at"], name="securityevent_at_idx"),
            models.Index(fields=["kind", "-at"], name="securityevent_kind_at_idx"),
            models.Index(fields=["actor", "-at"], name="securityevent_actor_at_idx"),
            models.Index(fields=["subject_id", "-at"], name="securityevent_subject_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.actor_label or '?'} at {self.at:%Y-%m-%d %H:%M}"


# --- Invitations and onboarding ---------------------------------------------------------
# People whose role sees personal data and who come from outside (volunteers, mentors) are
# invited to set a password, then read their role's guide and accept the agreement first.


class Invitation(models.Model):
    """A single-use link to set a password. Only a hash of its token is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.user}"


class Guide(models.Model):
    """The page a role reads before it starts (the screening guide, the mentor guide); staff
    edit it."""

    role = models.CharField(max_length=16, choices=Role.choices, unique=True)
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=50_000)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["role"]

    def __str__(self) -> str:
        return self.title


class GuideReading(models.Model):
    """Someone said they read a guide."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="guide_readings")
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="readings")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "guide"], name="guidereading_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.guide_id}"


class Agreement(models.Model):
    """One version of the confidentiality and data-protection agreement. Versions are never
    edited: a change is a new version, which everyone accepts again."""

    version = models.PositiveIntegerField(unique=True)
    text = models.TextField(max_length=50_000)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Agreement version {self.version}"


class AgreementAcceptance(models.Model):
    """Someone accepted one version of the agreement, at a time."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="agreement_acceptances")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="acceptances")
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "agreement"], name="agreementacceptance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} accepted {self.agreement_id}"


# --- Applications ------------------------------------------------------------------------


class Application(models.Model):
    """What every application to help (a volunteer's, a mentor's) has: who, and the staff
    decision. The apps that own volunteers and mentors add what they ask."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        ASKED = "asked", "Question asked"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=150)
    email = models.EmailField(max_length=254)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # The last question staff asked by email; the answer comes back by email.
    question = models.TextField(max_length=4000, blank=True)
    asked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.ASKED)
