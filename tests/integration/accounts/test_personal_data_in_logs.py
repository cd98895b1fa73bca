"""No personal data in logs: database and SMTP errors are logged without the address."""

import logging
import sys

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from candidates.models import Candidate
from rfs.notify import delivery, services
from tests.factories.candidates import CandidateFactory

pytestmark = pytest.mark.django_db


def configured_formatter() -> logging.Formatter:
    """The formatter of the handler every log line goes through (settings.LOGGING)."""
    handler = settings.LOGGING["handlers"]["console"]
    config = settings.LOGGING["formatters"][handler["formatter"]]
    return import_string(config["()"])(config["format"])


def formatted(message: str, exc_info=None) -> str:
    record = logging.LogRecord("rfs", logging.ERROR, __file__, 1, message, (), exc_info)
    return configured_formatter().format(record)


def test_a_duplicate_key_error_is_logged_without_the_email_or_phone():
    CandidateFactory(email="ada@example.org", phone="+12025550142")
    try:
        with transaction.atomic():
            Candidate.objects.create(
                first_name="A", last_name="B", email="ada@example.org", zip_code="20001"
            )
    except IntegrityError as exc:
        line = formatted(f"could not save: {exc}", exc_info=sys.exc_info())
    assert "duplicate key" in line
    assert "ada@example.org" not in line
    assert "Key (email)=" in line


def test_addresses_and_phone_numbers_are_masked_in_any_log_line():
    line = formatted("mail to Ada.Lovelace+rfs@mail.example.org failed, phone +12025550142")
    assert "Lovelace" not in line and "12025550142" not in line
    assert "failed" in line


def test_smtp_failures_are_logged_without_the_address(settings, caplog):
    settings.EMAIL_BACKEND = "tests.support.email_backends.RefusingBackend"
    row = services.record_message(key="k:1", to="ada@example.org", subject="Hi", body_text="x")
    with caplog.at_level(logging.WARNING, logger="rfs.notify"):
        assert not delivery.deliver(notification_id=row.pk)
    assert "SMTPRecipientsRefused" in caplog.text
    assert "ada@example.org" not in caplog.text
