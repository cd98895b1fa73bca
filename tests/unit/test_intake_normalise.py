"""Normalising what people type, hashing addresses, keeping raw payloads storable."""

import hashlib

import pytest
from django.conf import settings

from candidates.details import normalise_email, normalise_phone
from candidates.services.intake import hash_ip, storable


@pytest.mark.parametrize("value", ["Ada@Example.org", "  ada@example.ORG\t", "ADA@EXAMPLE.ORG"])
def test_email_is_trimmed_and_lower_cased(value):
    assert normalise_email(value) == "ada@example.org"


@pytest.mark.parametrize(
    "value", ["(202) 555-0142", "202-555-0142", "+1 202 555 0142", "1-202-555-0142"]
)
def test_us_phone_becomes_e164(value):
    assert normalise_phone(value) == "+12025550142"


@pytest.mark.parametrize("value", ["", None, "555", "not a phone"])
def test_no_or_invalid_phone_is_none(value):
    assert normalise_phone(value) is None


def test_ip_is_kept_only_as_a_keyed_hash():
    expected = hashlib.sha256((settings.SECRET_KEY + "203.0.113.7").encode()).hexdigest()
    assert hash_ip("203.0.113.7") == expected
    assert hash_ip("203.0.113.8") != expected
    assert hash_ip(None) == ""


def test_null_bytes_in_a_payload_become_storable():
    assert storable({"a\x00": ["x\x00", 1], "b": {"c": "\x00"}}) == {
        "a\ufffd": ["x\ufffd", 1],
        "b": {"c": "\ufffd"},
    }
