"""The public front door: the signup form, its thank-you page and the privacy notice."""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from candidates.forms.intake import SignupForm
from candidates.models import Submission
from candidates.services import intake


def _posted(request: HttpRequest) -> dict:
    """What the person sent, as they sent it, without the CSRF token."""
    return {
        key: values if len(values) > 1 else values[0]
        for key, values in request.POST.lists()
        if key != "csrfmiddlewaretoken"
    }


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "candidates/signup.html", {"form": SignupForm()})

    form = SignupForm(request.POST)
    if not form.is_spam and not form.is_valid():
        return render(request, "candidates/signup.html", {"form": form})

    ip_hash = intake.hash_ip(get_client_ip_address(request))
    kept = {
        "channel": Submission.Channel.FORM,
        "payload": _posted(request),
        "ip_hash": ip_hash,
        "user_agent": request.META.get("HTTP_USER_AGENT", ""),
    }
    if not intake.allow_signup(ip_hash=ip_hash):
        intake.keep_rejected(
            **kept,
            outcome=Submission.Outcome.REJECTED,
            reason=f"Rate limit: more than {settings.RFS_SIGNUP_RATE_LIMIT} signups "
            "from this address in an hour.",
        )
        return render(request, "candidates/rate_limited.html", status=429)
    if form.is_spam:
        # Bots see the same thank-you page as people: nothing tells them they were caught.
        intake.keep_rejected(**kept, outcome=Submission.Outcome.SPAM, reason="Honeypot filled.")
    else:
        intake.resolve_submission(data=form.cleaned_data, **kept)
    return redirect("candidates:thanks")


def thanks(request: HttpRequest) -> HttpResponse:
    # The same page for everyone: it never says whether we knew the email or phone already.
    return render(request, "candidates/thanks.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "candidates/privacy.html")
