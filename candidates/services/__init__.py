"""Use-cases of the candidates app, one module per area:

- pipeline: stage moves (the only way a candidate's stage changes)
- intake:   resolving a submission to a candidate (form, import, partner webhook)
- requests: opening, answering and resolving help requests
"""
