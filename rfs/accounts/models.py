from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
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


class UserManager(BaseUserManager["User"]):
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
        fields.update(is_staff=True, is_superuser=True, role=Role.STAFF)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in. Email is the login; role decides what they may see."""

    # Stored lower-cased (a constraint holds it), so unique means unique ignoring case.
    email = models.EmailField("email address", max_length=254, unique=True)
    name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CANDIDATE)
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
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    @property
    def start_url(self) -> str:
        """Where this person's work starts (each app registers its role's start page)."""
        return reverse(places.start(self.role))

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles


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
