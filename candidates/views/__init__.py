"""Views of the candidates app, one module per area: intake (public signup), staff
(candidate pages), portal (the candidate's own pages), requests (help requests)."""
