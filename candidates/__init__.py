"""The base of the domain: who the candidates are, how they came to us, where they are in
the pipeline, and what they asked for.

- models: Candidate, StageChange (each stay's end kept on it) and StageDay, StayDay (daily
  counts of the history), SignupDay and ResponseDay (daily counts kept by triggers),
  Submission, ProposedUpdate, Note, HelpRequest (its rules as QuerySet methods),
  RequestMessage, ResponseTarget, WorkingHours, Holiday, imports
- details: a person's answers normalised, compared and described
- request_kinds: the kinds of help request and the teams that own them, registered by apps
- panels: the panels apps above add to a candidate's staff page
- csv_files: reading uploaded CSV, writing cells no spreadsheet runs
- services/, forms/, views/: use-cases, forms and pages, one module per area
- tasks: the CSV import's batches, the help-request sweep
- management/commands/check_rollups: recounts the stays and every daily count from the rows

It names no app above it: they register what it should show or route (see apps.py of each).
"""
