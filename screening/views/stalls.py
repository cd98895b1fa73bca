"""Stalled candidates: staff's list, and the candidate's one-click answer to a check-in."""

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation

from candidates.geography import STATE_CHOICES
from candidates.models import Stage
from rfs.accounts.models import Role
from rfs.accounts.roles import role_required
from screening.services import stalls

PAGE_SIZE = 50


class StalledFilterForm(forms.Form):
    state = forms.ChoiceField(choices=[("", "All states"), *STATE_CHOICES], required=False)
    stage = forms.ChoiceField(
        choices=[("", "All stages"), *((s.value, s.label) for s in stalls.STALLING_STAGES)],
        required=False,
    )


@role_required(Role.STAFF)
def stalled(request: HttpRequest) -> HttpResponse:
    form = StalledFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = stalls.stalled_list(
        timezone.now(), state=filters.get("state", ""), stage=filters.get("stage", "")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/stalled_list.html",
        {"form": form, "page": page, "weeks": stalls.settings.RFS_STALLED_WEEKS, "Stage": Stage},
    )


def check_in_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The check-in email's links: a GET shows one button (mail scanners follow links), the
    POST records the answer, once."""
    found = stalls.check_in_for_token(token)
    if found is None:
        return render(request, "screening/check_in_answer.html", {"invalid": True}, status=404)
    check_in, answer = found
    done = check_in.answered_at is not None
    if request.method == "POST" and not done:
        stalls.answer_check_in(check_in=check_in, answer=answer)
        done = True
    # The page speaks the language of the email that links it: the candidate's own.
    with translation.override(check_in.candidate.language):
        return render(
            request,
            "screening/check_in_answer.html",
            {"name": check_in.candidate.greeting_name, "answer": answer, "done": done},
        )
