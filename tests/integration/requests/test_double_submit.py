"""A double click (or a reload that posts again) makes one question or one reply, and one
email, not two."""

import pytest
from django.urls import reverse

from candidates import request_kinds
from candidates.models import HelpRequest, RequestMessage
from candidates.services.help_requests import ask_question
from rfs.notify.models import Notification

pytestmark = pytest.mark.django_db

QUESTION = {"topic": "fundraising", "subject": "First donors", "body": "Whom do I ask first?"}


def test_a_question_posted_twice_is_asked_once(client_for, candidate_user, candidate):
    client = client_for(candidate_user)

    first = client.post(reverse("portal:ask"), QUESTION)
    second = client.post(reverse("portal:ask"), QUESTION)

    request = HelpRequest.objects.get(kind=request_kinds.QUESTION)
    assert first.url == second.url == request.get_absolute_url()
    assert request.messages.count() == 1
    assert Notification.objects.filter(template="request_new").count() == 1


def test_a_different_question_is_a_new_request(client_for, candidate_user, candidate):
    client = client_for(candidate_user)

    client.post(reverse("portal:ask"), QUESTION)
    client.post(reverse("portal:ask"), {**QUESTION, "body": "And then whom?"})

    assert HelpRequest.objects.filter(kind=request_kinds.QUESTION).count() == 2


def test_a_reply_posted_twice_is_sent_once(client_for, staff, candidate, candidate_user):
    request = ask_question(by=candidate_user, candidate=candidate, **QUESTION)
    client = client_for(staff)
    url = reverse("candidates:request_reply", args=[request.uuid])

    client.post(url, {"body": "Your family and friends.", "action": "reply"})
    client.post(url, {"body": "Your family and friends.", "action": "reply"})

    assert RequestMessage.objects.filter(help_request=request, from_helper=True).count() == 1
    assert Notification.objects.filter(template="request_reply").count() == 1


def test_the_same_words_later_in_the_conversation_are_a_new_reply(
    client_for, staff, candidate, candidate_user
):
    request = ask_question(by=candidate_user, candidate=candidate, **QUESTION)
    client = client_for(staff)
    url = reverse("candidates:request_reply", args=[request.uuid])

    client.post(url, {"body": "Thanks!", "action": "reply"})
    client_for(candidate_user).post(url, {"body": "Done, thank you.", "action": "reply"})
    client_for(staff).post(url, {"body": "Thanks!", "action": "reply"})

    assert RequestMessage.objects.filter(help_request=request, from_helper=True).count() == 2
