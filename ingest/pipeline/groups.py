"""Group commit: archived files gathered into groups, committed in a thread of their own.

The parent goes on feeding the sandbox's workers while a group is flushed and
numbered; at most one group is committed at a time, and the file reports of
a group are emitted by the parent, in order.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from types import TracebackType

from ingest.pipeline.archive import Archived
from ingest.pipeline.reports import FileReport

# A group is committed when it has this many files or its first file has
# waited this long (OCR is slow: its files should not wait for 63 others).
GROUP_SIZE = 64
GROUP_SECONDS = 2.0

CommitGroup = Callable[[list[Archived]], list[FileReport]]


class GroupCommit:
    """``add`` archived files; ``commit`` runs on each full (or old enough) group."""

    def __init__(self, commit: CommitGroup, emit: Callable[[FileReport], None]) -> None:
        self._commit = commit
        self._emit = emit
        self._group: list[Archived] = []
        self._started = 0.0
        self._committer = ThreadPoolExecutor(1, thread_name_prefix="docket-commit")
        self._in_flight: Future[list[FileReport]] | None = None

    def add(self, archived: Archived) -> None:
        if not self._group:
            self._started = time.monotonic()
        self._group.append(archived)
        if len(self._group) >= GROUP_SIZE or time.monotonic() - self._started >= GROUP_SECONDS:
            self._submit()

    def _submit(self) -> None:
        group, self._group = self._group, []
        if not group:
            return
        self._collect()  # the group before: its errors surface here
        self._in_flight = self._committer.submit(self._commit, group)

    def _collect(self) -> None:
        future, self._in_flight = self._in_flight, None
        if future is not None:
            for file_report in future.result():
                self._emit(file_report)

    def _settle(self) -> None:
        """On the way out with an error: let the group being committed finish first,
        so no file is given back while the committer releases it."""
        future, self._in_flight = self._in_flight, None
        if future is None:
            return
        wait([future])
        if future.exception() is None:
            for file_report in future.result():
                self._emit(file_report)

    def __enter__(self) -> GroupCommit:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if exc_type is not None:
                self._settle()
                return
            try:
                self._submit()  # the last group, however small
                self._collect()
            except BaseException:
                self._settle()
                raise
        finally:
            self._committer.shutdown(wait=True)
