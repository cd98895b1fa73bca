"""Which language names helpers write mean which of the candidates' languages."""

import pytest

from candidates.languages import canonical_names, language_code, other_languages


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Spanish", "es"),
        ("spanish", "es"),
        (" Español ", "es"),
        ("ESPANOL", "es"),
        ("English", "en"),
        ("inglés", "en"),
        ("Tamil", None),
        ("", None),
    ],
)
def test_language_code(name, code):
    assert language_code(name) == code


def test_other_languages_leave_out_the_organisations_own():
    assert other_languages(["English", "Español", "Tamil"]) == {"es"}
    assert other_languages(["English"]) == set()
    assert other_languages([]) == set()


def test_canonical_names_store_known_languages_by_one_name_once():
    assert canonical_names(["english", " español", "Tamil ", "", "Spanish"]) == [
        "English",
        "Spanish",
        "Tamil",
    ]
