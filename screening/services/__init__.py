"""Use-cases of the screening app, one module per area:

- claims:  the queue: claiming the next candidate or a chosen one, releasing a claim by
           hand, and the beat sweep that expires claims left without contact
- contact: contact attempts, and moving a candidate nobody could reach to unresponsive
- booking: booking, moving and cancelling a call with the candidate, and the beat sweep
           that records its reminder emails
- calls:   logging a call (its outcome moves the candidate on) and editing a call log
- next_steps: a call's next step made into work through the app that owns it, changed
           when the call is edited; check-back emails and the answer "talk again"
- guards:  ScreeningError and what every action checks first (a worker, a held claim)
- zones:   the time zones times are shown in, and how an email names a time

Lock order, to keep concurrent actions from deadlocking: a Claim row first, then the
Candidate row (move_stage locks it), then a ScheduledCall row.

The modules import one way only: guards and zones, then booking, claims, contact, next_steps, calls.
"""
