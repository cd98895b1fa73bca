"""A check-back email's one-click link: the candidate asks to talk again (no login: the
signed link acts for the person it was sent to; a GET only shows the button)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from screening.services import next_steps


def talk_again(request: HttpRequest, token: str) -> HttpResponse:
    follow_up = next_steps.follow_up_for_token(token)
    if follow_up is None:
        return render(request, "screening/talk_again.html", {"invalid": True}, status=404)
    done = follow_up.talk_again_at is not None
    if request.method == "POST" and not done:
        next_steps.talk_again(follow_up=follow_up)
        done = True
    # The page speaks the language of the email that links it: the candidate's own.
    with translation.override(follow_up.candidate.language):
        return render(
            request,
            "screening/talk_again.html",
            {"name": follow_up.candidate.greeting_name, "done": done},
        )
