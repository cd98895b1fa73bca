"""The suppression list at sending time: which addresses a batch may not be sent to, the
unsubscribe headers of emails that are not direct answers, and the signed tokens that tie
an unsubscribe link or a bounce back to its address or email.

What each reason stops, by kind of email (kinds.py):

    reason        account emails    direct answers    everything else
    hard bounce   stopped           stopped           stopped
    complaint     sent              stopped           stopped
    unsubscribe   sent              sent              stopped

A hard bounce means the address takes no mail at all: sending to it again (even a login
code) only lowers our standing with mailbox providers. An unsubscribe says "no more of your
mailings", not "never answer me": a person who unsubscribed and then asks for a login code,
books a call or asks a question still gets the answer. A complaint (they marked our mail as
spam) stops direct answers too, because anyone can type an address into a public form and
make us "answer" it; account emails still go (login codes, resets, invitations to set a
password, and the other secret links: confirming a proposed update), or the person could not
reach their own record at all. Staff can lift any suppression.
"""

from email.utils import parseaddr

from django.conf import settings
from django.core import signing
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from rfs.notify import kinds
from rfs.notify.models import Notification, Suppression

UNSUBSCRIBE_SALT = "rfs.notify.unsubscribe"
BOUNCE_SALT = "rfs.notify.bounce"
UNSUBSCRIBE_MAIL_SALT = "rfs.notify.unsubscribe-mail"
# Where an unsubscribe by email goes: <bounce localpart>+<this><token>@<bounce domain>.
UNSUBSCRIBE_MARK = "u"


def normalise(email: str) -> str:
    return email.strip().lower()


def is_direct(row: Notification) -> bool:
    """An account email, or a kind registered as a direct answer."""
    return row.secret or kinds.is_direct(row.template)


def stops(reason: str, row: Notification) -> bool:
    """Whether a standing suppression for `reason` stops `row` (the table above)."""
    if reason == Suppression.Reason.HARD_BOUNCE:
        return True
    if reason == Suppression.Reason.COMPLAINT:
        return not row.secret
    return not is_direct(row)


def stopped(rows: list[Notification]) -> dict[int, Suppression]:
    """The rows of a batch that may not be sent, each with the suppression that stops it.
    One query for the whole batch's addresses."""
    addresses = {normalise(row.to_email) for row in rows}
    standing: dict[str, list[Suppression]] = {}
    for suppression in Suppression.objects.active().filter(email__in=addresses):
        standing.setdefault(suppression.email, []).append(suppression)
    found = {}
    for row in rows:
        for suppression in standing.get(normalise(row.to_email), []):
            if stops(suppression.reason, row):
                found[row.pk] = suppression
                break
    return found


# --- Unsubscribe links and their headers ---------------------------------------------------


def unsubscribe_token(email: str) -> str:
    """A token carrying the address, signed, without a time: an old email's link must still
    work (RFC 8058 asks that it keeps working for a long time)."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(normalise(email), compress=True)


def address_of(token: str) -> str | None:
    """The address an unsubscribe token carries, or None if it is not genuine."""
    try:
        email = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    return email if isinstance(email, str) else None


def latest_language(email: str) -> str:
    """The language of the latest email to an address: its unsubscribe page speaks it."""
    latest = (
        Notification.objects.alias(address=Lower("to_email"))
        .filter(address=email.lower())
        .order_by("-created_at")
        .values_list("language", flat=True)
        .first()
    )
    return latest or settings.LANGUAGE_CODE


def list_unsubscribe_headers(row: Notification) -> dict[str, str]:
    """RFC 2369 and RFC 8058 headers for an email that is not a direct answer; none for one
    that is. The mailto: is offered only when bounce messages reach us (VERP is on)."""
    if is_direct(row):
        return {}
    path = reverse("notify:unsubscribe", args=[unsubscribe_token(row.to_email)])
    targets = [f"<{settings.SITE_URL}{path}>"]
    if settings.RFS_OUTBOX_BOUNCE_DOMAIN:
        mailbox = _verp_address(UNSUBSCRIBE_MARK + _signed_id(row.pk, UNSUBSCRIBE_MAIL_SALT))
        targets.append(f"<mailto:{mailbox}?subject=unsubscribe>")
    return {
        "List-Unsubscribe": ", ".join(targets),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


# --- VERP: the envelope sender names the email ---------------------------------------------


def _signed_id(pk: int, salt: str) -> str:
    # Hex, not base64: some mail servers lower-case the local part of an address.
    return f"{pk}-{salted_hmac(salt, str(pk)).hexdigest()[:16]}"


def _verp_address(token: str) -> str:
    return f"{settings.RFS_OUTBOX_BOUNCE_LOCALPART}+{token}@{settings.RFS_OUTBOX_BOUNCE_DOMAIN}"


def return_path(row: Notification) -> str:
    """The envelope sender: bounces+<id>-<mac>@<bounce domain> with VERP on, so a bounce
    names the email it is about; the From address's own when it is off."""
    if not settings.RFS_OUTBOX_BOUNCE_DOMAIN:
        return settings.DEFAULT_FROM_EMAIL
    return _verp_address(_signed_id(row.pk, BOUNCE_SALT))


def read_verp(recipient: str) -> tuple[str, int] | None:
    """("bounce" or "unsubscribe", the notification's id) from the address a bounce or an
    unsubscribe email was sent to, or None if it is not one of ours, genuine."""
    local = parseaddr(recipient)[1].rpartition("@")[0].lower()
    prefix = settings.RFS_OUTBOX_BOUNCE_LOCALPART.lower() + "+"
    if not local.startswith(prefix):
        return None
    token = local.removeprefix(prefix)
    purpose, salt = "bounce", BOUNCE_SALT
    if token.startswith(UNSUBSCRIBE_MARK):
        purpose, salt, token = "unsubscribe", UNSUBSCRIBE_MAIL_SALT, token[1:]
    pk, _, _mac = token.partition("-")
    if not pk.isdigit() or not constant_time_compare(_signed_id(int(pk), salt), token):
        return None
    return purpose, int(pk)
