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


class RefusingBackend(LocmemBackend):
    """An SMTP server that refuses every recipient, naming them in its error (as smtplib does)."""

    def send_messages(self, messages):
        import smtplib

        recipients = {to: (550, b"5.1.1 mailbox unavailable") for m in messages for to in m.to}
        raise smtplib.SMTPRecipientsRefused(recipients)


class RefusingSomeBackend(LocmemBackend):
    """An SMTP server that refuses the address refused@example.org and takes the rest."""

    def send_messages(self, messages):
        import smtplib

        for message in messages:
            if "refused@example.org" in message.to:
                raise smtplib.SMTPRecipientsRefused({"refused@example.org": (550, b"no")})
        return super().send_messages(messages)
