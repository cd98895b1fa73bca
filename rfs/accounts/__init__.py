"""Ground: users and roles, where each role works (places, registered by the apps), login
security (second factor, lockouts, the client's address, rate limits), allauth's adapter."""
