"""Screening: volunteers claim candidates from the queue, try to reach them, book and log a
screening call scored on the rubric; staff oversee the calls and the volunteer hours.

- models:      Claim, ContactAttempt, ScheduledCall, ScreeningCall (with the rubric) and
               its revisions, and awaiting_contact(), the queue
- services/:   the use-cases, one module per area (claims, contact, booking, calls)
- views/:      the pages, one module per area (queue, work, call_logs, oversight)
- forms:       what a screener or staff member types, validated
- tasks:       the beat sweeps (claim expiry, call reminders)
- admin:       read-only lists, and releasing claims
- demo:        demo screening work that matches the demo candidates' stages
- templatetags/screening_tags: volunteer hours and durations as text
"""
