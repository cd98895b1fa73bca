"""Views of the partners app: staff's (staff) and a partner login's own (portal)."""
