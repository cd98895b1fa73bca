"""The base of the domain: who the candidates are, how they came to us, where they are in
the pipeline, and what they asked for.

- models: Candidate, StageChange (each stay's end kept on it) and StageDay (daily counts of
  the history), Submission, ProposedUpdate, Note, HelpRequest (its rules as QuerySet
  methods), RequestMessage, ResponseTarget, WorkingHours, Holiday, imports
- details: a person's answers normalised, compared and described
- request_kinds: the kinds of help request and the teams that own them, registered by apps
- panels: the panels apps above add to a candidate's staff page
- csv_files: reading uploaded CSV, writing cells no spreadsheet runs
- services/, forms/, views/: use-cases, forms and pages, one module per area
- tasks: the CSV import's batches, the help-request sweep
- management/commands/check_rollups: recounts the stays and daily counts from the history

It names no app above it: they register what it should show or route (see apps.py of each).
"""
