"""Mentors: profiles, state leads and coverage, ranked matching with reasons, mentorships and
their introductions (a help-request kind this app registers)."""
