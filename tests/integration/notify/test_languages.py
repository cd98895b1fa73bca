"""Each email is written in the language its caller names: the subject when it is recorded,
the bodies when the worker sends it; without one, in the organisation's."""

import time

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rfs.notify import services, suppressions
from rfs.notify.models import Notification
from tests.support.outbox import delivered

CONTEXT = {"name": "Ana", "privacy_path": "/privacy/"}


def confirmation(key: str, **language) -> Notification:
    return services.record(
        key=key, to="ana@example.org", template="signup_confirmation", context=CONTEXT, **language
    )


def test_a_spanish_email_is_delivered_in_spanish_by_the_worker(celery_worker):
    confirmation("lang:es", language="es")
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    (message,) = mail.outbox
    assert message.subject == "Gracias por inscribirte: una persona voluntaria te llamará pronto"
    assert message.body.startswith("Hola, Ana:")
    assert "¿No te inscribiste?" in message.alternatives[0][0]
    row = Notification.objects.get(key="lang:es")
    assert (row.language, row.status) == ("es", Notification.Status.SENT)


@pytest.mark.django_db
@pytest.mark.parametrize("language", [{}, {"language": None}, {"language": "fr"}])
def test_without_a_language_of_the_site_it_is_the_organisations(language, settings):
    row = confirmation("lang:default", **language)
    row.refresh_from_db()
    assert row.language == settings.LANGUAGE_CODE == "en"
    assert row.subject == "Thanks for signing up: a volunteer will call you soon"
    assert delivered(row).body.startswith("Hello Ana,")


@pytest.mark.django_db
@pytest.mark.parametrize("asked", ["es-MX", "es-es"])
def test_a_regional_variant_is_written_in_the_sites_language(asked):
    row = confirmation(f"lang:{asked}", language=asked)
    row.refresh_from_db()
    assert row.language == "es"
    assert row.subject == "Gracias por inscribirte: una persona voluntaria te llamará pronto"


@pytest.mark.django_db
def test_each_message_of_a_batch_has_its_own_language():
    message = {"to": "ana@example.org", "template": "signup_confirmation", "context": CONTEXT}
    services.record_many(
        [{**message, "key": "batch:es", "language": "es"}, {**message, "key": "batch:en"}]
    )
    rows = {row.key: row for row in Notification.objects.all()}
    assert rows["batch:es"].language == "es" and rows["batch:es"].subject.startswith("Gracias")
    assert rows["batch:en"].language == "en" and rows["batch:en"].subject.startswith("Thanks")
    assert delivered(rows["batch:es"]).body.startswith("Hola, Ana:")
    assert delivered(rows["batch:en"]).body.startswith("Hello Ana,")


@pytest.mark.django_db
def test_a_written_message_keeps_the_language_it_was_written_in():
    row = services.record_message(
        key="written", to="ana@example.org", subject="Hola", body_text="Hola.", language="es"
    )
    row.refresh_from_db()
    assert row.language == "es"


@pytest.mark.django_db
def test_an_unsubscribe_page_speaks_the_latest_email_to_the_address_whatever_its_case():
    confirmation("lang:old", language="en")
    services.record(
        key="lang:new",
        to="Ana@Example.org",
        template="signup_confirmation",
        context=CONTEXT,
        language="es",
    )
    assert suppressions.latest_language("ANA@example.ORG") == "es"
    assert suppressions.latest_language("nobody@example.org") == settings.LANGUAGE_CODE


@pytest.mark.django_db
def test_the_latest_language_is_read_through_the_address_index():
    with CaptureQueriesContext(connection) as queries:
        suppressions.latest_language("Ana@example.org")
    (query,) = queries.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + query["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "notification_address_idx" in plan
