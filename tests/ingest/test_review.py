"""The review rule and corrections: record, register, index and book move together.

Documents are ingested by the real pipeline on the embedded backends; the
history is checked to survive ``docket reindex`` (the real command) and a
register rebuilt from the records alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from ingest.backends import Backends, open_backends
from ingest.corrections import CorrectionRefused, correct_document
from ingest.indexing import iter_records, load_record
from ingest.pipeline import ingest_once
from ingest.register import Correction, Register
from ingest.register.engine import open_engine
from ingest.review import KEY_FIELDS, REVIEW_CONFIDENCE, review_fields
from kernel.errors import RegisterUnavailable
from kernel.model import ExtractedField
from kernel.settings import Settings, load_settings
from search.model import SearchQuery
from tests.apps.cli.test_commands import docket

ROOT = Path(__file__).resolve().parents[2]
LATER = datetime(2026, 12, 1, 3, tzinfo=UTC)


def cong_van(number: int, *, signer: bool = True, dated: bool = True) -> str:
    """A short Công văn; without ``signer`` its signature block has no name, without
    ``dated`` no date line: each leaves a key field missing."""
    return (
        "UỶ BAN NHÂN DÂN TỈNH LÂM ĐỒNG\nSỞ NỘI VỤ\n"
        f"Số: {number}/SNV-VP\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        + (f"Lâm Đồng, ngày {number} tháng 3 năm 2025\n" if dated else "")
        + f"V/v kế hoạch công tác số {number}\nKính gửi: Các phòng chuyên môn\n"
        "Sở Nội vụ đề nghị các phòng thực hiện kế hoạch công tác năm 2025.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nGIÁM ĐỐC\n"
        + ("Nguyễn Văn Bình\n" if signer else "")
    )


@pytest.fixture
def ingested(tmp_path: Path) -> tuple[Settings, dict[str, str]]:
    """Three documents: complete, without a signer's name, without a date. name -> doc id."""
    settings = load_settings(data_dir=tmp_path / "var", quiet_seconds=0, workers=1)
    files = {"du.txt": cong_van(1), "ky.txt": cong_van(2, signer=False),
             "ngay.txt": cong_van(3, dated=False)}
    for name, body in files.items():
        target = settings.inbox_location / "incoming" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    with open_backends(settings) as backends:
        report = ingest_once(settings, backends, wait=False)
    return settings, {f.original_name: f.doc_id for f in report.files if f.doc_id}


def queue(backends: Backends) -> dict[str, dict[str, float | None]]:
    page = backends.register.needing_review(max_secrecy=3)
    return {d.doc_id: d.review_fields for d in page.documents}


def test_the_rule_names_missing_and_doubtful_key_fields(ingested) -> None:  # noqa: ANN001
    settings, ids = ingested
    with open_backends(settings) as backends:
        record = load_record(backends, ids["ky.txt"])
        assert review_fields(record) == {"signer_name": None}
        doubtful = record.model_copy(update={"metadata": {
            **record.metadata,
            "subject": ExtractedField(value="V/v ...", source="ocr", confidence=0.5)}})
        assert review_fields(doubtful) == {"signer_name": None, "subject": 0.5}
        assert review_fields(doubtful, threshold=0.4) == {"signer_name": None}
        assert review_fields(load_record(backends, ids["du.txt"])) == {}
        # The register answers from its flag: newest first, the complete one absent.
        assert queue(backends) == {ids["ngay.txt"]: {"issue_date": None},
                                   ids["ky.txt"]: {"signer_name": None}}
        assert backends.register.needing_review(max_secrecy=0, limit=0).total == 2
        mine = backends.register.needing_review(max_secrecy=0, among=[ids["ky.txt"]])
        assert [d.doc_id for d in mine.documents] == [ids["ky.txt"]] and mine.total == 1


def test_a_correction_reaches_record_register_book_and_index(ingested) -> None:  # noqa: ANN001
    settings, ids = ingested
    doc_id = ids["ky.txt"]
    with open_backends(settings) as backends:
        outcome = correct_document(
            backends, doc_id, {"signer_name": "Trần Thị Hoa", "issue_date": "05/03/2025",
                               "subject": "V/v kế hoạch  công tác năm 2025"},
            by="clerk1", revision=0, at=LATER)
        assert outcome.corrected == ("signer_name", "issue_date", "subject")
        assert outcome.index.indexed == 1
        record = load_record(backends, doc_id)
        assert record.meta("signer_name") == "Trần Thị Hoa"
        assert record.metadata["signer_name"].source == "manual"
        assert record.meta("issue_date") == "2025-03-05"
        # The history keeps what the describer had read.
        by_field = {c.field: c for c in record.corrections}
        assert by_field["signer_name"].old_value is None
        assert by_field["issue_date"].old_value == "2025-03-02"
        assert by_field["issue_date"].old_source == "text"
        assert by_field["subject"].new_value == "V/v kế hoạch công tác năm 2025"
        assert {c.by for c in record.corrections} == {"clerk1"} and record.revision == 3
        assert doc_id not in queue(backends)
        row = backends.register.get_document(doc_id)
        assert row is not None and row.signer == "Trần Thị Hoa"
        assert row.issue_date == date(2025, 3, 5) and row.index_state == "indexed"
        book = backends.register.register_book(row.year, "incoming")
        assert [r.signer for r in book if r.doc_id == doc_id] == ["Trần Thị Hoa"]
        found = backends.index.search(SearchQuery(text="Trần Thị Hoa"))
        assert [h.doc_id for h in found.hits] == [doc_id]


def test_confirming_removes_from_the_queue_and_a_stale_form_is_refused(ingested) -> None:  # noqa: ANN001
    settings, ids = ingested
    doc_id = ids["ngay.txt"]
    with open_backends(settings) as backends:
        with pytest.raises(CorrectionRefused) as nothing:
            correct_document(backends, doc_id, {"issue_date": ""}, by="clerk1")
        assert nothing.value.key == "correction_nothing"
        outcome = correct_document(backends, doc_id, {}, ["issue_date"], by="clerk1",
                                   revision=0)
        assert outcome.confirmed == ("issue_date",) and outcome.corrected == ()
        assert doc_id not in queue(backends)
        with pytest.raises(CorrectionRefused) as stale:
            correct_document(backends, doc_id, {"signer_name": "A"}, by="clerk2", revision=0)
        assert stale.value.key == "correction_stale"
        assert load_record(backends, doc_id).revision == 1
        # A value later changed back to nothing is doubtful again.
        correct_document(backends, doc_id, {"issue_date": "01/03/2025"}, by="admin1")
        correct_document(backends, doc_id, {"issue_date": ""}, by="admin1")
        assert doc_id not in queue(backends)  # cleared by a person: settled as "none"


@pytest.mark.parametrize(("field", "value", "key"), [
    ("issue_date", "31/02/2025", "correction_bad_date"),
    ("issue_date", "01/01/2999", "correction_date_range"),
    ("doc_type", "Thư tình", "correction_bad_type"),
    ("urgency", "rất gấp", "correction_bad_urgency"),
    ("number_symbol", "QĐ-UBND", "correction_bad_symbol"),
    ("subject", "x" * 2001, "correction_too_long"),
    ("secrecy", "MẬT", "correction_unknown_field"),
])
def test_bad_values_are_refused_and_nothing_changes(ingested, field: str, value: str,  # noqa: ANN001
                                                    key: str) -> None:
    settings, ids = ingested
    with open_backends(settings) as backends:
        before = load_record(backends, ids["ky.txt"])
        with pytest.raises(CorrectionRefused) as refused:
            correct_document(backends, ids["ky.txt"], {field: value}, by="clerk1")
        assert refused.value.key == key
        assert refused.value.text("vi") != refused.value.text("en")
        assert load_record(backends, ids["ky.txt"]) == before


def test_a_new_symbol_brings_its_parts(ingested) -> None:  # noqa: ANN001
    settings, ids = ingested
    with open_backends(settings) as backends:
        correct_document(backends, ids["du.txt"], {"number_symbol": "78/2025/NQ-HĐND"},
                         by="admin1")
        record = load_record(backends, ids["du.txt"])
        parts = {k: record.meta(k) for k in ("number", "number_year", "type_abbr",
                                             "issuer_abbr")}
        assert parts == {"number": "78", "number_year": "2025", "type_abbr": "NQ",
                         "issuer_abbr": "HĐND"}


def test_history_survives_reindex_and_a_register_rebuilt_from_records(ingested) -> None:  # noqa: ANN001
    settings, ids = ingested
    doc_id = ids["ky.txt"]
    with open_backends(settings) as backends:
        correct_document(backends, doc_id, {"signer_name": "Trần Thị Hoa"}, by="clerk1")
        records = list(iter_records(backends))
        before = {r.doc_id: r for r in records}
    result = docket(settings.data_dir, "--lang", "en", "reindex")
    assert result.returncode == 0, result.stderr
    with open_backends(settings) as backends:
        assert {r.doc_id: r for r in iter_records(backends)} == before
        assert set(queue(backends)) == {ids["ngay.txt"]}
        assert backends.index.search(SearchQuery(text="Trần Thị Hoa")).total == 1
    # A register lost and rebuilt from the records: the book and the queue come back.
    (settings.data_dir / "register.sqlite").unlink()
    register = Register(open_engine(settings.register_location), settings.timezone)
    try:
        register.create_schema()
        assert register.rebuild_from_records(before.values()) == 3
        row = register.get_document(doc_id)
        assert row is not None and row.signer == "Trần Thị Hoa" and not row.needs_review
        assert [d.doc_id for d in register.needing_review(max_secrecy=3).documents] == [
            ids["ngay.txt"]]
    finally:
        register.close()


def test_reindex_works_out_the_flags_of_an_upgraded_register(ingested) -> None:  # noqa: ANN001
    """A register from before the review columns gets them; reindex fills them in."""
    settings, ids = ingested
    engine = open_engine(settings.register_location)
    with engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_documents_review"))
        conn.execute(text("ALTER TABLE documents DROP COLUMN review_fields"))
        conn.execute(text("ALTER TABLE documents DROP COLUMN needs_review"))
    engine.dispose()
    with open_backends(settings) as backends:  # create_schema upgrades in place
        assert queue(backends) == {}
    assert docket(settings.data_dir, "reindex").returncode == 0
    with open_backends(settings) as backends:
        assert set(queue(backends)) == {ids["ky.txt"], ids["ngay.txt"]}


def test_the_example_environment_keeps_the_threshold() -> None:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    assert f"DOCKET_REVIEW_CONFIDENCE={REVIEW_CONFIDENCE}" in lines
    assert KEY_FIELDS[0] == "number_symbol" and len(KEY_FIELDS) == 6


class CommitFails(Register):
    """A register that loses its connection right after the record was written."""

    @contextmanager
    def correcting(self, doc_id: str) -> Iterator[Correction]:
        with super().correcting(doc_id) as correction:
            yield correction  # the caller writes the record here
            raise RegisterUnavailable("connection lost at commit")


def test_a_failed_commit_leaves_record_and_register_as_they_were(ingested) -> None:  # noqa: ANN001
    settings, ids = ingested
    doc_id = ids["ky.txt"]
    with open_backends(settings) as backends:
        record_before = backends.store.get_bytes(f"records/{doc_id[:2]}/{doc_id}.json")
    failing = CommitFails(open_engine(settings.register_location), settings.timezone)
    with open_backends(settings, register=failing) as backends, pytest.raises(
            RegisterUnavailable):
        correct_document(backends, doc_id, {"signer_name": "Trần Thị Hoa"}, by="clerk1")
    with open_backends(settings) as backends:
        assert backends.store.get_bytes(f"records/{doc_id[:2]}/{doc_id}.json") == record_before
        row = backends.register.get_document(doc_id)
        assert row is not None and row.signer == "GIÁM ĐỐC" and row.needs_review
