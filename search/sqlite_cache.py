"""What searches read again and again, kept while the index file is unchanged.

Every page of the web service loads its hits' stored documents (unzip and
parse the JSON of each: a fifth of a search) and the first page of every user
reads the counts kept for their clearance (``search.sqlite_counts``).  The
same documents (the newest, those of common words) and the same few
clearance levels come back request after request, so both are kept here, per
connection, and all forgotten as soon as the file changes.

The answers of text queries (totals and facets, the ranked page, its
snippets) are kept too, by the whole MATCH expression: at a million
documents they are nearly all of a search's time (``ReadCache.answer``).

A change is seen by ``PRAGMA data_version`` (it moves when another connection,
in this process or another, commits) and by a count of this connection's own
write transactions (which do not move it).  The stamp is read at the start of
each read, before its first SELECT: what the read then loads is at least as
new as the stamp, so a change never leaves an older copy behind (at worst a
newer one is forgotten once more than needed).
"""

from __future__ import annotations

import sqlite3
import zlib
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar, cast

from search.model import IndexDocument
from search.sqlite_counts import kept_counts

# At most this much text (subject and body characters) in the kept documents of
# one connection, and this many documents: a few megabytes a worker.
MAX_KEPT_CHARS = 8_000_000
MAX_KEPT_DOCUMENTS = 4_000
MAX_KEPT_COUNTS = 256
# A page's row ids or snippets take a few kilobytes, a query's facets up to ~40 (5
# fields of up to 50 values): at most ~20 MB a worker, typically a few.
MAX_KEPT_ANSWERS = 512
T = TypeVar("T")
CountsKey = tuple[tuple[str, str], int, tuple[str, ...]]


class ReadCache:
    """Stored documents by row id, kept counts by clearance, and the answers of
    recent text queries (totals, facets, pages), for one connection."""

    def __init__(self) -> None:
        self._stamp: tuple[int, int] | None = None
        self._documents: OrderedDict[int, IndexDocument] = OrderedDict()
        self._chars = 0
        self._counts: dict[CountsKey, tuple[int, dict[str, Counter[str]]]] = {}
        self._answers: OrderedDict[Hashable, object] = OrderedDict()

    def refresh(self, db: sqlite3.Connection, own_writes: int) -> None:
        """Forget everything if the file changed since the last read (call first in a read)."""
        stamp = (int(db.execute("PRAGMA data_version").fetchone()[0]), own_writes)
        if stamp != self._stamp:
            self._documents.clear()
            self._chars = 0
            self._counts.clear()
            self._answers.clear()
            self._stamp = stamp

    def documents(self, db: sqlite3.Connection, rowids: Iterable[int]) -> dict[int, IndexDocument]:
        """The stored documents of ``rowids`` that exist, by row id."""
        found: dict[int, IndexDocument] = {}
        wanted: list[int] = []
        for rowid in rowids:
            doc = self._documents.get(rowid)
            if doc is None:
                wanted.append(rowid)
            else:
                self._documents.move_to_end(rowid)
                found[rowid] = doc
        if wanted:
            marks = ",".join("?" * len(wanted))
            rows = db.execute(
                f"SELECT rowid, data FROM doc_data WHERE rowid IN ({marks})", wanted
            ).fetchall()
            for rowid, data in rows:
                found[rowid] = self._keep(rowid, IndexDocument.model_validate_json(
                    zlib.decompress(data)))
        return found

    def kept_counts(self, db: sqlite3.Connection, chosen: tuple[str, str], max_secrecy: int,
                    fields: Sequence[str]) -> tuple[int, dict[str, Counter[str]]]:
        """``search.sqlite_counts.kept_counts``, read once per change of the file.

        The answer is shared: callers read it, never change it.
        """
        key = (chosen, max_secrecy, tuple(fields))
        answer = self._counts.get(key)
        if answer is None:
            if len(self._counts) >= MAX_KEPT_COUNTS:
                self._counts.clear()
            answer = self._counts[key] = kept_counts(db, chosen, max_secrecy, fields)
        return answer

    def answer(self, key: Hashable, compute: Callable[[], T]) -> T:
        """What ``compute()`` answers for ``key``, computed once while the file is unchanged.

        For a text query at a million documents, counting its totals and
        facets (a sample of ``FACET_SAMPLE`` rows of ``docs``, a walk up to
        ``TOTAL_CAP`` matches) and ranking its candidates are nearly all of
        its time, and the same query comes back: the next page, the same
        words from the API and the page, colleagues looking for the same
        thing.  Keys hold the whole MATCH expression, which holds the user's
        clearance and every filter (``search.sqlite_tags``): an answer is
        only ever given again for the same documents.  As Elasticsearch's
        shard request cache keeps counts and Solr's query result cache the
        ordered ids of a page, and both forget them when the index changes.
        The answer is shared: callers read it, never change it.
        """
        try:
            found = self._answers[key]
        except KeyError:
            found = self._answers[key] = compute()
            if len(self._answers) > MAX_KEPT_ANSWERS:
                self._answers.popitem(last=False)
            return cast(T, found)
        self._answers.move_to_end(key)
        return cast(T, found)

    def _keep(self, rowid: int, doc: IndexDocument) -> IndexDocument:
        size = len(doc.subject) + len(doc.body)
        if size > MAX_KEPT_CHARS // 16:
            return doc  # a very long document would push out hundreds of others
        self._documents[rowid] = doc
        self._chars += size
        while self._chars > MAX_KEPT_CHARS or len(self._documents) > MAX_KEPT_DOCUMENTS:
            _, old = self._documents.popitem(last=False)
            self._chars -= len(old.subject) + len(old.body)
        return doc
