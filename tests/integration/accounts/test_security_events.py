"""The security event log: what is recorded, from where, the staff page, and how long."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rfs.accounts.events import Kind, hash_address, purge_old_events, record_event
from rfs.accounts.models import Role, SecurityEvent
from tests.factories.accounts import UserFactory
from tests.factories.candidates import CandidateFactory
from tests.support import totp

IP = "203.0.113.5"


def log_in(client, email: str, password: str, ip: str = IP):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip
    )


@pytest.fixture
def generous_allauth_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "1000/m/ip", "login": "1000/m/ip"}


def test_login_is_recorded_with_a_hashed_address(client, db, password):
    user = UserFactory(role=Role.CANDIDATE)
    log_in(client, user.email, password)
    event = SecurityEvent.objects.get(kind=Kind.LOGIN)
    assert (event.actor, event.actor_label) == (user, user.email)
    assert event.address_hash == hash_address(IP)
    assert IP not in event.address_hash
    assert len(event.address_hash) == 64


def test_failed_login_names_the_address_tried(client, db):
    log_in(client, "Nobody@Example.org", "guess")
    event = SecurityEvent.objects.get(kind=Kind.LOGIN_FAILED)
    assert (event.actor, event.actor_label) == (None, "nobody@example.org")
    assert event.address_hash == hash_address(IP)


def test_lockout_is_recorded(client, db, settings, generous_allauth_limits):
    user = UserFactory(role=Role.STAFF, is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        log_in(client, user.email, "guess")
    locked = SecurityEvent.objects.filter(kind=Kind.LOCKED_OUT)
    assert locked.exists()
    assert locked.first().actor_label == user.email


def test_second_factor_added_is_recorded(client, password, db, django_capture_on_commit_callbacks):
    user = UserFactory(role=Role.SCREENER)
    log_in(client, user.email, password)
    client.post(reverse("account_reauthenticate"), {"password": password})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_activate_totp"), {"code": totp.code(secret)})
    added = SecurityEvent.objects.filter(kind=Kind.SECOND_FACTOR_ADDED)
    # The authenticator app, and the recovery codes made with it.
    assert {(event.actor, event.detail) for event in added} >= {(user, "totp")}


def test_role_change_in_the_admin_is_recorded(client_for, staff):
    staff.is_superuser = True
    staff.save()
    person = UserFactory(role=Role.CANDIDATE, email="newscreener@example.org")
    response = client_for(staff).post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        {
            "email": person.email,
            "name": person.name,
            "roles": [Role.CANDIDATE, Role.SCREENER],
            "time_zone": "",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = SecurityEvent.objects.get(kind=Kind.ROLE_CHANGED)
    assert (event.actor, event.subject_label) == (staff, "newscreener@example.org")
    assert event.detail == "Roles: added Volunteer screener"
    person.refresh_from_db()
    assert person.roles == [Role.SCREENER, Role.CANDIDATE]


def test_removing_a_role_in_the_admin_is_recorded(client_for, staff):
    staff.is_superuser = True
    staff.save()
    person = UserFactory(roles=[Role.SCREENER, Role.CANDIDATE], email="stepsback@example.org")
    response = client_for(staff).post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        {
            "email": person.email,
            "name": person.name,
            "roles": [Role.CANDIDATE],
            "time_zone": "",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = SecurityEvent.objects.get(kind=Kind.ROLE_CHANGED)
    assert event.detail == "Roles: removed Volunteer screener"
    person.refresh_from_db()
    assert person.roles == [Role.CANDIDATE]


def test_viewing_a_candidate_page_is_recorded_once_an_hour(client_for, staff):
    candidate = CandidateFactory(first_name="Ada", last_name="Lovelace")
    client = client_for(staff)
    client.get(candidate.get_absolute_url())
    client.get(candidate.get_absolute_url())
    views = SecurityEvent.objects.filter(kind=Kind.VIEWED_PERSONAL_DATA)
    assert views.count() == 1
    assert (views.get().subject_id, views.get().subject_label) == (candidate.uuid, "Ada Lovelace")


def test_candidate_export_and_unique_people_csv_are_recorded(client_for, staff):
    client = client_for(staff)
    b"".join(client.post(reverse("candidates:export")).streaming_content)
    b"".join(client.get(reverse("candidates:unique_count_csv")).streaming_content)
    details = set(SecurityEvent.objects.filter(kind=Kind.EXPORT).values_list("detail", flat=True))
    assert details == {"Candidates CSV", "Unique people CSV"}


@pytest.fixture
def events(staff):
    other = UserFactory(email="zed@example.org", role=Role.STAFF)
    record_event(kind=Kind.LOGIN, actor=staff)
    record_event(kind=Kind.EXPORT, actor=other, detail="Candidates CSV")
    old = record_event(kind=Kind.VIEWED_PERSONAL_DATA, actor=staff, subject_label="Ada Lovelace")
    SecurityEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=3))


def test_staff_page_lists_and_filters(client_for, staff, events):
    client = client_for(staff)
    url = reverse("accounts:security_events")
    html = client.get(url).content.decode()
    assert "Ada Lovelace" in html and "zed@example.org" in html
    html = client.get(url, {"who": "zed@"}).content.decode()
    assert "zed@example.org" in html and "Ada Lovelace" not in html
    html = client.get(url, {"subject": "lovelace"}).content.decode()
    assert "Ada Lovelace" in html and "zed@example.org" not in html
    html = client.get(url, {"kind": Kind.LOGIN}).content.decode()
    assert "Logged in" in html and "zed@example.org" not in html
    today = timezone.localdate().isoformat()
    html = client.get(url, {"since": today}).content.decode()
    assert "Ada Lovelace" not in html and "zed@example.org" in html


def test_bad_dates_are_shown_beside_the_field(client_for, staff, events):
    response = client_for(staff).get(
        reverse("accounts:security_events"), {"since": "2026-02-02", "until": "2026-01-01"}
    )
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()


def test_staff_page_query_count_does_not_grow(client_for, staff, events, django_assert_num_queries):
    client = client_for(staff)
    url = reverse("accounts:security_events")
    client.get(url)
    for _ in range(20):
        record_event(kind=Kind.LOGIN, actor=staff)
    # The session's user, the count and the page's rows.
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200


def test_csv_has_the_filtered_events(client_for, staff, events):
    response = client_for(staff).get(reverse("accounts:security_events_csv"), {"who": "zed@"})
    text = b"".join(response.streaming_content).decode()
    lines = text.strip().splitlines()
    assert lines[0].startswith("at,kind,who")
    assert len(lines) == 2 and "zed@example.org" in lines[1] and "export" in lines[1]
    # Downloading the log is itself an export.
    assert SecurityEvent.objects.filter(actor=staff, detail="Security log CSV").exists()


@pytest.mark.parametrize("persona", ["screener", "mentor", "outsider"])
@pytest.mark.parametrize("name", ["accounts:security_events", "accounts:security_events_csv"])
def test_other_roles_get_403(request, client_for, persona, name):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse(name)).status_code == 403


def test_events_older_than_the_retention_are_purged(db, settings, staff):
    settings.RFS_SECURITY_EVENT_RETENTION_DAYS = 30
    kept = record_event(kind=Kind.LOGIN, actor=staff)
    old = record_event(kind=Kind.LOGIN, actor=staff)
    SecurityEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=31))
    assert purge_old_events() == 1
    assert list(SecurityEvent.objects.all()) == [kept]
