"""The candidate portal (site layer): a candidate's own page, their login by emailed code,
corrections to their details and their questions.

- views: the pages; services: what the pages show (stage in plain words, current helpers)
- forms: the login-code forms (including allauth's, see settings.ACCOUNT_FORMS), corrections
  and questions
"""
