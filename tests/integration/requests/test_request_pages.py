from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates import request_kinds
from candidates.models import HelpRequest, Holiday, RequestMessage, ResponseTarget, WorkingHours
from candidates.services.help_requests import ask_question, open_request, post_reply
from tests.factories.candidates import CandidateFactory

pytestmark = pytest.mark.django_db


def test_staff_see_open_and_overdue_requests_with_owners_and_figures(
    client_for, staff, mentor, django_assert_num_queries
):
    long_ago = timezone.now() - timedelta(days=5)
    late = open_request(
        candidate=CandidateFactory(first_name="Lena"), kind="question", owner=mentor, at=long_ago
    )
    for n in range(4):
        open_request(candidate=CandidateFactory(first_name=f"Open{n}"), kind="question")
    answered = open_request(candidate=CandidateFactory(), kind="question", at=long_ago)
    post_reply(
        help_request=answered,
        author=staff,
        body="Here",
        resolve=True,
        at=long_ago + timedelta(hours=3),
    )

    client = client_for(staff)
    client.get(reverse("candidates:requests"))
    # user, the filters' counts, the owners, the open page, overdue list, figures per kind,
    # per week, per mentor, per team
    with django_assert_num_queries(9):
        response = client.get(reverse("candidates:requests"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Lena" in body and "Mia Mentor" in body
    assert "Open3" in body
    assert "Overdue (1)" in body
    assert "3.0 h" in body  # the answered request's first response
    assert late.get_absolute_url() in body


def test_open_list_filters_by_kind(client_for, staff):
    open_request(candidate=CandidateFactory(first_name="Quentin"), kind="question")
    open_request(candidate=CandidateFactory(first_name="Fiona"), kind="first_contact")
    body = (
        client_for(staff)
        .get(reverse("candidates:requests"), {"kind": "question", "whose": "all"})
        .content
    )
    assert b"Quentin" in body and b"Fiona" not in body


def test_reply_through_the_page(client_for, staff):
    candidate = CandidateFactory()
    request = ask_question(candidate=candidate, topic="field", subject="Doors", body="?", by=None)
    client = client_for(staff)
    url = reverse("candidates:request_reply", args=[request.uuid])
    response = client.post(url, {"body": "  ", "action": "reply"})
    assert response.status_code == 200 and "Write a reply." in response.content.decode()
    response = client.post(url, {"body": "Knock on 30 a night.", "action": "wait"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.WAITING
    assert RequestMessage.objects.filter(help_request=request, from_helper=True).count() == 1


def test_staff_set_response_times(client_for, staff):
    client = client_for(staff)
    url = reverse("candidates:request_settings")
    assert client.get(url).status_code == 200
    data = {
        "section": "targets",
        **{kind: "24" for kind, _ in request_kinds.choices()},
    }
    data["question"] = "12"
    data["first_contact_clock"] = "calendar_days"
    response = client.post(url, data)
    assert response.status_code == 302
    question = ResponseTarget.objects.get(kind="question")
    assert (question.amount, question.clock) == (12, "business_hours")
    assert ResponseTarget.objects.get(kind="first_contact").clock == "calendar_days"

    data["question"] = "0"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()
    assert ResponseTarget.objects.get(kind="question").amount == 12


def test_staff_set_working_hours_and_holidays(client_for, staff):
    client = client_for(staff)
    url = reverse("candidates:request_settings")
    data = {"section": "hours", "opens_0": "09:00", "closes_0": "17:00", "opens_1": "10:00"}
    response = client.post(url, data)
    assert "Give both times for Tuesday, or neither." in response.content.decode()
    assert not WorkingHours.objects.exists()

    data["closes_1"] = "09:00"
    assert "Closing time must be after" in client.post(url, data).content.decode()
    data["closes_1"] = "16:00"
    assert client.post(url, data).status_code == 302
    assert list(WorkingHours.objects.values_list("weekday", "opens", "closes")) == [
        (0, time(9), time(17)),
        (1, time(10), time(16)),
    ]

    day = timezone.localdate() + timedelta(days=10)
    client.post(url, {"section": "holiday", "date": day.isoformat(), "name": "Founders Day"})
    holiday = Holiday.objects.get()
    assert holiday.date == day
    assert "Founders Day" in client.get(url).content.decode()
    client.post(reverse("candidates:request_remove_holiday", args=[holiday.pk]))
    assert not Holiday.objects.exists()
