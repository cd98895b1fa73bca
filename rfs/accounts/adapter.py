import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction
from django.http import HttpRequest
from django.utils import translation
from django.utils.html import strip_tags

from rfs.accounts import second_factor
from rfs.accounts.security import client_ip
from rfs.notify.services import record_message


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are made by staff or by the candidate signup form, never by self-signup.
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        # The same address axes and the signup limit see (allauth limits IPv6 per /64 itself).
        return client_ip(request) or super().get_client_ip(request)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Account emails (login codes, password resets, verification) go through the outbox
        like every other email, so a worker delivers them and staff see that they went; as
        secrets, their bodies are never shown and are removed once sent."""
        # What allauth's own send_mail gives its templates (the address, the site), and the
        # base of our links, as every other email has it.
        context = {
            "email": email,
            "current_site": get_current_site(allauth_context.request),
            "site_url": settings.SITE_URL,
            **context,
        }
        language = self.email_language(email)
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        html = next(
            (body for body, kind in getattr(message, "alternatives", []) if kind == "text/html"), ""
        )
        text = message.body
        if message.content_subtype == "html":
            html, text = message.body, strip_tags(message.body)
        with transaction.atomic():
            record_message(
                # Each code or link is new, so each email is its own row.
                key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4()}",
                to=email,
                subject=message.subject,
                body_text=text,
                body_html=html,
                template=template_prefix,
                secret=True,
                language=language,
            )

    def email_language(self, email: str) -> str:
        """The language an account email to `email` is written in: the page's, where the
        person asked for it (the site's adapter knows people's own)."""
        return translation.get_language() or settings.LANGUAGE_CODE


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Whoever must use a second factor keeps one: removing it would only send them
        # to enrol another, after a window in which a password alone was enough.
        return not second_factor.required_for(authenticator.user)
