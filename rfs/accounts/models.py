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
