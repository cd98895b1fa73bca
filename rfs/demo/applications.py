"""Demo volunteers and mentors: a few applications waiting for staff, and a volunteer profile
for each demo screener so the roster has people on it."""

from django.db import transaction

from mentors.models import ExperienceLevel, Expertise, MentorApplication
from rfs.accounts.models import User
from rfs.demo.logins import DEMO_SCREENERS
from screening.models import Volunteer, VolunteerApplication

VOLUNTEERS = [
    (
        "Priya Raman",
        "priya.raman@example.com",
        "+14045550101",
        "GA",
        "America/New_York",
        4,
        ["English", "Tamil"],
        "Phone banked for two city council races.",
    ),
    (
        "Diego Flores",
        "diego.flores@example.com",
        "+15125550102",
        "TX",
        "America/Chicago",
        6,
        ["English", "Spanish"],
        "Union organiser; I have made a lot of cold calls.",
    ),
]
MENTORS = [
    (
        "Harriet Cole",
        "harriet.cole@example.com",
        [Expertise.FUNDRAISING, Expertise.FIELD],
        ExperienceLevel.STATE,
        ["PA", "OH"],
        3,
        ["English"],
        "Finance director on three state legislative campaigns.",
    ),
    (
        "Tomás Ortega",
        "tomas.ortega@example.com",
        [Expertise.DIGITAL, Expertise.PRESS],
        ExperienceLevel.NATIONAL,
        ["AZ", "NM"],
        2,
        ["English", "Spanish"],
        "Digital director on a presidential primary campaign.",
    ),
]


@transaction.atomic
def seed_applications() -> int:
    """Add the pending applications and the screeners' profiles once. Returns how many
    applications were added."""
    added = 0
    for name, email, phone, state, zone, hours, languages, experience in VOLUNTEERS:
        _, created = VolunteerApplication.objects.get_or_create(
            email=email,
            defaults={
                "name": name,
                "phone": phone,
                "state": state,
                "time_zone": zone,
                "hours_per_week": hours,
                "languages": languages,
                "experience": experience,
            },
        )
        added += created
    for name, email, expertise, level, states, capacity, languages, bio in MENTORS:
        _, created = MentorApplication.objects.get_or_create(
            email=email,
            defaults={
                "name": name,
                "expertise": expertise,
                "experience_level": level,
                "states": states,
                "capacity": capacity,
                "languages": languages,
                "bio": bio,
            },
        )
        added += created
    screeners = ["screener@example.org", *(email for email, _ in DEMO_SCREENERS)]
    # The demo screener login speaks Spanish too: Spanish speakers come first in their queue.
    bilingual = {"screener@example.org", DEMO_SCREENERS[0][0]}
    for user in User.objects.filter(email__in=screeners, volunteer__isnull=True):
        spoken = ["English", "Spanish"] if user.email in bilingual else ["English"]
        Volunteer.objects.create(user=user, hours_per_week=3, languages=spoken)
    return added
