"""CPU time of processes, read from /proc: process groups (a server and the workers it forks)
and the PostgreSQL backends connected to one database."""

import contextlib
import os
import resource
import threading
import time
from collections.abc import Iterator

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def parse_stat(line: str) -> tuple[int, int]:
    """(process group, CPU ticks) from a /proc/<pid>/stat line. The ticks are utime + stime
    + cutime + cstime, so a worker that exits and is reaped still counts, in its parent."""
    # The command name may hold spaces and parentheses: the fields start after the last ')'.
    fields = line[line.rindex(")") + 2 :].split()
    # fields[0] is field 3 of proc(5); the group is field 5, the times are fields 14-17.
    return int(fields[2]), sum(int(value) for value in fields[11:15])


def machine_busy_ticks() -> int:
    """Ticks every core spent not idle, from /proc/stat."""
    with open("/proc/stat") as stat:
        # user nice system idle iowait irq softirq steal (guest time is inside user and nice)
        values = [int(v) for v in stat.readline().split()[1:9]]
    return sum(values) - values[3] - values[4]  # less idle and iowait


def _processes() -> Iterator[tuple[int, int, int, str]]:
    """(pid, group, ticks, title) of every process still there to be read."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError):
            with open(f"/proc/{entry.name}/stat") as stat:
                group, ticks = parse_stat(stat.read())
            with open(f"/proc/{entry.name}/cmdline", "rb") as cmdline:
                title = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
            yield int(entry.name), group, ticks, title


def is_backend_of(title: str, database: str) -> bool:
    """True for a PostgreSQL backend's process title on `database`:
    'postgres: 15/main: <user> <database> <client> <state>'."""
    return title.startswith("postgres: ") and f" {database} " in title


class CpuMeter(threading.Thread):
    """CPU ticks of process groups and of one database's PostgreSQL backends, from start() to
    finish(). Both are sampled every INTERVAL, so a backend or a whole group that ends
    mid-run counts up to its last sample; the groups' reaped children count in their
    parents."""

    INTERVAL = 0.25

    def __init__(self, *, groups: dict[str, int], database: str, exclude: set[int]) -> None:
        super().__init__(daemon=True)
        self.groups, self.database, self.exclude = groups, database, exclude
        self.done = threading.Event()
        self.start_groups, self.start_backends = self._sample()
        self.group_ticks, self.backends = dict(self.start_groups), dict(self.start_backends)
        self.start_busy = machine_busy_ticks()
        self.start_self = _own_cpu_seconds()
        self.start_time = time.monotonic()

    def _sample(self) -> tuple[dict[str, int], dict[int, int]]:
        by_group = dict.fromkeys(self.groups, 0)
        names = {pgid: name for name, pgid in self.groups.items()}
        backends = {}
        for pid, group, ticks, title in _processes():
            if group in names:
                by_group[names[group]] += ticks
            elif pid not in self.exclude and is_backend_of(title, self.database):
                backends[pid] = ticks
        return by_group, backends

    def _keep(self, by_group: dict[str, int], backends: dict[int, int]) -> None:
        # A group's ticks only grow while it lives; once it is gone it reads as nothing.
        for name, ticks in by_group.items():
            self.group_ticks[name] = max(self.group_ticks[name], ticks)
        self.backends.update(backends)

    def run(self) -> None:
        while not self.done.wait(self.INTERVAL):
            self._keep(*self._sample())

    def finish(self) -> dict[str, float]:
        """Seconds of CPU per part: each group, 'database', 'client' (this process: the load,
        the sink, this meter) and 'machine' (every core, ours and everyone else's); and the
        wall-clock 'seconds' measured."""
        self.done.set()
        self.join()
        self._keep(*self._sample())
        seconds = {
            name: (ticks - self.start_groups[name]) / CLOCK_TICKS
            for name, ticks in self.group_ticks.items()
        }
        seconds["database"] = (
            sum(ticks - self.start_backends.get(pid, 0) for pid, ticks in self.backends.items())
            / CLOCK_TICKS
        )
        seconds["client"] = _own_cpu_seconds() - self.start_self
        seconds["machine"] = (machine_busy_ticks() - self.start_busy) / CLOCK_TICKS
        seconds["seconds"] = time.monotonic() - self.start_time
        return seconds


def _own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
