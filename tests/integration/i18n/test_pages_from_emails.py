"""The pages a candidate opens from their emails (or from the portal) speak the candidate's
language: a Spanish email's link opens a Spanish page, with none of the English left."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from candidates import request_kinds
from candidates.forms.intake import SignupForm
from candidates.models import OfficeLevel, Stage, Submission
from candidates.services import help_requests, leads
from candidates.services.intake import resolve_submission
from endorsements.models import BallotRule, Candidacy
from rfs.accounts.models import Role
from rfs.notify.models import Notification
from screening.models import CheckIn, FollowUp, ScreeningCall
from screening.services import next_steps, stalls
from tests.factories.accounts import UserFactory
from tests.factories.candidates import CandidateFactory, signup_form_data
from tests.factories.endorsements import CandidacyFactory, EndorsementClassFactory
from tests.factories.screening import ScreeningCallFactory
from tests.factories.trainings import SessionFactory, TrainingFactory
from tests.integration.i18n.test_catalogue import visible_text
from tests.support.outbox import delivered
from trainings import services as trainings
from trainings.models import Registration

pytestmark = pytest.mark.django_db


def resolve(**overrides) -> Submission:
    """The signup form sent with these details."""
    form = SignupForm(data=signup_form_data(**overrides))
    assert form.is_valid(), form.errors
    return resolve_submission(
        data=form.cleaned_data,
        channel=Submission.Channel.FORM,
        payload=signup_form_data(**overrides),
        ip_hash="hash",
        user_agent="agent",
    )


def link_in(row: Notification, marker: str) -> str:
    """The path of the link in the delivered email whose URL contains `marker`."""
    body = delivered(row).body
    found = re.search(r"https?://[^/\s]+([^\s\"<]*" + re.escape(marker) + r"[^\s\"<]*)", body)
    assert found, body
    return found.group(1)


def reads(client, path: str, spanish: str, english: list[str], method: str = "get") -> None:
    response = getattr(client, method)(path)
    text = visible_text(response.content.decode())
    assert spanish in text
    assert [words for words in english if words in text] == [], text


def test_the_update_confirmation_link_opens_in_spanish(client):
    CandidateFactory(email="ada@example.org", phone="+12025550123", language="es")
    resolve(email="ada@example.org", city="Baltimore", state="MD", zip_code="21201")
    email = Notification.objects.get(template="update_confirm")
    assert email.language == "es"
    path = link_in(email, "/signup/confirm/")
    english = ["Confirm your new details", "Yes, these are my details", "What we have", "Log in"]
    reads(client, path, "Confirma tus datos nuevos", english)
    reads(client, path, "Gracias: tus datos están actualizados.", english, method="post")
    # A link that names nobody has no language of its own: the organisation's.
    reads(client, "/signup/confirm/not-a-token/", "This link does not work any more", ["enlace"])


def test_the_changed_details_are_named_in_spanish_and_staffs_records_stay_english(client):
    candidate = CandidateFactory(
        email="ada@example.org", phone="+12025550123", city="Austin", language="es"
    )
    with translation.override("es"):  # as a signup at /es/signup/ is resolved
        submission = resolve(
            email="ada@example.org", city="Baltimore", state="MD", zip_code="21201"
        )
    body = delivered(Notification.objects.get(template="update_confirm")).body
    assert "Ciudad: Baltimore" in body and "Código postal: 21201" in body
    assert "City" not in body and "Zip code" not in body
    path = link_in(Notification.objects.get(template="update_confirm"), "/signup/confirm/")
    reads(client, path, "Ciudad", ["Zip code", "(blank)", "Phone", "Birth year"])
    with translation.override("es"):
        client.post(path)
    # What staff read of it (the submission's reason, the note the confirmation leaves) is
    # in the organisation's language, whatever language the person used.
    submission.refresh_from_db()
    assert "City" in submission.reason and "Ciudad" not in submission.reason
    note = candidate.notes.get()
    assert "City: Austin → Baltimore" in note.body


def test_the_same_page_stays_english_for_an_english_speaker(client):
    CandidateFactory(email="ada@example.org", phone="+12025550123", language="en")
    resolve(email="ada@example.org", city="Baltimore", state="MD", zip_code="21201")
    path = link_in(Notification.objects.get(template="update_confirm"), "/signup/confirm/")
    reads(client, path, "Confirm your new details", ["Confirma tus datos"])


def test_the_lead_invitation_link_opens_in_spanish(client):
    staff = UserFactory(role=Role.STAFF, is_staff=True)
    lead = CandidateFactory(stage=Stage.LEAD, language="es")
    path = reverse("candidates:lead_join", args=[leads.invitation_token(lead)])
    assert leads.invite_lead(candidate=lead, by=staff, path=path)
    email = Notification.objects.get(template="lead_invitation")
    link = link_in(email, "/signup/join/")
    reads(client, link, "¿Quieres que te llamemos?", ["Would you like a call?", "contact me"])
    # Saying yes leads to the Spanish thank-you page.
    assert client.post(link)["Location"] == "/es/signup/thanks/"


def test_the_training_invitation_link_opens_in_spanish(client):
    session = SessionFactory(training=TrainingFactory())
    candidate = CandidateFactory(language="es")
    trainings.invite(candidate=candidate, training=session.training, key="t:es")
    email = Notification.objects.get(template="training_invitation")
    link = link_in(email, "/trainings/join/")
    reads(client, link, "Inscribirme", ["Register", "Training registration"])
    reads(client, link, "Tienes tu lugar para el", ["You are registered"], method="post")
    registered = Notification.objects.get(template="training_registered")
    assert link_in(registered, "/portal/") == "/es/portal/"
    # A refusal reads in Spanish too.
    session.starts_at = timezone.now() - timedelta(hours=1)
    session.save(update_fields=["starts_at"])
    Registration.objects.all().delete()
    reads(
        client, link, "Esta sesión ya no acepta inscripciones.", ["no longer open"], method="post"
    )


def test_the_unsubscribe_link_opens_in_the_language_of_the_email(client):
    candidate = CandidateFactory(language="es")
    session = SessionFactory(training=TrainingFactory())
    trainings.invite(candidate=candidate, training=session.training, key="t:es")
    message = delivered(Notification.objects.get(template="training_invitation"))
    header = message.extra_headers["List-Unsubscribe"]
    path = re.search(r"<https?://[^/\s]+(/[^>]+)>", header).group(1)
    english = ["Unsubscribe", "We will stop sending"]
    reads(client, path, "Dejaremos de enviar recordatorios", english)
    reads(client, path, "Te diste de baja", english, method="post")


def test_a_candidates_question_reads_in_spanish_and_staff_see_it_in_english(client):
    user = UserFactory(email="ana@example.org", role=Role.CANDIDATE)
    candidate = CandidateFactory(email="ana@example.org", user=user, language="es")
    help_request = help_requests.ask_question(
        candidate=candidate, topic="", subject="Fondos", body="¿Cómo empiezo?", by=user
    )
    client.force_login(user)
    path = help_request.get_absolute_url()
    english = ["Back to my page", "My question is answered", "Your reply", "You ·", "Open"]
    reads(client, path, "Ya respondieron mi pregunta", english)
    response = client.post(reverse("candidates:request_reply", args=[help_request.uuid]), {})
    assert "Escribe una respuesta." in response.content.decode()
    client.force_login(UserFactory(role=Role.STAFF, is_staff=True))
    reads(client, path, "Mark resolved", ["Ya respondieron"])


def test_the_portals_endorsement_application_reads_in_spanish(client):
    user = UserFactory(email="ana@example.org", role=Role.CANDIDATE)
    CandidateFactory(email="ana@example.org", user=user, language="es")
    klass = EndorsementClassFactory(elections=[CandidacyFactory().election], max_run_number=2)
    client.force_login(user)
    with translation.override("es"):
        path = reverse("portal:endorsement_apply", args=[klass.uuid])
    english = [
        "Who may apply",
        "Send my application",
        "Where is your race?",
        "Why you are running",
        "Campaign website",
        "Considering",
    ]
    reads(client, path, "Quién puede solicitarlo", english)


def test_candidate_pages_point_to_the_portal_login_and_keep_the_team_login(client):
    with translation.override("es"):
        home = client.get(reverse("home")).content.decode()
        portal_login = reverse("portal:login")
    assert f'href="{portal_login}"' in home
    assert f'href="{reverse("account_login")}"' in home
    assert "Acceso del equipo" in home


def test_the_check_back_and_check_in_links_open_in_spanish(client):
    call = ScreeningCallFactory(
        candidate=CandidateFactory(language="es", preferred_name="Ana"),
        outcome=ScreeningCall.Outcome.NOT_YET,
        next_step=ScreeningCall.NextStep.CHECK_BACK,
    )
    follow_up = FollowUp.objects.create(
        call=call,
        candidate=call.candidate,
        screener=call.screener,
        step=ScreeningCall.NextStep.CHECK_BACK,
        due_at=timezone.now(),
    )
    talk_again = reverse("screening:talk_again", args=[next_steps.talk_again_token(follow_up)])
    reads(client, talk_again, "¿Quieres volver a hablar, Ana?", ["talk again"])
    check_in = CheckIn.objects.create(
        candidate=call.candidate, stalled_since=timezone.now(), sent_at=timezone.now()
    )
    answer = reverse("screening:check_in_answer", args=[stalls.answer_token(check_in, "all_good")])
    reads(client, answer, "Todo bien", ["How are things", "All good"])
    reads(client, answer, "¡Qué bueno!", ["Good to hear"], method="post")


def test_a_request_without_a_subject_is_named_by_its_kind_in_spanish(client):
    user = UserFactory(email="ana@example.org", role=Role.CANDIDATE)
    candidate = CandidateFactory(email="ana@example.org", user=user, language="es")
    help_request = help_requests.open_request(candidate=candidate, kind=request_kinds.QUESTION)
    client.force_login(user)
    with translation.override("es"):
        home = reverse("portal:home")
    reads(client, home, "Pregunta", ["Question"])
    client.force_login(UserFactory(role=Role.STAFF, is_staff=True))
    reads(client, help_request.get_absolute_url(), "Question", ["Pregunta"])


def test_a_request_the_system_opened_is_named_by_its_kind_for_the_candidate(client):
    """Subjects the system writes ("Would like to talk again", "Referral to …") are staff's, in
    the organisation's language: the candidate sees the kind in theirs; staff the subject."""
    user = UserFactory(email="ana@example.org", role=Role.CANDIDATE)
    candidate = CandidateFactory(email="ana@example.org", user=user, language="es")
    help_request = help_requests.open_request(
        candidate=candidate, kind=request_kinds.DATA_REQUEST, subject="A copy of their data"
    )
    client.force_login(user)
    with translation.override("es"):
        home = reverse("portal:home")
        spanish = str(request_kinds.get(request_kinds.DATA_REQUEST).label)
    reads(client, home, spanish, ["A copy of their data"])
    reads(client, help_request.get_absolute_url(), spanish, ["A copy of their data"])
    client.force_login(UserFactory(role=Role.STAFF, is_staff=True))
    reads(client, help_request.get_absolute_url(), "A copy of their data", [spanish])


def endorsement_page(client, *, language: str, **rules) -> tuple[str, dict, str]:
    """The portal's application form of a class with these rules, for a VA candidate who
    speaks `language`, a filled form for their race, and staff's form of the same class on
    the candidate's behalf."""
    user = UserFactory(email="ana@example.org", role=Role.CANDIDATE)
    candidate = CandidateFactory(email="ana@example.org", user=user, state="VA", language=language)
    race = CandidacyFactory(office__level=OfficeLevel.SCHOOL_BOARD)
    klass = EndorsementClassFactory(elections=[race.election], **rules)
    client.force_login(user)
    with translation.override(language):
        path = reverse("portal:endorsement_apply", args=[klass.uuid])
    data = {
        "election": race.election.pk,
        "office": race.office.pk,
        "status": Candidacy.Status.FILED,
        "previous_runs": 3,
        "story": "Mi escuela.",
    }
    return path, data, reverse("endorsements:apply_for", args=[klass.uuid, candidate.uuid])


def test_the_classs_rules_read_in_spanish(client):
    path, _data, staff_path = endorsement_page(
        client,
        language="es",
        office_levels=[OfficeLevel.SCHOOL_BOARD],
        ballot_rule=BallotRule.ON_BALLOT,
    )
    text = visible_text(client.get(path).content.decode())
    assert "Cargos: Junta escolar" in text
    assert "Estar en la boleta." in text
    assert [words for words in ["School board", "Qualified for the ballot"] if words in text] == []
    client.force_login(UserFactory(role=Role.STAFF, is_staff=True))
    text = visible_text(client.get(staff_path).content.decode())
    assert "Offices: School board" in text
    assert "Qualified for the ballot." in text


def test_the_reasons_an_application_is_refused_read_in_spanish(client):
    path, data, _staff_path = endorsement_page(client, language="es", max_run_number=1)
    response = client.post(path, data)
    assert response.status_code == 400
    text = visible_text(response.content.decode())
    assert "Candidaturas: Esta sería tu candidatura número 4" in text
    assert "Boleta: Debes estar en la boleta, o tener un comité" in text
    english = ["Runs:", "run number", "The class takes", "Ballot:", "You must be qualified"]
    assert [words for words in english if words in text] == [], text


def test_the_same_reasons_read_in_english_for_an_english_speaker(client):
    path, data, _staff_path = endorsement_page(client, language="en", max_run_number=1)
    text = visible_text(client.post(path, data).content.decode())
    assert "Runs: This would be run number 4; the class takes up to run number 1." in text
    assert "Ballot: You must be qualified for the ballot, or have a committee" in text
