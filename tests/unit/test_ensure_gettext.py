"""`make run`, `make test` and `make messages` need GNU gettext: bin/ensure-gettext, run on a
PATH without it, installs Debian's package when it is root with apt-get, and otherwise stops
with one line that says what to install (tests/support/bare_path.py stands in for the
machine)."""

import subprocess

import pytest

from tests.support.bare_path import BASE_DIR, BarePath

SCRIPT = BASE_DIR / "bin" / "ensure-gettext"
PROGRAMS = ("xgettext", "msgmerge", "msgfmt")


@pytest.fixture
def bare(tmp_path) -> BarePath:
    return BarePath(tmp_path, PROGRAMS)


def assert_stops_with_one_line(result: subprocess.CompletedProcess) -> None:
    assert result.returncode != 0
    [line] = result.stderr.splitlines()
    assert "need GNU gettext" in line
    assert "apt-get install gettext" in line


def test_not_root_stops_with_one_line_and_installs_nothing(bare):
    bare.be(1000)
    bare.with_apt_get()
    result = bare.run(SCRIPT)
    assert_stops_with_one_line(result)
    assert bare.apt_calls() == []


def test_root_with_apt_installs_debians_gettext(bare):
    bare.be(0)
    bare.with_apt_get()
    result = bare.run(SCRIPT)
    assert result.returncode == 0, result.stderr
    update, install = bare.apt_calls()
    assert update.split()[0] == "update"
    assert install.split()[:2] == ["install", "-y"] and install.split()[-1] == "gettext"


def test_a_failed_install_stops_with_the_line(bare):
    bare.be(0)
    bare.with_apt_get(installs=False)
    assert_stops_with_one_line(bare.run(SCRIPT))


def test_gettext_on_the_path_is_enough(bare):
    bare.be(0)
    bare.with_apt_get()
    for name in PROGRAMS:
        bare.stub(name, "exit 0")
    result = bare.run(SCRIPT)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert bare.apt_calls() == []
