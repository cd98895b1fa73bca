"""`make test` sets up its own browser: bin/ensure-chromium, run on a PATH that has no
chromium, installs Debian's package when it is root with apt-get, and otherwise stops the run
with one line that says what to install. Stubs on that PATH stand in for `id` (who we are)
and `apt-get` (it records its arguments), so this holds whatever the machine has installed."""

import shutil
import subprocess

import pytest

from tests.support.bare_path import BASE_DIR, BarePath

SCRIPT = BASE_DIR / "bin" / "ensure-chromium"


@pytest.fixture
def bare(tmp_path) -> BarePath:
    return BarePath(tmp_path, ("chromium",))


def assert_stops_with_one_line(result: subprocess.CompletedProcess) -> None:
    assert result.returncode != 0
    [line] = result.stderr.splitlines()
    assert "make test needs Chromium" in line
    assert "apt-get install chromium" in line


def test_not_root_stops_with_one_line_and_installs_nothing(bare):
    bare.be(1000)
    bare.with_apt_get()
    result = bare.run(SCRIPT)
    assert_stops_with_one_line(result)
    assert result.stdout == ""
    assert bare.apt_calls() == []


def test_root_without_apt_stops_with_the_same_line(bare):
    bare.be(0)
    result = bare.run(SCRIPT)
    assert_stops_with_one_line(result)
    assert result.stdout == ""


def test_root_with_apt_installs_debians_chromium(bare):
    bare.be(0)
    bare.with_apt_get()
    result = bare.run(SCRIPT)
    assert result.returncode == 0, result.stderr
    # The package lists first (a fresh machine has none), then the package itself.
    update, install = bare.apt_calls()
    assert update.split()[0] == "update"
    assert install.split()[:2] == ["install", "-y"] and install.split()[-1] == "chromium"
    assert (bare.bin / "chromium").exists()


def test_a_failed_install_stops_with_the_line(bare):
    bare.be(0)
    bare.with_apt_get(installs=False)
    result = bare.run(SCRIPT)
    assert_stops_with_one_line(result)
    assert "installing Debian's package" in result.stdout


def test_chromium_on_the_path_is_enough(bare):
    bare.be(0)
    bare.with_apt_get()
    bare.stub("chromium", "exit 0")
    result = bare.run(SCRIPT)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert bare.apt_calls() == []


def test_make_test_stops_before_lint_or_pytest_when_chromium_is_missing(bare):
    bare.be(1000)
    # BIN points nowhere, so a Makefile that ran lint or pytest first would fail fast here
    # instead of starting the whole suite again inside this test.
    result = bare.run(shutil.which("make"), "--no-print-directory", "test", "BIN=/nonexistent")
    assert result.returncode != 0
    # Nothing but the line and make's own note of the failed step: no lint, no pytest.
    assert result.stdout == ""
    line, make_note = result.stderr.splitlines()
    assert "make test needs Chromium" in line
    assert "[Makefile" in make_note and "chromium" in make_note
