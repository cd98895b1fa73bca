"""A PATH with nothing on it, for the scripts that set up what `make` needs (bin/ensure-*):
bash, stubs standing in for `id` (who we are) and `apt-get` (it records its arguments and,
like Debian's, leaves the package's programs on the PATH), so a test holds whatever the
machine has installed."""

import shutil
import subprocess
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
BASH = shutil.which("bash")


class BarePath:
    """A folder that is the whole PATH; `programs` are what `apt-get install` puts on it."""

    def __init__(self, folder: Path, programs: tuple[str, ...]) -> None:
        self.bin = folder / "bin"
        self.bin.mkdir()
        self.apt_log = folder / "apt-get.log"
        self.programs = programs
        (self.bin / "bash").symlink_to(BASH)

    def stub(self, name: str, body: str) -> None:
        path = self.bin / name
        path.write_text(f"#!{BASH}\n{body}\n")
        path.chmod(0o755)

    def be(self, uid: int) -> None:
        self.stub("id", f'[ "$1" = -u ] && echo {uid}')

    def with_apt_get(self, *, installs: bool = True) -> None:
        chmod = shutil.which("chmod")
        install = "; ".join(
            f"printf '#!{BASH}\\n' > {self.bin / name}; {chmod} +x {self.bin / name}"
            for name in self.programs
        )
        self.stub(
            "apt-get",
            f'echo "$*" >> {self.apt_log}\n'
            f'if [ "$1" = install ]; then {install if installs else "exit 100"}; fi',
        )

    def apt_calls(self) -> list[str]:
        return self.apt_log.read_text().splitlines() if self.apt_log.exists() else []

    def run(self, *command: str | Path) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(part) for part in command],
            cwd=BASE_DIR,
            env={"PATH": str(self.bin), "HOME": str(self.bin.parent)},
            capture_output=True,
            text=True,
            timeout=60,
        )
