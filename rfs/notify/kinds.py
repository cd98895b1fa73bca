"""The kinds of email the outbox sends, one per template, each registered by the app that
records it (in its AppConfig.ready), saying whether it is a direct answer to the person.

A direct answer is about something the person did or asked, at the time they did it: their
signup's confirmation, their call booked or moved, a reply to their question, the outcome of
their application. Everything else (reminders, nudges, invitations nobody asked for, work
handed to a mentor, a partner or staff) is sent with a one-click unsubscribe (RFC 8058), and
an unsubscribe stops it. Account emails (login codes, resets, invitations to set a password)
are recorded as secrets by allauth's adapter, not through here, and are always direct.
"""

_direct: dict[str, bool] = {}


def register(template: str, *, direct: bool) -> None:
    """Declare the email `template` (templates/emails/<template>_*): a direct answer or not."""
    _direct[template] = direct


def check(template: str) -> None:
    """Refuse to record an email of a kind nobody has declared: whether it may be
    unsubscribed from must be decided, not defaulted."""
    if template not in _direct:
        raise LookupError(
            f"The email {template!r} is not registered: call rfs.notify.kinds.register("
            f"{template!r}, direct=...) in its app's AppConfig.ready()."
        )


def is_direct(template: str) -> bool:
    """Whether an email of `template` answers the person directly. A row recorded already
    written (allauth's) names a template nobody registers: it is sent as before, direct."""
    return _direct.get(template, True)


def registered() -> dict[str, bool]:
    return dict(_direct)
