"""Every URL of the project against every role, with what it must answer.

Roles are tried in turn on one organisation, each URL on a fresh one, the roles that may not
act first, so an action a permitted role takes cannot hide a refusal.

The list of URLs comes from the URL resolver, so a new URL without an expectation here
fails `test_every_url_has_an_expectation`. Each case runs in a fresh organisation
(tests.integration.security.world): a candidate held by the screener and mentored by the
mentor, whose question the mentor owns.

Answers: "ok" (the page, or an action done or refused with a message: 2xx, 3xx elsewhere
than a login page, or 400 for a form that is not valid), "login" (sent to log in), "code"
(sent to give their second factor first), 403, 404 (not theirs to know about).

The second factor is required here, as in production.
"""

import time

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse

from tests.integration.security import world

ROLES = [
    "anonymous",
    "candidate",
    "screener",
    "mentor",
    "partner",
    "other partner",
    "reviewer",
    "staff without a second factor",
    "staff",
]
LOGIN_PATHS = ("/accounts/login/", "/portal/login/", "/admin/login/")
SECOND_FACTOR_PATH = "/accounts/2fa/reauthenticate/"
REAUTHENTICATE = "/accounts/reauthenticate/"
# The roles whose sessions gave a second factor (in production every role that sees
# personal data must).
GAVE_THE_CODE = {"screener", "mentor", "partner", "other partner", "reviewer", "staff"}


def observe(client, method: str, url: str, *, password: bool = False) -> str | int:
    """The answer to one request; with `password`, being sent to confirm the password is
    "password" (else "ok", as allauth asks that before some account pages)."""
    response = client.post(url, {}) if method == "POST" else client.get(url)
    status = response.status_code
    if status in (301, 302, 303):
        location = response["Location"]
        if location.startswith(SECOND_FACTOR_PATH):
            return "code"
        if password and location.startswith(REAUTHENTICATE):
            return "password"
        return "login" if location.startswith(LOGIN_PATHS) else "ok"
    if 200 <= status < 300 or (status == 400 and method == "POST"):
        return "ok"
    return status


def all_url_names() -> list[str]:
    names = []

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    names.append("admin:index")
                    continue
                inner = pattern.namespace
                walk(
                    pattern.url_patterns,
                    f"{namespace}:{inner}" if namespace and inner else inner or namespace,
                )
            else:
                names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns)
    return names


# name: (method, the world's arguments for it[, query string])
SPECS = {
    "dashboard:list": ("GET", None, "?show=waiting"),
    "account_confirm_email": ("GET", "key"),
    "account_reset_password_from_key": ("GET", "reset"),
    "notify:detail": ("GET", "email"),
    "notify:suppression": ("GET", "suppression"),
    "notify:unsubscribe": ("GET", "token"),
    "notify:events": ("POST", None),
    "screening:claim_next": ("POST", None),
    "screening:candidate": ("GET", "candidate"),
    "screening:claim": ("POST", "candidate"),
    "screening:attempt": ("POST", "candidate"),
    "screening:schedule": ("POST", "candidate"),
    "screening:unresponsive": ("POST", "candidate"),
    "screening:log_call": ("GET", "candidate"),
    "screening:release": ("POST", "claim"),
    "screening:cancel_scheduled": ("POST", "booked"),
    "screening:call": ("GET", "call"),
    "screening:call_edit": ("GET", "call"),
    "screening:panel": ("GET", "candidate"),
    "mentors:availability": ("POST", None),
    "mentors:first_contact": ("POST", "mentorship"),
    "mentors:detail": ("GET", "mentor"),
    "mentors:edit": ("GET", "mentor"),
    "mentors:lead_add": ("POST", "mentor"),
    "mentors:lead_end": ("POST", "lead"),
    "mentors:match_panel": ("GET", "candidate"),
    "mentors:match_confirm": ("POST", "match"),
    "mentors:mentorship_end": ("POST", "mentorship"),
    "candidates:confirm_update": ("GET", "token"),
    "candidates:merge_review_merge": ("POST", "review"),
    "candidates:merge_review_split": ("POST", "review"),
    "candidates:export": ("POST", None),
    "candidates:import": ("GET", "import"),
    "candidates:import_report": ("GET", "import"),
    "candidates:detail": ("GET", "candidate"),
    "candidates:add_note": ("POST", "candidate"),
    "candidates:change_stage": ("POST", "candidate"),
    "candidates:decide_update": ("POST", "update"),
    "candidates:data_export": ("GET", "candidate"),
    "candidates:data_export_json": ("GET", "candidate"),
    "candidates:erase": ("GET", "candidate"),
    "candidates:request_remove_holiday": ("POST", "holiday"),
    "candidates:request": ("GET", "request"),
    "candidates:request_reply": ("POST", "request"),
    "candidates:request_resolve": ("POST", "request"),
    "candidates:request_reopen": ("POST", "request"),
    "candidates:request_take": ("POST", "request"),
    "screening:refer_partner": ("GET", "partner_call"),
    "portal:referral_answer": ("POST", "proposed"),
    "portal:data_request": ("POST", None),
    "portal:language": ("POST", None),
    "partners:detail": ("GET", "partner"),
    "partners:edit": ("GET", "partner"),
    "partners:set_active": ("POST", "partner"),
    "partners:contact_add": ("POST", "partner"),
    "partners:contact_remove": ("POST", "contact"),
    "partners:panel": ("GET", "candidate"),
    "partners:refer": ("POST", "candidate"),
    "partners:referral": ("GET", "referral"),
    "partners:referral_close": ("POST", "referral_close"),
    "partners:referral_consent": ("POST", "proposed"),
    "partners:portal_referral": ("GET", "referral"),
    "partners:portal_answer": ("POST", "referral_accept"),
    "partners:portal_resource_edit": ("GET", "resource"),
    "partners:portal_resource_remove": ("POST", "resource"),
    "leads_api:receive": ("POST", "source"),
    "leads_api:receive_token": ("POST", "source_token"),
    "candidates:lead_source": ("GET", "source"),
    "candidates:lead_source_edit": ("GET", "source"),
    "candidates:lead_field_map": ("GET", "source"),
    "candidates:lead_source_rotate": ("POST", "source"),
    "candidates:lead_replay": ("POST", "source"),
    "candidates:lead_invite": ("POST", "candidate"),
    "candidates:lead_join": ("GET", "token"),
    "candidates:destination": ("GET", "destination"),
    "candidates:destination_retry": ("POST", "destination"),
    "candidates:withdraw_consent": ("POST", "candidate"),
    "endorsements:application": ("GET", "application"),
    "endorsements:vote": ("POST", "application"),
    "endorsements:assign": ("POST", "application"),
    "endorsements:check": ("POST", "check"),
    "endorsements:rubric": ("POST", "application"),
    "endorsements:decide": ("POST", "application"),
    "endorsements:apply_for": ("GET", "apply_for"),
    "endorsements:candidacy": ("GET", "candidacy"),
    "endorsements:candidacy_update": ("POST", "candidacy"),
    "endorsements:candidacy_result": ("POST", "candidacy"),
    "endorsements:contribute": ("POST", "candidacy"),
    "endorsements:panel": ("GET", "candidate"),
    "portal:endorsement_apply": ("GET", "endorsement_class"),
    "accounts:invitation": ("GET", "token"),
    "accounts:guide_edit": ("GET", "guide_role"),
    "accounts:agreement_publish": ("POST", None),
    "screening:application": ("GET", "volunteer_application"),
    "screening:application_approve": ("POST", "volunteer_application"),
    "screening:application_decline": ("POST", "volunteer_application"),
    "screening:application_ask": ("POST", "volunteer_application"),
    "screening:volunteer_pause": ("POST", "volunteer"),
    "screening:volunteer_resume": ("POST", "volunteer"),
    "screening:volunteer_deactivate": ("POST", "volunteer"),
    "mentors:application": ("GET", "mentor_application"),
    "mentors:application_approve": ("POST", "mentor_application"),
    "mentors:application_decline": ("POST", "mentor_application"),
    "mentors:application_ask": ("POST", "mentor_application"),
    "portal:training_register": ("POST", "session"),
    "portal:training_cancel": ("POST", "registration"),
    "trainings:detail": ("GET", "training"),
    "trainings:session": ("GET", "session"),
    "trainings:attendance": ("POST", "registration"),
    "trainings:join": ("GET", "token"),
    "trainings:panel": ("GET", "candidate"),
    "screening:talk_again": ("GET", "token"),
    "screening:check_in_answer": ("GET", "token"),
}

NO_CODE = "staff without a second factor"
# Pages the public sees; a session that still owes its second factor gives it first.
PUBLIC = {**dict.fromkeys(ROLES, "ok"), NO_CODE: "code"}
# Open to every session, one that owes its code included.
OPEN = dict.fromkeys(ROLES, "ok")
# allauth's pages for a logged-in person; a session that owes its code gives it first.
LOGGED_IN = {**OPEN, "anonymous": "login", NO_CODE: "code"}
# Second-factor pages of a factor the person has not set up answer 404.
NOT_SET_UP = {**dict.fromkeys(ROLES, 404), "anonymous": "login", NO_CODE: "code"}
STAFF = {
    "anonymous": "login",
    "candidate": 403,
    "screener": 403,
    "mentor": 403,
    "partner": 403,
    "other partner": 403,
    "reviewer": 403,
    NO_CODE: "code",
    "staff": "ok",
}
SCREENING = {**STAFF, "screener": "ok"}
MENTORING = {**STAFF, "mentor": "ok"}
# A mentor's own profile: staff edit mentors on the staff pages instead.
OWN_PROFILE = {**MENTORING, "staff": 403}
PORTAL = {**STAFF, "candidate": "ok", "staff": 403}
# A partner login's own pages; staff use the staff pages instead.
PARTNER_OWN = {**STAFF, "partner": "ok", "other partner": "ok", "staff": 403}
# The referral (and resource) is the partner's: another partner's login learns nothing of it.
PARTNERS_REFERRAL = {**PARTNER_OWN, "other partner": 404}
# Endorsement reviews: staff, and the outside reviewer assigned to the application.
REVIEWING = {**STAFF, "reviewer": "ok"}
# The mentor owns the question; the screener holds the candidate but not the question.
CONVERSATION = {**STAFF, "candidate": "ok", "screener": 404, "mentor": "ok"}

EXPECTED = {
    "home": PUBLIC,
    "healthz": OPEN,
    "admin:index": {**dict.fromkeys(ROLES, "login"), NO_CODE: "code", "staff": "ok"},
    # The account pages of allauth (login, codes, passwords, second factor).
    "account_login": PUBLIC,
    "account_logout": OPEN,
    "account_inactive": PUBLIC,
    "account_signup": PUBLIC,  # says sign-ups are closed
    "account_reauthenticate": LOGGED_IN,
    "account_request_reauthentication_code": LOGGED_IN,
    "account_confirm_reauthentication_code": LOGGED_IN,
    "account_email": LOGGED_IN,
    "account_email_verification_sent": PUBLIC,
    "account_change_password": LOGGED_IN,
    "account_set_password": LOGGED_IN,
    "account_reset_password": PUBLIC,
    "account_confirm_login_code": LOGGED_IN,
    "account_confirm_email": PUBLIC,  # a bad key: a page saying so
    "account_reset_password_from_key_done": PUBLIC,
    "account_reset_password_from_key": PUBLIC,  # a bad key: a page saying so
    "account_reset_password_done": PUBLIC,
    "account_request_login_code": PUBLIC,
    "mfa_index": LOGGED_IN,
    "mfa_authenticate": LOGGED_IN,
    "mfa_reauthenticate": {**LOGGED_IN, NO_CODE: "ok"},  # where it gives its code
    "mfa_activate_totp": LOGGED_IN,
    "mfa_deactivate_totp": {**LOGGED_IN, "candidate": 404},
    "mfa_view_recovery_codes": NOT_SET_UP,
    "mfa_generate_recovery_codes": LOGGED_IN,
    "mfa_download_recovery_codes": NOT_SET_UP,
    # The outbox and the dashboard.
    "notify:list": STAFF,
    "accounts:security_events": STAFF,
    "accounts:security_events_csv": STAFF,
    "notify:detail": STAFF,
    "notify:suppressions": STAFF,
    "notify:suppression": STAFF,
    # An unsubscribe link that is not genuine; provider events that are not signed.
    "notify:unsubscribe": {**dict.fromkeys(ROLES, 400), NO_CODE: "code"},
    "notify:events": {**dict.fromkeys(ROLES, 401), NO_CODE: "code"},
    "dashboard:index": STAFF,
    "dashboard:list": STAFF,
    "dashboard:endorsements": STAFF,
    # Screening: the screener works the candidate they hold; staff oversee.
    "screening:queue": SCREENING,
    "screening:claim_next": SCREENING,
    "screening:mine": SCREENING,
    "screening:candidate": SCREENING,
    "screening:claim": SCREENING,
    "screening:attempt": SCREENING,
    "screening:schedule": SCREENING,
    "screening:unresponsive": SCREENING,
    "screening:log_call": SCREENING,
    "screening:release": SCREENING,
    "screening:cancel_scheduled": SCREENING,
    "screening:call": SCREENING,
    "screening:call_edit": SCREENING,
    "screening:calls": STAFF,
    "screening:calls_export": STAFF,
    "screening:hours": STAFF,
    "screening:panel": STAFF,
    # Mentors: their mentees and profile; staff manage mentors and matches.
    "mentors:home": MENTORING,
    "mentors:profile_edit": OWN_PROFILE,
    "mentors:availability": OWN_PROFILE,
    "mentors:first_contact": MENTORING,
    "mentors:list": STAFF,
    "mentors:create": STAFF,
    "mentors:coverage": STAFF,
    "mentors:detail": STAFF,
    "mentors:edit": STAFF,
    "mentors:lead_add": STAFF,
    "mentors:lead_end": STAFF,
    "mentors:match_panel": STAFF,
    "mentors:match_confirm": STAFF,
    "mentors:mentorship_end": STAFF,
    # Partners: staff's directory and referrals; a partner login's own referrals.
    "partners:list": STAFF,
    "partners:export": STAFF,
    "partners:create": STAFF,
    "partners:report": STAFF,
    "partners:detail": STAFF,
    "partners:edit": STAFF,
    "partners:set_active": STAFF,
    "partners:contact_add": STAFF,
    "partners:contact_remove": STAFF,
    "partners:panel": STAFF,
    "partners:refer": STAFF,
    "partners:referral": STAFF,
    "partners:referral_close": STAFF,
    "partners:referral_consent": STAFF,
    "partners:portal_home": PARTNER_OWN,
    "partners:portal_refer": PARTNER_OWN,
    "partners:portal_resources": PARTNER_OWN,
    "partners:portal_referral": PARTNERS_REFERRAL,
    "partners:portal_answer": PARTNERS_REFERRAL,
    "partners:portal_resource_edit": PARTNERS_REFERRAL,
    "partners:portal_resource_remove": PARTNERS_REFERRAL,
    "screening:refer_partner": SCREENING,
    # The candidate portal.
    "portal:home": PORTAL,
    "portal:login": PUBLIC,  # people already logged in are sent to their own page
    "portal:login_code": LOGGED_IN,  # allauth's confirm_login_code, as account_confirm_login_code
    "portal:details": PORTAL,
    "portal:language": PORTAL,
    "portal:ask": PORTAL,
    "portal:data_request": PORTAL,
    "portal:referral_answer": PORTAL,
    "portal:endorsements": PORTAL,
    "portal:endorsement_apply": PORTAL,
    "portal:training_register": PORTAL,
    "portal:training_cancel": PORTAL,
    "trainings:list": STAFF,
    "trainings:detail": STAFF,
    "trainings:session": STAFF,
    "trainings:attendance": STAFF,
    "trainings:panel": STAFF,
    # The signed links of invitation and check-back emails act for the person they went to.
    "trainings:join": {**dict.fromkeys(ROLES, 404), NO_CODE: "code"},
    "screening:talk_again": {**dict.fromkeys(ROLES, 404), NO_CODE: "code"},
    "screening:check_in_answer": {**dict.fromkeys(ROLES, 404), NO_CODE: "code"},
    "stalled_candidates": STAFF,
    "dashboard:follow_through": STAFF,
    # The public front door.
    "intake:signup": PUBLIC,
    "intake:thanks": PUBLIC,
    # A link that is not genuine.
    "candidates:confirm_update": {**dict.fromkeys(ROLES, 400), NO_CODE: "code"},
    "intake:privacy": PUBLIC,
    # Staff's candidate pages.
    "candidates:merge_review": STAFF,
    "candidates:merge_review_merge": STAFF,
    "candidates:merge_review_split": STAFF,
    "candidates:unique_count": STAFF,
    "candidates:list": STAFF,
    "candidates:export": STAFF,
    "candidates:import_upload": STAFF,
    "candidates:import": STAFF,
    "candidates:import_report": STAFF,
    "candidates:detail": STAFF,
    "candidates:add_note": STAFF,
    "candidates:change_stage": STAFF,
    "candidates:decide_update": STAFF,
    "candidates:data_export": STAFF,
    "candidates:data_export_json": STAFF,
    "candidates:erase": STAFF,
    # Help requests: the conversation is its owner's, its candidate's and staff's.
    # The request list: staff see everyone's, a mentor their own.
    "candidates:requests": MENTORING,
    "candidates:request_settings": STAFF,
    "candidates:request_remove_holiday": STAFF,
    "candidates:request": CONVERSATION,
    "candidates:request_reply": CONVERSATION,
    "candidates:request_resolve": CONVERSATION,
    "candidates:request_reopen": PORTAL,
    "candidates:request_take": STAFF,
    # Partner leads: the webhook refuses what is not signed (or has a wrong token) whoever
    # sends it; the sources and the count are staff's.
    "leads_api:receive": {**dict.fromkeys(ROLES, 401), NO_CODE: "code"},
    "leads_api:receive_token": {**dict.fromkeys(ROLES, 401), NO_CODE: "code"},
    "candidates:lead_sources": STAFF,
    "candidates:lead_source_new": STAFF,
    "candidates:lead_source": STAFF,
    "candidates:lead_source_edit": STAFF,
    "candidates:lead_field_map": STAFF,
    "candidates:lead_source_rotate": STAFF,
    "candidates:lead_replay": STAFF,
    "candidates:lead_invite": STAFF,
    "candidates:unique_count_csv": STAFF,
    "candidates:destinations": STAFF,
    "candidates:destination": STAFF,
    "candidates:destination_retry": STAFF,
    "candidates:withdraw_consent": STAFF,
    # An invitation link that is not genuine.
    "candidates:lead_join": {**dict.fromkeys(ROLES, 404), NO_CODE: "code"},
    # Endorsements: the public page; reviews for staff and the assigned reviewer; the
    # decision, races and money for staff.
    "endorsements:public": PUBLIC,
    "endorsements:applications": REVIEWING,
    "endorsements:application": REVIEWING,
    "endorsements:vote": REVIEWING,
    "endorsements:assign": STAFF,
    "endorsements:check": STAFF,
    "endorsements:rubric": STAFF,
    "endorsements:decide": STAFF,
    "endorsements:apply_for": STAFF,
    "endorsements:candidacy": STAFF,
    "endorsements:candidacy_update": STAFF,
    "endorsements:candidacy_result": STAFF,
    "endorsements:contribute": STAFF,
    "endorsements:contributions_csv": STAFF,
    "endorsements:panel": STAFF,
    # Invitations and onboarding: a link that is not genuine; each person's own steps; the
    # guides and the agreement are staff's to write.
    "accounts:invitation": {**dict.fromkeys(ROLES, 404), NO_CODE: "code"},
    # Where someone in several roles chooses among their places.
    "accounts:places": LOGGED_IN,
    "accounts:onboarding": LOGGED_IN,
    "accounts:guide": LOGGED_IN,
    "accounts:agreement": LOGGED_IN,
    "accounts:onboarding_admin": STAFF,
    "accounts:guide_edit": STAFF,
    "accounts:agreement_publish": STAFF,
    # Volunteers and mentors apply in public; staff review them and keep the roster.
    "volunteer:apply": PUBLIC,
    "volunteer:thanks": PUBLIC,
    "mentor_application:apply": PUBLIC,
    "mentor_application:thanks": PUBLIC,
    "screening:applications": STAFF,
    "screening:application": STAFF,
    "screening:application_approve": STAFF,
    "screening:application_decline": STAFF,
    "screening:application_ask": STAFF,
    "screening:roster": STAFF,
    "screening:volunteer_pause": STAFF,
    "screening:volunteer_resume": STAFF,
    "screening:volunteer_deactivate": STAFF,
    "mentors:applications": STAFF,
    "mentors:application": STAFF,
    "mentors:application_approve": STAFF,
    "mentors:application_decline": STAFF,
    "mentors:application_ask": STAFF,
}


def test_every_url_has_an_expectation():
    names = all_url_names()
    assert sorted(set(names) - set(EXPECTED)) == []
    assert sorted(set(EXPECTED) - set(names)) == []


def log_in(client, role: str, user) -> None:
    client.logout()
    if user is None:
        return
    client.force_login(user)
    if role in GAVE_THE_CODE:
        # What allauth records when a login gives its code (record_authentication).
        session = client.session
        session["account_authentication_methods_user"] = str(user.pk)
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "password", "at": time.time()},
            {"method": "mfa", "type": "totp", "at": time.time()},
        ]
        session.save()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_role_gets_what_it_may(client, settings, name):
    settings.RFS_MFA_REQUIRED = True
    organisation = world.build()
    method, arguments, *query = SPECS.get(name, ("GET", None))
    url = reverse(name, args=organisation.args[arguments] if arguments else []) + "".join(query)
    # Refusals first: a permitted role's action must not change what a refused role sees.
    order = sorted(ROLES, key=lambda role: EXPECTED[name][role] == "ok")
    answers = {}
    for role in order:
        log_in(client, role, organisation.users[role])
        answers[role] = observe(client, method, url)
    assert answers == EXPECTED[name]


# --- One person in several roles ------------------------------------------------------------
# The same URLs in an organisation where the staff member is the mentor too and the screener
# is the candidate too (world.build(together=True)). Logged in with the password and the
# second factor, each gets exactly what either of their roles gets; the screener-candidate
# logged in by the portal's emailed code gets exactly what the candidate gets, and is sent to
# confirm their password for the admin and for the pages that change how they log in.
TOGETHER = {"staff+mentor": ("staff", "mentor"), "screener+candidate": ("screener", "candidate")}
BY_CODE = "screener+candidate by emailed code"
CLOSED_TO_CODE_LOGINS = (
    "/accounts/2fa/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/password/set/",
)


class Undone(Exception):
    """Raised to roll back what one login did, so the next login of the same person finds
    the organisation as it was."""


def either(first: str | int, second: str | int) -> str | int:
    """What someone in two roles gets: what the more permitted role gets."""
    if "ok" in (first, second):
        return "ok"
    if first == second:
        return first
    raise AssertionError(f"no rule for the union of {first!r} and {second!r}")


def log_in_by_code(client, user) -> None:
    client.logout()
    client.force_login(user)
    session = client.session
    session["account_authentication_methods_user"] = str(user.pk)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "code", "at": time.time()}]
    session.save()


def expected_together(name: str, url: str) -> dict:
    expected = {
        who: either(*(EXPECTED[name][role] for role in pair)) for who, pair in TOGETHER.items()
    }
    closed = url.startswith(CLOSED_TO_CODE_LOGINS) or name == "admin:index"
    expected[BY_CODE] = "password" if closed else EXPECTED[name]["candidate"]
    return expected


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_one_person_in_two_roles_gets_what_either_role_may(client, settings, name):
    settings.RFS_MFA_REQUIRED = True
    organisation = world.build(together=True)
    method, arguments, *query = SPECS.get(name, ("GET", None))
    url = reverse(name, args=organisation.args[arguments] if arguments else []) + "".join(query)
    expected = expected_together(name, url)
    answers = {}
    for who in expected:
        if who == BY_CODE:
            log_in_by_code(client, organisation.users["screener+candidate"])
        else:
            log_in(client, "staff", organisation.users[who])  # password and second factor
        password = expected[who] == "password"
        answers[who] = undone(client, method, url, password=password)
    assert answers == expected


def undone(client, method: str, url: str, *, password: bool) -> str | int:
    """What the request answers; an action (a POST) is rolled back afterwards, so the same
    person's next login finds it undone."""
    if method != "POST":
        return observe(client, method, url, password=password)
    try:
        with transaction.atomic():
            answer = observe(client, method, url, password=password)
            raise Undone
    except Undone:
        return answer
