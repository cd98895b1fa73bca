"""Read one email from standard input, as a mail server's pipe delivers it to the VERP
address (bounces+<id>-<mac>@<bounce domain>): a hard bounce suppresses the address of the
email it names; an email to the unsubscribe address unsubscribes it.

Postfix, for example: an alias `bounces: "|/srv/rfs/.venv/bin/python /srv/rfs/manage.py
process_bounce"` with recipient_delimiter = +; the recipient is read from --recipient, the
ORIGINAL_RECIPIENT or RECIPIENT variable local(8) sets, or the X-Original-To, Delivered-To
or To header. Exits 0 for anything it read (even what it ignores), so the mail server never
bounces a bounce; a database error exits non-zero, and the server tries again later.
"""

import os
import sys

from django.core.management.base import BaseCommand

from rfs.notify import bounces


class Command(BaseCommand):
    help = "Read a bounce (DSN) or an unsubscribe email from stdin and suppress its address."
    # call_command(..., stdin=BytesIO(raw)) in tests.
    stealth_options = ("stdin",)

    def add_arguments(self, parser) -> None:
        parser.add_argument("--recipient", default="", help="The VERP address it was sent to.")

    def handle(self, *args, recipient: str, **options) -> None:
        recipient = (
            recipient or os.environ.get("ORIGINAL_RECIPIENT") or os.environ.get("RECIPIENT", "")
        )
        raw = (options.get("stdin") or sys.stdin.buffer).read()
        self.stdout.write(bounces.receive_message(raw, recipient=recipient))
