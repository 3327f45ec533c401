"""A person's corrections of a registered document's metadata: record, register and index together.

``correct_document`` is the one way to do it (the web form calls it).  The
JSON record in the store stays the source of truth: each corrected or
confirmed field adds a ``FieldCorrection`` to its history (who, when, the old
and new value; the first one keeps what the describer had read), the
register's row takes the new values (so the register book prints them) and
its review flag, and the document is indexed again at once.  Secrecy is not
corrected here: ``ingest.secrecy.change_secrecy`` moves a document between
the books.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ingest.backends import Backends
from ingest.describe.fields.numbering import split_number_symbol
from ingest.describe.tables import MARKS, PARTY_TYPES, STATE_TYPES
from ingest.indexing import IndexReport, index_document_for, index_documents, load_record, load_text
from ingest.record_rewrite import rewriting_records
from ingest.review import KEY_FIELDS, current_value, review_fields
from kernel.errors import NotFound, UsageError
from kernel.i18n import translate
from kernel.model import DocumentRecord, ExtractedField, FieldCorrection

CORRECTABLE_FIELDS: tuple[str, ...] = (*KEY_FIELDS, "urgency")
DOC_TYPES: tuple[str, ...] = tuple(dict.fromkeys([*STATE_TYPES, *PARTY_TYPES]))
URGENCY_MARKS: tuple[str, ...] = tuple(v for f, v in MARKS.values() if f == "urgency")
# The longest value each field may take, in characters.
MAX_CHARS = {"number_symbol": 80, "issuing_body": 300, "signer_name": 120, "subject": 2000}
# Parts of a number/symbol the describer stores beside it; worked out again when it changes.
SYMBOL_PARTS = ("number", "number_year", "type_abbr", "issuer_abbr")
_DOC_ID = re.compile(r"[0-9a-f]{16}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
EARLIEST_YEAR = 1900


class CorrectionRefused(UsageError):
    """A correction that cannot be saved; ``key`` names its message in ``kernel.i18n``."""

    def __init__(self, key: str, **values: object) -> None:
        self.key = key
        self.values = values
        super().__init__(self.text("en"))

    def text(self, language: str) -> str:
        return translate(self.key, language, **values_in(self.values, language))


def values_in(values: Mapping[str, object], language: str) -> dict[str, object]:
    """Field names in a message are shown by their label in ``language``."""
    return {k: translate(f"field_{v}", language) if k == "field" else v
            for k, v in values.items()}


@dataclass(frozen=True)
class CorrectionOutcome:
    """What ``correct_document`` did: the record as now stored and what it changed."""

    record: DocumentRecord
    corrected: tuple[str, ...]
    confirmed: tuple[str, ...]
    index: IndexReport

    @property
    def summary(self) -> str:
        """For the audit log: ``corrected: a, b; confirmed: c``."""
        parts = []
        if self.corrected:
            parts.append("corrected: " + ", ".join(self.corrected))
        if self.confirmed:
            parts.append("confirmed: " + ", ".join(self.confirmed))
        return "; ".join(parts)


def clean_value(name: str, raw: str, *, today: date) -> str | None:
    """The value a person typed for field ``name``, normalised; ``None`` for none.

    ``CorrectionRefused`` when it is not a value the field can take.
    """
    if name not in CORRECTABLE_FIELDS:
        raise CorrectionRefused("correction_unknown_field", field=name[:40])
    text = " ".join(unicodedata.normalize("NFC", raw).split())
    if not text:
        return None
    if _CONTROL.search(text):
        raise CorrectionRefused("correction_bad_text", field=name)
    if name == "issue_date":
        return _clean_date(text, today).isoformat()
    if name == "doc_type":
        if text not in DOC_TYPES:
            raise CorrectionRefused("correction_bad_type", value=text[:60])
        return text
    if name == "urgency":
        if text.upper() not in URGENCY_MARKS:
            raise CorrectionRefused("correction_bad_urgency", marks=", ".join(URGENCY_MARKS))
        return text.upper()
    if name == "number_symbol":
        text = text.replace(" ", "")
        if not any(c.isdigit() for c in text):
            raise CorrectionRefused("correction_bad_symbol", value=text[:40])
    most = MAX_CHARS.get(name)
    if most is not None and len(text) > most:
        raise CorrectionRefused("correction_too_long", field=name, most=most)
    return text


def _clean_date(text: str, today: date) -> date:
    day_first = _DAY_FIRST.fullmatch(text)
    try:
        if day_first:
            day, month, year = (int(g) for g in day_first.groups())
            value = date(year, month, day)
        else:
            value = date.fromisoformat(text)
    except ValueError:
        raise CorrectionRefused("correction_bad_date", value=text[:40]) from None
    if value.year < EARLIEST_YEAR or value > today:
        raise CorrectionRefused("correction_date_range", value=value.strftime("%d/%m/%Y"))
    return value


def correct_document(
    backends: Backends,
    doc_id: str,
    values: Mapping[str, str],
    confirm: Iterable[str] = (),
    *,
    by: str,
    revision: int | None = None,
    at: datetime | None = None,
) -> CorrectionOutcome:
    """Set the fields in ``values`` (``""``: no value) and confirm those in ``confirm``.

    Fields whose value does not change are left alone; a field in ``confirm``
    is recorded as checked by ``by`` with its value as it stands.  With
    ``revision`` (``DocumentRecord.revision`` as the person's form showed it)
    a record changed meanwhile is refused rather than overwritten.  Raises
    ``CorrectionRefused`` (a ``UsageError``) for a bad value, a stale form or
    nothing to save, ``NotFound`` for an unknown or unregistered document,
    ``RegisterUnavailable`` (retry) if the register is down.  An index outage
    does not fail the correction: the document stays pending for ``docket index``.
    """
    if not _DOC_ID.fullmatch(doc_id):
        raise NotFound(f"no document {doc_id[:40]!r}")
    if not by.strip():
        raise UsageError("a correction needs who made it")
    moment = at or datetime.now(UTC)
    today = (moment + timedelta(days=1)).date()  # a day's grace for the time zone
    wanted = {name: clean_value(name, raw, today=today) for name, raw in values.items()}
    checked = list(dict.fromkeys(confirm))
    for name in checked:
        if name not in CORRECTABLE_FIELDS:
            raise CorrectionRefused("correction_unknown_field", field=name[:40])
    # Outermost the rewrite with undo, inside it the register's row lock: a
    # register that does not commit puts the record back as it was.
    with rewriting_records(backends.store) as records, \
            backends.register.correcting(doc_id) as correction:
        record = load_record(backends, doc_id)
        if revision is not None and revision != record.revision:
            raise CorrectionRefused("correction_stale")
        updated, corrected, confirmed = _apply(record, wanted, checked, by.strip(), moment)
        if not corrected and not confirmed:
            raise CorrectionRefused("correction_nothing")
        records.write(record, updated)
        correction.record = updated
    document = index_document_for(updated, load_text(backends, updated))
    return CorrectionOutcome(updated, tuple(corrected), tuple(confirmed),
                             index_documents(backends, [document]))


def _apply(
    record: DocumentRecord,
    wanted: Mapping[str, str | None],
    confirm: list[str],
    by: str,
    at: datetime,
) -> tuple[DocumentRecord, list[str], list[str]]:
    metadata = dict(record.metadata)
    history = list(record.corrections)
    corrected: list[str] = []
    for name, new in wanted.items():
        old = current_value(record, name)
        if new == old:
            continue
        before = record.metadata.get(name)
        history.append(FieldCorrection(
            at=at, by=by, field=name, action="corrected", old_value=old, new_value=new,
            old_source=before.source if before else None,
            old_confidence=before.confidence if before else None))
        if new is None:
            metadata.pop(name, None)
        else:
            metadata[name] = ExtractedField(value=new, source="manual", confidence=1.0)
        if name == "number_symbol":
            _set_symbol_parts(metadata, new)
        corrected.append(name)
    confirmed: list[str] = []
    doubtful = review_fields(record.model_copy(update={"metadata": metadata,
                                                       "corrections": history}), 1.01)
    for name in confirm:
        if name in corrected or name not in doubtful:
            continue  # corrected just now, or confirmed before with this value
        value = current_value(record, name)
        field = metadata.get(name)
        history.append(FieldCorrection(
            at=at, by=by, field=name, action="confirmed", old_value=value, new_value=value,
            old_source=field.source if field else None,
            old_confidence=field.confidence if field else None))
        confirmed.append(name)
    updated = record.model_copy(update={"metadata": metadata, "corrections": history})
    return updated, corrected, confirmed


def _set_symbol_parts(metadata: dict[str, ExtractedField], symbol: str | None) -> None:
    for part in SYMBOL_PARTS:
        metadata.pop(part, None)
    parts = split_number_symbol(symbol) if symbol else None
    if parts is None:
        return
    found = {"number": parts.number, "number_year": parts.year,
             "type_abbr": parts.type_abbr, "issuer_abbr": parts.issuer_abbr}
    for part, value in found.items():
        if value:
            metadata[part] = ExtractedField(value=value, source="manual", confidence=1.0)
