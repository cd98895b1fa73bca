import factory

from partners.models import Contact, Partner, Resource, Service
from rfs.accounts.models import Role
from tests.factories.accounts import UserFactory


class PartnerFactory(factory.django.DjangoModelFactory):
    """An active, nationwide partner offering training and fundraising."""

    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner Organisation {n}")
    description = "Helps progressive first-time candidates."
    website = "https://partner.example.org"
    services = factory.LazyFunction(lambda: [Service.TRAINING, Service.FUNDRAISING])
    is_active = True


class ContactFactory(factory.django.DjangoModelFactory):
    """The partner's primary contact, with a partner login (pass user=None for none)."""

    class Meta:
        model = Contact

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Faker("name")
    user = factory.SubFactory(UserFactory, role=Role.PARTNER, name=factory.SelfAttribute("..name"))
    email = factory.LazyAttributeSequence(
        lambda c, n: c.user.email if c.user else f"contact{n}@partner.example.org"
    )
    title = "Programs director"
    is_primary = True


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    partner = factory.SubFactory(PartnerFactory)
    title = factory.Sequence(lambda n: f"Campaign guide {n}")
    kind = Resource.Kind.GUIDE
    url = "https://partner.example.org/guide"
    is_shared = True
