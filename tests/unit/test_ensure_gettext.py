"""`make run`, `make test` and `make messages` need GNU gettext: bin/ensure-gettext, run on a
PATH without it, installs Debian's package when it is root with apt-get, and otherwise stops
with one line that says what to install (stubs stand in for `id` and `apt-get`, as in
test_ensure_chromium)."""

import shutil
import subprocess
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
SCRIPT = BASE_DIR / "bin" / "ensure-gettext"
BASH = shutil.which("bash")
PROGRAMS = ("xgettext", "msgmerge", "msgfmt")


class BarePath:
    def __init__(self, folder: Path) -> None:
        self.bin = folder / "bin"
        self.bin.mkdir()
        self.apt_log = folder / "apt-get.log"
        (self.bin / "bash").symlink_to(BASH)

    def stub(self, name: str, body: str) -> None:
        path = self.bin / name
        path.write_text(f"#!{BASH}\n{body}\n")
        path.chmod(0o755)

    def be(self, uid: int) -> None:
        self.stub("id", f'[ "$1" = -u ] && echo {uid}')

    def with_apt_get(self, *, installs: bool = True) -> None:
        # Like Debian's: `install ... gettext` leaves its programs on the PATH.
        chmod = shutil.which("chmod")
        install = "; ".join(
            f"printf '#!{BASH}\\n' > {self.bin / name}; {chmod} +x {self.bin / name}"
            for name in PROGRAMS
        )
        self.stub(
            "apt-get",
            f'echo "$*" >> {self.apt_log}\n'
            f'if [ "$1" = install ]; then {install if installs else "exit 100"}; fi',
        )

    def apt_calls(self) -> list[str]:
        return self.apt_log.read_text().splitlines() if self.apt_log.exists() else []

    def run(self) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(SCRIPT)],
            cwd=BASE_DIR,
            env={"PATH": str(self.bin), "HOME": str(self.bin.parent)},
            capture_output=True,
            text=True,
            timeout=60,
        )


@pytest.fixture
def bare(tmp_path) -> BarePath:
    return BarePath(tmp_path)


def assert_stops_with_one_line(result: subprocess.CompletedProcess) -> None:
    assert result.returncode != 0
    [line] = result.stderr.splitlines()
    assert "need GNU gettext" in line
    assert "apt-get install gettext" in line


def test_not_root_stops_with_one_line_and_installs_nothing(bare):
    bare.be(1000)
    bare.with_apt_get()
    result = bare.run()
    assert_stops_with_one_line(result)
    assert bare.apt_calls() == []


def test_root_with_apt_installs_debians_gettext(bare):
    bare.be(0)
    bare.with_apt_get()
    result = bare.run()
    assert result.returncode == 0, result.stderr
    update, install = bare.apt_calls()
    assert update.split()[0] == "update"
    assert install.split()[:2] == ["install", "-y"] and install.split()[-1] == "gettext"


def test_a_failed_install_stops_with_the_line(bare):
    bare.be(0)
    bare.with_apt_get(installs=False)
    assert_stops_with_one_line(bare.run())


def test_gettext_on_the_path_is_enough(bare):
    bare.be(0)
    bare.with_apt_get()
    for name in PROGRAMS:
        bare.stub(name, "exit 0")
    result = bare.run()
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert bare.apt_calls() == []
