"""Writing documents into the SQLite index's tables (inside the caller's transaction)."""

from __future__ import annotations

import sqlite3
import zlib
from datetime import datetime
from typing import Any

from search.model import FACET_FIELDS, BulkResult, IndexDocument
from search.sqlite_counts import FacetRow, change_counts
from search.sqlite_facet_codes import forget_codes, record_codes
from search.sqlite_months import MonthRow, change_months
from search.sqlite_schema import FTS_COLUMNS, WORD
from search.sqlite_tags import document_tags, strip_tag_mark
from search.text import exact_form, fold_exact, reference_key

_FTS_NAMES = ", ".join(FTS_COLUMNS)
_FTS_MARKS = ",".join("?" * len(FTS_COLUMNS))
_FACET_COLUMNS = ", ".join(f"d.{field}" for field in FACET_FIELDS)


def wall_clock(moment: datetime) -> str:
    """``moment`` as the office's own clock shows it (months and date filters follow it)."""
    return moment.replace(tzinfo=None).isoformat(sep="T", timespec="seconds")


def fts_values(doc: IndexDocument) -> tuple[str, ...]:
    """What the FTS tables index for ``doc``: the columns of ``fts``, in the order of
    ``FTS_COLUMNS``, then the one column of ``written`` (``written_words``)."""
    meta = " ".join(
        part
        for part in (
            doc.number_symbol,
            doc.issuing_body,
            doc.original_name,
            doc.signer_name,
            " ".join(doc.references),
        )
        if part
    )
    # Subject and body arrive normalised (``IndexDocument``): only the short
    # metadata line, names and numbers as the record has them, is normalised here.
    exact = tuple(strip_tag_mark(t) for t in (doc.subject, doc.body, exact_form(meta)))
    return (*(fold_exact(t) for t in exact), document_tags(doc), written_words(" ".join(exact)))


def written_words(text: str) -> str:
    """The words of ``text`` that are not plain ASCII, as written, one space apart.

    A plain ASCII word is the same folded (FTS5 lower-cases both): the folded
    columns already hold it.  ``search.sqlite_match.as_written_lookups`` looks
    only these words up.
    """
    return " ".join(word for word in WORD.findall(text) if not word.lower().isascii())


def write_batch(
    db: sqlite3.Connection, prefix: str, batch: list[IndexDocument], result: BulkResult
) -> None:
    """Add or replace the documents of ``batch`` in the tables named ``prefix``…"""
    remove(db, prefix, [doc.doc_id for doc in batch])
    fts_rows: list[tuple[Any, ...]] = []
    written_rows: list[tuple[Any, ...]] = []
    data_rows: list[tuple[Any, ...]] = []
    ref_rows: list[tuple[str, Any]] = []
    counted: list[tuple[FacetRow, int]] = []
    months: list[MonthRow] = []
    numbered: list[tuple[int, FacetRow]] = []
    for doc in batch:
        try:
            data = zlib.compress(doc.model_dump_json().encode(), 6)
            columns = fts_values(doc)
        except (ValueError, TypeError) as error:
            result.failed[doc.doc_id] = f"cannot serialise: {error}"
            continue
        received = wall_clock(doc.received_at)
        cursor = db.execute(
            f"""INSERT INTO {prefix}docs (doc_id, direction, doc_type, issuing_body,
                language, folder, issue_date, received_at, secrecy, reg_year, reg_number)
                VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
            (
                doc.doc_id,
                doc.direction,
                doc.doc_type,
                doc.issuing_body,
                doc.language,
                doc.folder,
                doc.issue_date.isoformat() if doc.issue_date else None,
                received,
                doc.secrecy,
                doc.registration_year,
                doc.registration_number,
            ),
        )
        rowid = cursor.lastrowid
        fts_rows.append((rowid, *columns[:-1]))
        written_rows.append((rowid, columns[-1]))
        data_rows.append((rowid, data))
        ref_rows.extend({(reference_key(r), rowid) for r in doc.references if r.strip()})
        facet_row = tuple(getattr(doc, f) for f in FACET_FIELDS)
        counted.append((facet_row, doc.secrecy))
        numbered.append((int(rowid or 0), facet_row))
        months.append((received[:7], doc.direction, doc.doc_type, doc.secrecy))
        result.indexed.append(doc.doc_id)
    db.executemany(
        f"INSERT INTO {prefix}fts (rowid, {_FTS_NAMES}) VALUES (?,{_FTS_MARKS})", fts_rows
    )
    db.executemany(f"INSERT INTO {prefix}written (rowid, words) VALUES (?,?)", written_rows)
    db.executemany(f"INSERT INTO {prefix}doc_data (rowid, data) VALUES (?,?)", data_rows)
    db.executemany(f"INSERT OR IGNORE INTO {prefix}refs (ref, rowid) VALUES (?,?)", ref_rows)
    change_counts(db, prefix, counted, 1)
    change_months(db, prefix, months, 1)
    record_codes(db, prefix, numbered)


def remove(db: sqlite3.Connection, prefix: str, doc_ids: list[str]) -> None:
    """Delete documents by id, FTS entries included."""
    for start in range(0, len(doc_ids), 500):
        chunk = doc_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = db.execute(
            f"""SELECT d.rowid, x.data, {_FACET_COLUMNS}, d.secrecy,
                       substr(d.received_at, 1, 7), d.direction, d.doc_type FROM {prefix}docs d
                LEFT JOIN {prefix}doc_data x ON x.rowid = d.rowid
                WHERE d.doc_id IN ({marks})""",
            chunk,
        ).fetchall()
        change_counts(db, prefix, [(tuple(row[2:-4]), row[-4]) for row in rows], -1)
        change_months(db, prefix, [(row[-3], row[-2], row[-1], row[-4]) for row in rows], -1)
        forget_codes(db, prefix, [row[0] for row in rows])
        for rowid, data, *_ in rows:
            if data is not None:
                # A contentless FTS table forgets a row only when given the
                # values it indexed; they are rebuilt from the stored document.
                *old, words = fts_values(IndexDocument.model_validate_json(zlib.decompress(data)))
                db.execute(
                    f"""INSERT INTO {prefix}fts ({prefix}fts, rowid, {_FTS_NAMES})
                        VALUES ('delete',?,{_FTS_MARKS})""",
                    (rowid, *old),
                )
                db.execute(f"""INSERT INTO {prefix}written ({prefix}written, rowid, words)
                               VALUES ('delete',?,?)""", (rowid, words))
            for table in ("docs", "doc_data"):
                db.execute(f"DELETE FROM {prefix}{table} WHERE rowid = ?", (rowid,))
            db.execute(f"DELETE FROM {prefix}refs WHERE rowid = ?", (rowid,))
