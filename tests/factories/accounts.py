import factory
from allauth.account.models import EmailAddress

from rfs.accounts import onboarding
from rfs.accounts.models import Agreement, Guide, Role, User

PASSWORD = "correct horse battery staple"


def onboard(user: User) -> None:
    """Read the guides of the user's roles and accept the current agreement, publishing a
    guide and a first agreement if there are none yet."""
    for role in onboarding.roles_of(user):
        guide = Guide.objects.filter(role=role).first() or onboarding.save_guide(
            role=role, title=f"The {role} guide", body="How we work.", by=None
        )
        onboarding.read_guide(user=user, guide=guide)
    agreement = onboarding.current_agreement() or Agreement.objects.create(
        version=1, text="We keep what we learn to ourselves."
    )
    onboarding.accept_agreement(user=user, agreement=agreement)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        # One role, the common case: UserFactory(role=Role.MENTOR); several: roles=[...].
        role = Role.STAFF

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    roles = factory.LazyAttribute(lambda user: [user.role])
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs) -> None:
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def onboarded(self, create: bool, extracted: bool | None, **kwargs) -> None:
        # Volunteers and mentors have onboarded unless a test says otherwise (onboarded=False).
        if create and extracted is not False and onboarding.required(self):
            onboard(self)
