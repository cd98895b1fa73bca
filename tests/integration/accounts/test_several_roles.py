"""One person, several roles: the set in the database, grants that add and revoke, the
places of each role, and the second factor when any role sees personal data."""

import pytest
from django.db import IntegrityError
from django.template import Context, Template
from django.urls import reverse

from rfs.accounts import places
from rfs.accounts.models import Role, SecurityEvent, User
from rfs.accounts.services import grant_role, revoke_role
from tests.factories.accounts import UserFactory
from tests.support import totp

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("roles", [["staff", "staff"], ["boss"], ["mentor", "candidate", "mentor"]])
def test_the_database_refuses_unknown_or_repeated_roles(roles):
    user = UserFactory(role=Role.MENTOR)
    with pytest.raises(IntegrityError):
        User.objects.filter(pk=user.pk).update(roles=roles)


def test_with_role_finds_everyone_holding_any_of_the_roles():
    staff_mentor = UserFactory(roles=[Role.STAFF, Role.MENTOR])
    mentor = UserFactory(role=Role.MENTOR)
    UserFactory(role=Role.SCREENER)
    assert set(User.objects.with_role(Role.MENTOR)) == {staff_mentor, mentor}
    assert set(User.objects.with_role(Role.STAFF, Role.REVIEWER)) == {staff_mentor}


def test_has_role_is_true_for_each_role_held_and_false_when_inactive():
    user = UserFactory(roles=[Role.SCREENER, Role.CANDIDATE])
    assert user.has_role(Role.SCREENER) and user.has_role(Role.CANDIDATE)
    assert user.has_role(Role.STAFF, Role.CANDIDATE)
    assert not user.has_role(Role.STAFF)
    user.is_active = False
    assert not user.has_role(Role.SCREENER)


def test_granting_adds_a_role_once_and_logs_it(staff):
    user = UserFactory(role=Role.CANDIDATE)
    grant_role(user=user, role=Role.SCREENER, by=staff)
    grant_role(user=user, role=Role.SCREENER, by=staff)
    user.refresh_from_db()
    assert user.roles == [Role.SCREENER, Role.CANDIDATE]
    [event] = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ROLE_CHANGED)
    assert (event.actor, event.subject_label) == (staff, user.email)
    assert event.detail == "Roles: added Volunteer screener"


def test_revoking_removes_only_that_role_and_logs_it(staff):
    user = UserFactory(roles=[Role.STAFF, Role.MENTOR])
    revoke_role(user=user, role=Role.MENTOR, by=staff)
    revoke_role(user=user, role=Role.REVIEWER, by=staff)  # not held: nothing happens
    user.refresh_from_db()
    assert user.roles == [Role.STAFF]
    [event] = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ROLE_CHANGED)
    assert event.detail == "Roles: removed Mentor"


def test_an_unknown_role_is_refused():
    with pytest.raises(ValueError, match="Unknown roles: boss"):
        grant_role(user=UserFactory(), role="boss")


def test_the_menu_of_several_roles_is_each_roles_menu_once_in_order():
    staff_menu, mentor_menu = places.menu(Role.STAFF), places.menu(Role.MENTOR)
    both = places.menu(Role.STAFF, Role.MENTOR)
    # A page both roles have (the request list) appears once, where staff's menu has it.
    shared = {url for _, url in staff_menu} & {url for _, url in mentor_menu}
    assert shared == {"candidates:requests"}
    assert both == staff_menu + [item for item in mentor_menu if item[1] not in shared]
    assert len({url for _, url in both}) == len(both)


@pytest.mark.parametrize(
    ("roles", "home"),
    [
        ([Role.STAFF], "/dashboard/"),
        ([Role.MENTOR], "/mentors/me/"),
        ([Role.CANDIDATE], "/portal/"),
        ([Role.STAFF, Role.MENTOR], "/places/"),
        ([Role.SCREENER, Role.CANDIDATE], "/places/"),
        ([], "/places/"),
    ],
)
def test_home_goes_to_the_one_roles_start_or_to_the_places_page(client, roles, home):
    client.force_login(UserFactory(roles=roles))
    assert client.get(reverse("home"))["Location"] == home


def test_the_places_page_offers_each_roles_pages(client):
    client.force_login(UserFactory(roles=[Role.STAFF, Role.MENTOR]))
    page = client.get(reverse("accounts:places")).content.decode()
    assert "more than one role" in page
    for role in (Role.STAFF, Role.MENTOR):
        assert Role(role).label in page
        for _, url_name in places.menu(role):
            assert f'href="{reverse(url_name)}"' in page
    # The navigation has both roles' pages.
    assert "Dashboard" in page and "My mentees" in page


def test_the_places_page_of_someone_with_no_role_says_so(client):
    client.force_login(UserFactory(roles=[]))
    response = client.get(reverse("accounts:places"))
    assert response.status_code == 200
    assert "no role yet" in response.content.decode()


def test_a_staff_member_who_mentors_uses_both_roles_pages(client):
    client.force_login(UserFactory(roles=[Role.STAFF, Role.MENTOR]))
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/mentors/me/").status_code == 200
    assert client.get("/partners/our/").status_code == 403


def test_the_template_filter_checks_any_role_held():
    template = Template('{% load roles %}{% if user|has_role:"mentor" %}yes{% else %}no{% endif %}')
    both = UserFactory(roles=[Role.STAFF, Role.MENTOR])
    assert template.render(Context({"user": both})) == "yes"
    assert template.render(Context({"user": UserFactory(role=Role.STAFF)})) == "no"


def test_a_candidate_who_also_screens_needs_the_second_factor(client, settings, password):
    settings.RFS_MFA_REQUIRED = True
    user = UserFactory(roles=[Role.SCREENER, Role.CANDIDATE])
    totp.enrol(user)
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_a_candidate_alone_needs_no_second_factor(client, settings):
    settings.RFS_MFA_REQUIRED = True
    client.force_login(UserFactory(role=Role.CANDIDATE))
    assert client.get(reverse("portal:home")).status_code == 200


def test_the_admin_lists_people_by_any_role_they_hold(client_for, staff):
    staff.is_superuser = True
    staff.save()
    UserFactory(email="dana@example.org", roles=[Role.STAFF, Role.MENTOR])
    UserFactory(email="sky@example.org", role=Role.SCREENER)
    page = client_for(staff).get("/admin/accounts/user/?role=mentor").content.decode()
    assert "dana@example.org" in page and "sky@example.org" not in page
    assert "Staff, Mentor" in page
