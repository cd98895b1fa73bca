"""Email backends for tests that need a server that fails, then recovers."""

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

failures_left = {"count": 0}


class FlakyBackend(LocmemBackend):
    """Raises while `failures_left["count"]` is positive, like an SMTP server that is down."""

    def send_messages(self, messages):
        if failures_left["count"] > 0:
            failures_left["count"] -= 1
            raise ConnectionRefusedError("SMTP server refused the connection")
        return super().send_messages(messages)
