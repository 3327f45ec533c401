"""Each document's facet values as one number, packed by row id: facet samples
without a row of ``docs`` per sampled match.

- ``facet_sets``: every combination of facet values (``FACET_FIELDS``, "" for
  none) any document has had, numbered from 1.  Rows are only ever added: a
  number always means the same values (until a rebuild makes new tables).
- ``facet_blocks``: for each block of ``BLOCK`` row ids, the numbers of its
  documents' combinations as 4-byte little-endian unsigned integers, the
  document at row id ``block * BLOCK + i`` at index ``i`` (0: no document).

A facet sample of 2,000 matches read 2,000 rows of ``docs`` (one B-tree descent
each, 5 strings made each): 5-13 ms at a million documents, most of a faceted
search.  Here it reads the few blocks its row ids fall in and counts with
numpy, the combinations' values kept in memory (``CombinationNames``).

A document's row id never changes and is never reused (``docs`` is
AUTOINCREMENT, a replaced document gets a new one), so a block's entry is
written once when the document is, and zeroed when it is deleted.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from search.model import FACET_FIELDS

BLOCK = 1000  # 4,000 bytes a block: one 4 KB page, no overflow page
_BYTES = 4 * BLOCK
SETS, BLOCKS = "facet_sets", "facet_blocks"
_COLUMNS = ", ".join(FACET_FIELDS)
_MATCH = " AND ".join(f"{field} = ?" for field in FACET_FIELDS)
assert array("I").itemsize == 4

if TYPE_CHECKING:
    import numpy as np


def tables_sql(prefix: str) -> list[str]:
    columns = ", ".join(f"{field} TEXT NOT NULL" for field in FACET_FIELDS)
    return [
        f"""CREATE TABLE IF NOT EXISTS {prefix}{SETS} (code INTEGER PRIMARY KEY, {columns},
            UNIQUE ({_COLUMNS}))""",
        f"""CREATE TABLE IF NOT EXISTS {prefix}{BLOCKS} (
            block INTEGER PRIMARY KEY, codes BLOB NOT NULL)""",
    ]


def _unpack(blob: bytes) -> array[int]:
    codes = array("I", blob)
    if sys.byteorder == "big":
        codes.byteswap()
    return codes


def _pack(codes: array[int]) -> bytes:
    if sys.byteorder == "big":
        codes = array("I", codes)
        codes.byteswap()
    return codes.tobytes()


def record_codes(db: sqlite3.Connection, prefix: str,
                 documents: Sequence[tuple[int, Sequence[Any]]]) -> None:
    """Write the combinations of new documents: (row id, facet values in ``FACET_FIELDS`` order)."""
    known: dict[tuple[str, ...], int] = {}
    codes: dict[int, int] = {}
    for rowid, values in documents:
        key = tuple(value or "" for value in values)
        code = known.get(key)
        if code is None:
            row = db.execute(f"SELECT code FROM {prefix}{SETS} WHERE {_MATCH}", key).fetchone()
            code = known[key] = int(row[0]) if row else int(db.execute(
                f"INSERT INTO {prefix}{SETS} ({_COLUMNS}) VALUES ({','.join('?' * len(key))})",
                key).lastrowid or 0)
        codes[rowid] = code
    _put(db, prefix, codes)


def forget_codes(db: sqlite3.Connection, prefix: str, rowids: Iterable[int]) -> None:
    """Zero the entries of deleted documents."""
    _put(db, prefix, dict.fromkeys(rowids, 0))


def _put(db: sqlite3.Connection, prefix: str, codes: dict[int, int]) -> None:
    by_block: dict[int, dict[int, int]] = defaultdict(dict)
    for rowid, code in codes.items():
        by_block[rowid // BLOCK][rowid % BLOCK] = code
    for block, entries in by_block.items():
        row = db.execute(f"SELECT codes FROM {prefix}{BLOCKS} WHERE block = ?",
                         (block,)).fetchone()
        packed = _unpack(row[0]) if row else array("I")
        if len(packed) < BLOCK:  # always whole: readers take all blocks as one array
            packed.extend([0] * (BLOCK - len(packed)))
        for position, code in entries.items():
            packed[position] = code
        db.execute(f"INSERT OR REPLACE INTO {prefix}{BLOCKS} (block, codes) VALUES (?, ?)",
                   (block, _pack(packed)))


def fill_codes(db: sqlite3.Connection) -> None:
    """Number every document of ``docs`` afresh (an index of an older version)."""
    db.execute(f"DELETE FROM {SETS}")
    db.execute(f"DELETE FROM {BLOCKS}")
    last = 0
    while True:
        rows = db.execute(
            f"SELECT rowid, {_COLUMNS} FROM docs WHERE rowid > ? ORDER BY rowid LIMIT 20000",
            (last,)).fetchall()
        if not rows:
            return
        record_codes(db, "", [(row[0], row[1:]) for row in rows])
        last = rows[-1][0]


class CombinationNames:
    """The facet values of each combination number, kept per connection, as arrays.

    A number's values never change while the tables do not, and numbers are
    given in order: what is kept stays right until the schema changes (a
    rebuild renames new tables in, an upgrade makes them), and numbers given
    since are read on first sight.  For each field, every value met has an
    index (``values``) and ``indexes[code, field]`` is the index of ``code``'s
    value of that field (-1: a number not read, none should be).
    """

    def __init__(self) -> None:
        self._schema: int | None = None
        self.values: list[list[str]] = [[] for _ in FACET_FIELDS]
        self._index: list[dict[str, int]] = [{} for _ in FACET_FIELDS]
        self.indexes: np.ndarray | None = None  # made on first use: numpy is for reading

    def up_to(self, db: sqlite3.Connection, highest: int) -> np.ndarray:
        """``indexes``, with every number up to ``highest`` read."""
        import numpy as np  # not at import: a process that only writes (the ingest) never needs it

        (schema,) = db.execute("PRAGMA schema_version").fetchone()
        if schema != self._schema:
            self.__init__()  # type: ignore[misc]
            self._schema = schema
        if self.indexes is None:
            self.indexes = np.full((1, len(FACET_FIELDS)), -1, dtype=np.int32)
        known = len(self.indexes) - 1
        if highest > known:
            rows = db.execute(f"SELECT code, {_COLUMNS} FROM {SETS} WHERE code > ? ORDER BY code",
                              (known,)).fetchall()
            top = max([highest, *(row[0] for row in rows[-1:])])
            grown = np.full((top + 1, len(FACET_FIELDS)), -1, dtype=np.int32)
            grown[: known + 1] = self.indexes
            for code, *values in rows:
                grown[code] = [self._value_index(n, value) for n, value in enumerate(values)]
            self.indexes = grown
        return self.indexes

    def _value_index(self, field: int, value: str) -> int:
        index = self._index[field].get(value)
        if index is None:
            index = self._index[field][value] = len(self.values[field])
            self.values[field].append(value)
        return index


def sampled_values(db: sqlite3.Connection, names: CombinationNames,
                   sample: Sequence[tuple[Sequence[int], float]],
                   fields: Sequence[str]) -> dict[str, dict[Any, float]]:
    """How many matches each facet value stands for: ``sample`` holds groups of sampled
    row ids, each with how many matches one of its row ids stands for.

    A row id without a number (none should be) is read from ``docs`` instead.
    """
    import numpy as np

    ids = np.array([rowid for group, _ in sample for rowid in group], dtype=np.int64)
    weights = np.repeat([weight for _, weight in sample], [len(group) for group, _ in sample])
    counts: dict[str, dict[Any, float]] = {field: {} for field in fields}
    if not len(ids):
        return counts
    codes = _codes(db, ids)
    indexes = names.up_to(db, int(codes.max()))
    rows = indexes[codes]  # code 0 is never a combination: its indexes are -1
    numbered = rows[:, 0] >= 0
    for field in fields:
        n = FACET_FIELDS.index(field)
        sums = np.bincount(rows[numbered, n], weights=weights[numbered])
        values = names.values[n]
        counts[field] = {values[i]: float(sums[i]) for i in np.flatnonzero(sums)}
    if not numbered.all():
        lost = {int(r): float(w) for r, w in zip(ids[~numbered], weights[~numbered], strict=True)}
        _count_from_docs(db, lost, fields, counts)
    return counts


def _codes(db: sqlite3.Connection, ids: np.ndarray) -> np.ndarray:
    """The combination number of each row id of ``ids`` (0: none written)."""
    import numpy as np

    wanted = ids // BLOCK
    rows = db.execute(
        f"""SELECT block, codes FROM {BLOCKS}
            WHERE block IN (SELECT value FROM json_each(?)) ORDER BY block""",
        [json.dumps(np.unique(wanted).tolist())],
    ).fetchall()
    if not rows:
        return np.zeros(len(ids), dtype=np.int64)
    found = np.array([block for block, _ in rows], dtype=np.int64)
    # Blocks are written whole (``_put``): one array of them all, a row a block.
    table = np.frombuffer(b"".join(packed.ljust(_BYTES, b"\0")[:_BYTES] for _, packed in rows),
                          dtype="<u4").reshape(len(rows), BLOCK)
    where = np.minimum(np.searchsorted(found, wanted), len(found) - 1)
    codes = table[where, ids % BLOCK].astype(np.int64)
    codes[found[where] != wanted] = 0  # no block: no number
    return codes


def _count_from_docs(db: sqlite3.Connection, weights: dict[int, float], fields: Sequence[str],
                     counts: dict[str, dict[Any, float]]) -> None:
    columns = ", ".join(f"d.{f}" for f in fields)
    for rowid, *values in db.execute(
        f"SELECT d.rowid, {columns} FROM json_each(?) j CROSS JOIN docs d ON d.rowid = j.value",
        [json.dumps(list(weights))],
    ):
        for field, value in zip(fields, values, strict=True):
            counts[field][value or ""] = counts[field].get(value or "", 0.0) + weights[rowid]
