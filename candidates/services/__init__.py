"""Use-cases of the candidates app, one module per area:

- intake:           resolving a submission to one candidate (form, import, partner form);
                    the trust rule for people we already know
- proposed_updates: changes a submission proposed, confirmed by the person or applied by staff
- merges:           merge review of submissions that matched two people
- pipeline:         stage moves (the only way a candidate's stage changes)
- help_requests:    opening, answering, resolving, reminding and escalating help requests
- response_times:   the response-time figures of the requests page
- business_hours:   due times that count only working hours
- records:          notes, the timeline, the CSV export
- imports:          the CSV import, batch by batch
- self_service:     a candidate's own login and corrections
- spam:             capped extracts and counts of posts turned away
- search:           the staff list's search, filters and sorting
- data_rights:      a person's data: everything held about them, its erasure, their asking
"""
