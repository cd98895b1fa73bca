"""Ground: the outbox. services records an email in the caller's transaction; delivery sends
it (once, with backoff); retention drops secrets once sent and purges old bodies; tasks are
the worker's and beat's side of it."""
