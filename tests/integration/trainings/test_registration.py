import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone

from rfs.notify.models import Notification
from tests.factories.candidates import CandidateFactory
from tests.factories.trainings import SessionFactory, TrainingFactory
from trainings import services
from trainings.models import Invitation, Registration

pytestmark = pytest.mark.django_db


def test_an_invitation_goes_to_the_next_session_with_a_one_click_link(client):
    training = TrainingFactory()
    later = SessionFactory(training=training, starts_at=timezone.now() + timedelta(days=20))
    sooner = SessionFactory(training=training, starts_at=timezone.now() + timedelta(days=5))
    candidate = CandidateFactory()
    invitation = services.invite(candidate=candidate, training=training, key="t:1")
    assert invitation.session == sooner != later
    email = Notification.objects.get(template="training_invitation", to_email=candidate.email)
    page = client.get(email.context["link"])
    assert page.status_code == 200
    assert "Register" in page.content.decode()
    assert not Registration.objects.exists()
    client.post(email.context["link"])
    registration = Registration.objects.get()
    assert (registration.candidate, registration.status) == (candidate, "registered")


def test_the_same_key_changes_the_invitation_instead_of_adding_one():
    first, second = TrainingFactory(), TrainingFactory()
    SessionFactory(training=first)
    SessionFactory(training=second)
    candidate = CandidateFactory()
    services.invite(candidate=candidate, training=first, key="call:1")
    services.invite(candidate=candidate, training=first, key="call:1")
    services.invite(candidate=candidate, training=second, key="call:1")
    invitation = Invitation.objects.get()
    assert invitation.training == second
    emails = Notification.objects.filter(template="training_invitation")
    assert sorted(emails.values_list("status", flat=True)) == ["cancelled", "pending"]


def test_an_invitation_without_a_session_waits_for_the_first_one_added():
    training = TrainingFactory()
    candidate = CandidateFactory()
    invitation = services.invite(candidate=candidate, training=training, key="call:2")
    assert invitation.sent_at is None
    session = services.add_session(
        training=training,
        starts_at=timezone.now() + timedelta(days=3),
        time_zone="America/Chicago",
        capacity=5,
        link="https://meet.example.org/x",
        facilitator="Sam",
    )
    invitation.refresh_from_db()
    assert invitation.session == session and invitation.sent_at is not None
    assert Notification.objects.filter(template="training_invitation").count() == 1


def test_a_full_session_waitlists_and_a_freed_place_goes_to_the_first_waiting():
    session = SessionFactory(capacity=1)
    alice, bea, cy = CandidateFactory(), CandidateFactory(), CandidateFactory()
    first = services.register(session=session, candidate=alice)
    second = services.register(session=session, candidate=bea)
    third = services.register(session=session, candidate=cy)
    assert [first.status, second.status, third.status] == ["registered", "waitlisted", "waitlisted"]
    assert services.register(session=session, candidate=bea).pk == second.pk
    services.cancel_registration(registration=first)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == ("registered", "waitlisted")
    assert Notification.objects.filter(template="training_place_offered", to_email=bea.email)


@pytest.mark.django_db(transaction=True)
def test_two_people_registering_for_the_last_place_at_once_get_one_place():
    session = SessionFactory(capacity=1)
    people = [CandidateFactory(), CandidateFactory()]
    barrier = threading.Barrier(2)
    errors = []

    def register(candidate):
        try:
            barrier.wait()
            services.register(session=session, candidate=candidate)
        except Exception as exc:
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=register, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = sorted(Registration.objects.values_list("status", flat=True))
    assert statuses == ["registered", "waitlisted"]


def test_reminders_fall_in_the_candidates_zone_across_a_dst_change():
    # Sunday March 8 2026, 10:00 in New York: the clocks went forward at 02:00 that day.
    starts = datetime(2026, 3, 8, 14, 0, tzinfo=UTC)
    session = SessionFactory(starts_at=starts)
    candidate = CandidateFactory(state="NY", city="Albany", zip_code="12207")
    registration = services.register(
        session=session, candidate=candidate, at=datetime(2026, 3, 1, tzinfo=UTC)
    )
    # The day before at 10:00 EST is 15:00 UTC: 23 hours before, not 24.
    assert registration.day_before_at == datetime(2026, 3, 7, 15, 0, tzinfo=UTC)
    assert registration.hour_before_at == datetime(2026, 3, 8, 13, 0, tzinfo=UTC)
    assert services.send_reminders(now=datetime(2026, 3, 7, 14, 59, tzinfo=UTC)) == 0
    assert services.send_reminders(now=datetime(2026, 3, 7, 15, 0, tzinfo=UTC)) == 1
    assert services.send_reminders(now=datetime(2026, 3, 7, 16, 0, tzinfo=UTC)) == 0
    email = Notification.objects.get(template="training_reminder_day")
    assert "10:00 AM EDT" in email.context["when"]
    assert services.send_reminders(now=datetime(2026, 3, 8, 13, 0, tzinfo=UTC)) == 1


def test_a_cancelled_registration_gets_no_reminder():
    session = SessionFactory(starts_at=timezone.now() + timedelta(hours=30))
    registration = services.register(session=session, candidate=CandidateFactory())
    services.cancel_registration(registration=registration)
    assert services.send_reminders(now=session.starts_at) == 0
    assert not Notification.objects.filter(template__startswith="training_reminder").exists()


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_record_each_reminder_once():
    session = SessionFactory(starts_at=timezone.now() + timedelta(minutes=30))
    for _ in range(5):
        services.register(
            session=session, candidate=CandidateFactory(), at=timezone.now() - timedelta(days=2)
        )
    barrier = threading.Barrier(2)
    counts = []

    def sweep():
        barrier.wait()
        counts.append(services.send_reminders())
        close_old_connections()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Each of the 5 gets its day-before (already due) and its hour-before reminder, once.
    assert sum(counts) == 10
    assert Notification.objects.filter(template__startswith="training_reminder").count() == 10


def test_staff_mark_attendance_and_the_session_page_counts_it(client_for, staff):
    session = SessionFactory()
    registration = services.register(session=session, candidate=CandidateFactory())
    client = client_for(staff)
    client.post(reverse("trainings:attendance", args=[registration.uuid]), {"attended": "yes"})
    registration.refresh_from_db()
    assert registration.attended is True
    page = client.get(reverse("trainings:session", args=[session.uuid]))
    assert "attended" in page.content.decode()


def test_staff_create_a_training_and_a_session_and_bad_input_is_named(client_for, staff):
    client = client_for(staff)
    client.post(reverse("trainings:list"), {"topic": "Fundraising 101", "description": ""})
    training = services.Training.objects.get(topic="Fundraising 101")
    bad = client.post(
        reverse("trainings:detail", args=[training.uuid]),
        {
            "starts_local": "2020-01-01T10:00",
            "time_zone": "America/New_York",
            "duration_minutes": "60",
            "capacity": "0",
            "link": "x",
            "facilitator": "",
        },
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Choose a time in the future." in html
    assert "greater than or equal to 1" in html
    when = (timezone.now() + timedelta(days=8)).strftime("%Y-%m-%dT10:00")
    client.post(
        reverse("trainings:detail", args=[training.uuid]),
        {
            "starts_local": when,
            "time_zone": "America/New_York",
            "duration_minutes": "60",
            "capacity": "12",
            "link": "https://meet.example.org/f",
            "facilitator": "Lee",
        },
    )
    assert training.sessions.get().capacity == 12


def test_only_staff_see_the_training_pages(client_for, screener):
    assert client_for(screener).get(reverse("trainings:list")).status_code == 403


def test_the_candidate_page_panel_shows_invitations_registrations_and_attendance(client_for, staff):
    session = SessionFactory()
    candidate = CandidateFactory()
    services.invite(candidate=candidate, training=session.training, key="panel")
    registration = services.register(session=session, candidate=candidate)
    services.mark_attendance(registration=registration, attended=True)
    html = client_for(staff).get(reverse("trainings:panel", args=[candidate.uuid])).content
    text = html.decode()
    assert f"invited to {session.training.topic}" in text
    assert "registered for" in text and "attended" in text
