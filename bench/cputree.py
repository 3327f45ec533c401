"""CPU seconds of a process tree, by process: what the benchmarks print beside wall
time, because this machine is shared and wall time depends on who else runs.

``CpuMeter`` samples ``/proc`` every half second under a root process (a server
it started, or the benchmark itself) and labels each process from its command
line or the title Airflow gives it.
"""

from __future__ import annotations

import os
import threading
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _proc_stat(pid: int) -> tuple[int, float, float] | None:
    """(parent pid, own CPU seconds, reaped children's CPU seconds) of ``pid``."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    own = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return int(fields[1]), own, (int(fields[13]) + int(fields[14])) / CLOCK_TICKS


LABELS = (("tesseract", "Tesseract"), ("forkserver", "Docket sandbox workers"),
          ("LocalExecutor", "executor workers (task supervisors)"),
          ("task supervisor", "task supervisors"),
          ("airflow worker --", "task processes (claim, lanes, publish...)"),
          ("celery", "Celery workers"), ("postgres", "PostgreSQL"), ("redis", "Redis"),
          ("weed", "SeaweedFS"), ("scheduler", "scheduler"), ("api-server", "API server"),
          ("api_server", "API server"), ("dag-processor", "dag-processor"),
          ("dag_processor", "dag-processor"), ("triggerer", "triggerer"),
          ("serve-logs", "log server"), ("standalone", "standalone"),
          ("bench/", "the benchmark itself (polling, this meter)"))


def _label(pid: int) -> str:
    """What a process of the tree is, from its command line (its title, once set)."""
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return "gone"
    for key, label in LABELS:
        if key in words:
            return label
    return words.split(" ")[0].rsplit("/", 1)[-1] or "other"


@dataclass
class _Seen:
    parent: int
    label: str
    first: tuple[float, float]  # own, reaped children's: when first seen (0 if born since)
    last: tuple[float, float]
    sample: int  # the last sample that saw it


def tree_cpu(root: int) -> float:
    """CPU seconds of the living process tree under ``root``, each process's own and
    its reaped children's."""
    return sum(own + reaped for _, own, reaped in _tree(root).values())


def _tree(*roots: int) -> dict[int, tuple[int, float, float]]:
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _proc_stat(int(entry.name))) is not None:
            stats[int(entry.name)] = stat
    children: dict[int, list[int]] = defaultdict(list)
    for pid, (parent, _, _) in stats.items():
        children[parent].append(pid)
    found, todo = {}, list(roots)
    while todo:
        pid = todo.pop()
        if pid in stats:
            found[pid] = stats[pid]
        todo.extend(children.get(pid, []))
    return found


class CpuMeter:
    """CPU seconds a process tree spends between ``start`` and ``stop``, sampled every
    half second, by process.

    A process that ended is counted in its parent's reaped-children time when the
    parent outlived it (its samples are then taken back); one whose parent ended
    first (a fork server left behind by its task) counts up to its last sample.
    """

    def __init__(self, root: int, *more_roots: int, sampling: bool = True) -> None:
        self.roots = (root, *more_roots)  # more: servers that left the tree (a daemon)
        self.seen: dict[int, _Seen] = {}
        self.samples = 0
        # Off: the first and last samples only (the benchmark's default: sampling
        # every half second made the lanes of a 10-second run 1-2 s slower).
        self.sampling = sampling
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self, first: bool = False) -> None:
        self.samples += 1
        for pid, (parent, own, reaped) in _tree(*self.roots).items():
            seen = self.seen.get(pid)
            if seen is None:
                start = (own, reaped) if first else (0.0, 0.0)
                self.seen[pid] = _Seen(parent, _label(pid), start, (own, reaped), self.samples)
            else:
                seen.last, seen.sample = (own, reaped), self.samples
                if seen.label == "python" or seen.sample % 8 == 0:
                    label = _label(pid)  # titles are set after start
                    if label not in ("gone", "other"):  # not an ended process
                        seen.label = label

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self._sample()

    def start(self) -> CpuMeter:
        self._sample(first=True)
        if self.sampling:
            self._thread.start()
        return self

    def stop(self) -> CpuMeter:
        self._stop.set()
        if self.sampling:
            self._thread.join()
        self._sample()
        return self

    def _counted_twice(self) -> dict[int, float]:
        """For each ended process, the seconds its parent's reaped-children time holds of
        what was counted for it and for its own ended children: all of it at most, and
        no more than the parent's reaped time grew (a fork server is never waited for
        by its parent, for one)."""
        grown = {pid: seen.last[1] - seen.first[1] for pid, seen in self.seen.items()}
        children: dict[int, list[int]] = defaultdict(list)
        for pid, seen in self.seen.items():
            children[seen.parent].append(pid)
        twice: dict[int, float] = {}
        done: dict[int, float] = {}

        def counted(pid: int) -> float:  # for ``pid`` and the ended processes below it
            if pid in done:
                return done[pid]
            seen = self.seen[pid]
            below = 0.0
            for child in children.get(pid, []):
                if self.seen[child].sample < self.samples:
                    below += counted(child) - twice[child]
            spent = sum(seen.last) - sum(seen.first) + below
            if seen.sample < self.samples and seen.parent in self.seen:
                twice[pid] = min(spent, max(0.0, grown[seen.parent]))
                grown[seen.parent] -= twice[pid]
            else:
                twice[pid] = 0.0
            done[pid] = spent
            return spent

        for pid in self.seen:
            if pid not in twice:
                counted(pid)
        return twice

    @property
    def total(self) -> float:
        twice = self._counted_twice()
        return sum(sum(seen.last) - sum(seen.first) - twice.get(pid, 0.0)
                   for pid, seen in self.seen.items())

    def by_label(self) -> dict[str, float]:
        """CPU seconds by process label: a process's own and its children's that ended
        unseen (short Tesseract runs under a sandbox worker, for one)."""
        spent: dict[str, float] = defaultdict(float)
        for pid, share in self._counted_twice().items():
            if share:
                spent[self.seen[self.seen[pid].parent].label] -= share
        for seen in self.seen.values():
            spent[seen.label] += sum(seen.last) - sum(seen.first)
        return dict(sorted(spent.items(), key=lambda item: -item[1]))
