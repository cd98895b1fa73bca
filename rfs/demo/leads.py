"""The demo's partner forms: one lead source per preset, each with a few leads posted in the
shape its form tool sends, resolved through intake as a worker would, and one lead that
could not be read waiting in its dead-letter list."""

from candidates.models import LeadSource
from candidates.services import leads
from rfs.demo.people import DOMAIN

SOURCES = [
    ("Demo JSON form", "Run for Something", LeadSource.Preset.JSON, True, "signature"),
    ("Demo Jotform: house parties", "Collective PAC", LeadSource.Preset.JOTFORM, False, "token"),
    ("Demo Airtable: volunteers", "Inclusv", LeadSource.Preset.AIRTABLE, False, "token"),
    ("Demo Action Network petition", "PCCC", LeadSource.Preset.OSDI, False, "signature"),
]
NAMES = [("Ana", "Reyes"), ("Ben", "Okafor"), ("Cleo", "Park"), ("Dev", "Shah"), ("Eli", "Moss")]
CONSENT = "Yes, Run for Something may contact me about running for office."


def _payload(preset: str, first: str, last: str, email: str, n: int) -> dict:
    if preset == LeadSource.Preset.JOTFORM:
        return {
            "submissionID": f"demo-{n}",
            "q3_name": {"first": first, "last": last},
            "q4_email": email,
            "q6_address": {"postal": "23219", "state": "VA", "city": "Richmond"},
        }
    if preset == LeadSource.Preset.AIRTABLE:
        return {"id": f"rec{n:06d}", "fields": {"First": first, "Last": last, "Email": email}}
    if preset == LeadSource.Preset.OSDI:
        return {
            "person": {
                "given_name": first,
                "family_name": last,
                "email_addresses": [{"address": email, "primary": True}],
                "postal_addresses": [{"postal_code": "22201", "region": "VA"}],
            },
            "add_tags": ["run-for-office"],
        }
    return {
        "first_name": first,
        "last_name": last,
        "email": email,
        "phone": f"+1804555{n:04d}",
        "zip_code": "23220",
        "state": "VA",
        "city": "Richmond",
        "office_level": "school_board",
        "consent": "yes",
    }


def seed_leads() -> int:
    """The demo sources and their leads; returns how many leads were posted."""
    posted = 0
    for index, (name, owner, preset, asks, auth) in enumerate(SOURCES):
        source, _ = leads.create_source(
            by=None,
            name=name,
            owner=owner,
            preset=preset,
            asks_contact=asks,
            consent_wording=CONSENT if asks else "",
            auth=auth,
            idempotency_field="submissionID" if preset == LeadSource.Preset.JOTFORM else "",
        )
        for i, (first, last) in enumerate(NAMES):
            n = index * 100 + i
            email = f"lead{n}@leads.{DOMAIN}"
            leads.accept_lead(
                source=source, payload=_payload(preset, first, last, email, n), key=""
            )
            posted += 1
        # A form whose answers lost their email: it waits for staff to fix the map.
        leads.accept_lead(source=source, payload={"name_of_person": "No Address"}, key="")
        posted += 1
    while leads.resolve_pending():
        pass
    return posted
