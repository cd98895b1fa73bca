import factory
from django.utils import timezone

from candidates.models import Candidate, Need, OfficeLevel, Source, Submission
from candidates.services.people_counts import count_people
from candidates.services.pipeline import record_entry


def _phone(n: int) -> str:
    # Valid US numbers in the 202 area code, distinct for the first 8,000,000 candidates.
    return f"+1202{200 + (n // 10000) % 800:03d}{n % 10000:04d}"


class CandidateFactory(factory.django.DjangoModelFactory):
    """A valid candidate with its entry in the pipeline history (one StageChange row).

    Pass `entry=False` to skip the history row (e.g. to test code that writes it)."""

    class Meta:
        model = Candidate
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"candidate{n}@example.org")
    phone = factory.Sequence(_phone)
    zip_code = "20001"
    state = "DC"
    city = "Washington"
    birth_year = 1998
    office_level = OfficeLevel.CITY_COUNCIL
    office = "City council"
    district = "Ward 1"
    election_year = factory.LazyFunction(lambda: timezone.now().year + 1)
    source = Source.PRESS
    why_run = "My neighbourhood needs a voice."
    needs = factory.LazyFunction(lambda: [Need.CAMPAIGN_PLAN, Need.FUNDRAISING])
    consent_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def entry(self, create: bool, extracted: bool | None, **kwargs) -> None:
        if create and extracted is not False:
            record_entry(candidate=self)
            # Counted as a person, as intake counts everyone it creates.
            count_people([self.first_source_id], day=timezone.localdate(self.created_at))


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A raw form submission resolved to a candidate."""

    class Meta:
        model = Submission

    channel = Submission.Channel.FORM
    candidate = factory.SubFactory(CandidateFactory)
    payload = factory.LazyAttribute(
        lambda s: (
            {"email": s.candidate.email, "first_name": s.candidate.first_name}
            if s.candidate
            else {}
        )
    )
    outcome = Submission.Outcome.CREATED


def signup_form_data(**overrides) -> dict:
    """A valid POST of the public signup form; override any field."""
    data = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "preferred_name": "",
        "pronouns": "she/her",
        "email": "ada@example.org",
        "phone": "(202) 555-0142",
        "zip_code": "20001",
        "state": "DC",
        "city": "Washington",
        "birth_year": str(timezone.localdate().year - 25),
        "office_level": OfficeLevel.CITY_COUNCIL.value,
        "office": "Ward 1 council",
        "district": "Ward 1",
        "election_year": str(timezone.localdate().year + 1),
        "party": "democrat",
        "source": Source.PRESS.value,
        "source_detail": "The Post",
        "why_run": "Our buses are late and nobody listens.",
        "needs": [Need.CAMPAIGN_PLAN.value, Need.FUNDRAISING.value],
        "gender": "",
        "race_ethnicity": "",
        "lgbtq": "",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data
