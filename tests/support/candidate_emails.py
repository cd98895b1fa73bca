"""Every email a candidate receives, each with a representative context per branch of its
template: what the translation tests render in English and in Spanish."""

WHEN = "Tuesday, March 11, 2025 at 10:00 AM EDT"
TRAINING = {"name": "Ana", "topic": "Fundraising 101", "when": WHEN, "link": "/portal/"}

CANDIDATE_EMAILS: list[tuple[str, dict]] = [
    ("signup_confirmation", {"name": "Ana", "privacy_path": "/privacy/"}),
    ("signup_updated", {"name": "Ana", "changed": True}),
    ("signup_updated", {"name": "Ana", "changed": False}),
    (
        "update_confirm",
        {
            "name": "Ana",
            "changes": [["City", "Tucson"], ["Phone", "+15205550100"]],
            "link": "/confirm/abc/",
            "days": 7,
        },
    ),
    ("lead_invitation", {"name": "Ana", "path": "/invitation/abc/"}),
    ("screening_call_confirmed", {"name": "Ana", "when": WHEN}),
    ("screening_call_updated", {"name": "Ana", "when": WHEN}),
    ("screening_call_cancelled", {"name": "Ana", "when": WHEN}),
    ("screening_call_reminder", {"name": "Ana", "when": WHEN, "day": "tomorrow"}),
    ("screening_call_reminder", {"name": "Ana", "when": WHEN, "day": "today"}),
    ("screening_check_back", {"name": "Ana", "link": "/talk-again/abc/"}),
    (
        "screening_check_in",
        {"name": "Ana", "all_good": "/check-in/a/", "need_help": "/check-in/b/"},
    ),
    ("screening_advance", {"name": "Ana"}),
    ("screening_not_a_fit", {"name": "Ana"}),
    ("screening_not_yet", {"name": "Ana"}),
    ("screening_unresponsive", {"name": "Ana"}),
    ("mentor_intro_candidate", {"name": "Ana"}),
    ("mentor_intro_candidate", {"name": ""}),
    ("partner_consent_request", {"name": "Ana", "partner": "Vote Forward"}),
    ("partner_intro_candidate", {"name": "Ana", "partner": "Vote Forward"}),
    ("request_reply", {"name": "Ana", "link": "/portal/requests/abc/"}),
    (
        "endorsement_received",
        {"name": "Ana", "class_name": "2026 primary", "race": "City Council (2026 primary)"},
    ),
    *[
        (
            "endorsement_decision",
            {
                "name": "Ana",
                "class_name": "2026 primary",
                "race": "City Council",
                "decision": decision,
                "reason": "Reviewed by the committee.",
                "may_reapply": decision == "not_endorsed",
            },
        )
        for decision in ("endorsed", "deferred", "not_endorsed")
    ],
    ("training_invitation", TRAINING),
    ("training_registered", TRAINING),
    ("training_waitlisted", TRAINING),
    ("training_place_offered", TRAINING),
    ("training_cancelled", TRAINING),
    ("training_reminder_day", TRAINING),
    ("training_reminder_hour", TRAINING),
]
