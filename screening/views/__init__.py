"""Screening pages, one module per area:

- queue:     the queue, claiming from it, releasing a claim, and a screener's own page
- work:      a claimed candidate's page and what a screener does there (attempts, booking
             a call, moving them to unresponsive); the screening panel of a staff
             candidate page shows the same record
- call_logs: logging a call, a call log's page, and editing it
- referrals: referring the candidate to a partner at the end of a call (partners' services)
- oversight: staff's pages: all calls, their CSV export, volunteer hours
- access:    who may open the screening pages, and the candidate a user may work on
"""
