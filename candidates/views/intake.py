"""The public front door: the signup form, its thank-you page, the privacy notice, and the
link a known person follows to confirm the changes a submission proposed."""

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from candidates.forms.intake import SignupForm
from candidates.models import RejectedPostCount, Submission
from candidates.services import intake, proposed_updates, spam
from candidates.tasks import ring_for_signups
from rfs.accounts.security import client_limit_key


def _posted(request: HttpRequest) -> dict:
    """What the person sent, as they sent it, without the CSRF token."""
    return {
        key: values if len(values) > 1 else values[0]
        for key, values in request.POST.lists()
        if key != "csrfmiddlewaretoken"
    }


# The blank form's fields as HTML, kept by each process: see _blank_fields.
_BLANK_FIELDS: dict[tuple, SafeString] = {}
BLANK_FIELDS_KEPT = 16


def _blank_fields(form: SignupForm) -> SafeString:
    """The blank form's fields, rendered once per process for each language, year and list of
    named answers (all they vary with): 25 fields through their templates cost a page view
    about 60 ms of CPU, far more than the rest of it (every signup starts with this page).
    Rendered from a form with fields of its own: `form` may share its fields (never shown)."""
    key = (
        translation.get_language(),
        timezone.localdate().year,
        tuple(form.fields["heard_from"].choices),
    )
    html = _BLANK_FIELDS.get(key)
    if html is None:
        if len(_BLANK_FIELDS) >= BLANK_FIELDS_KEPT:
            _BLANK_FIELDS.clear()
        html = _BLANK_FIELDS[key] = render_to_string(
            "candidates/signup_fields.html", {"form": SignupForm()}
        )
    return html


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    # Forms that share their fields with every other (SignupForm's shared=True): the page
    # shows its fields from _blank_fields, and a post is only checked, unless it is shown again.
    if request.method == "GET":
        form = SignupForm(shared=True)
        return render(
            request,
            "candidates/signup.html",
            {"form": form, "blank_fields": _blank_fields(form)},
        )

    form = SignupForm(request.POST, shared=True)
    if not form.is_spam and not form.is_valid():
        # Shown again with what they typed and the errors: a form with fields of its own.
        form = SignupForm(request.POST)
        return render(request, "candidates/signup.html", {"form": form})

    ip_hash = intake.hash_ip(client_limit_key(request))
    kept = {
        "channel": Submission.Channel.FORM,
        "ip_hash": ip_hash,
        "user_agent": request.META.get("HTTP_USER_AGENT", ""),
    }
    posted = _posted(request)
    if not intake.allow_signup(ip_hash=ip_hash):
        spam.reject_post(**kept, payload=posted, reason=RejectedPostCount.Reason.RATE_LIMIT)
        return render(request, "candidates/rate_limited.html", status=429)
    if form.is_spam:
        # Bots see the same thank-you page as people: nothing tells them they were caught.
        spam.reject_post(**kept, payload=posted, reason=RejectedPostCount.Reason.HONEYPOT)
    else:
        # Stored in one INSERT and resolved by a worker moments later: what the person sees
        # and is emailed never depended on whether we knew them.
        payload = spam.capped(posted, spam.ACCEPTED, fields=form.fields)
        intake.accept_signup(
            data=form.cleaned_data,
            payload=payload,
            ip_hash=ip_hash,
            user_agent=kept["user_agent"],
            language=translation.get_language(),
        )
        transaction.on_commit(ring_for_signups)
    return redirect("intake:thanks")


def thanks(request: HttpRequest) -> HttpResponse:
    # The same page for everyone: it never says whether we knew the email or phone already.
    return render(request, "candidates/thanks.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "candidates/privacy.html")


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_update(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the email to the address on file. Opening it shows the changes; only the
    button applies them (mail scanners open links, they do not press buttons)."""
    proposal = proposed_updates.proposal_for_token(token)
    # The page speaks the language of the email that links it: the person's own.
    language = proposal.candidate.language if proposal else settings.LANGUAGE_CODE
    with translation.override(language):
        return _confirm_update(request, proposal)


def _confirm_update(request: HttpRequest, proposal) -> HttpResponse:
    if proposal is None or not proposal.is_pending:
        status = 400 if proposal is None else 200
        return render(
            request, "candidates/update_confirm.html", {"proposal": proposal}, status=status
        )
    if request.method == "POST":
        try:
            skipped = proposed_updates.confirm_update(proposal=proposal)
        except proposed_updates.UpdateRefused:  # confirmed a moment ago (a double click)
            proposal.refresh_from_db()
            return render(request, "candidates/update_confirm.html", {"proposal": proposal})
        return render(
            request, "candidates/update_confirm.html", {"proposal": proposal, "skipped": skipped}
        )
    return render(
        request,
        "candidates/update_confirm.html",
        {"proposal": proposal, "changes": proposed_updates.described(proposal)},
    )
