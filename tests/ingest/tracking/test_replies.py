"""Reply linking on the text of real outgoing documents (tests/resources/real)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from ingest.tracking.replies import CiteKind, IncomingRef, find_cited, propose_links, symbol_key

REAL = Path(__file__).resolve().parents[2] / "resources" / "real" / "documents"


def printed_text(doc_id: str) -> str:
    """A real document's text as a text layer gives it, header to recipients."""
    printed = json.loads((REAL / f"{doc_id}.json").read_text(encoding="utf-8"))["print"]
    lines = [*printed["parent_body"], *printed["issuing_body"], printed["number"],
             printed["place_date"], *printed["marks"], printed["title"] or "",
             *printed["subject"], *(["Kính gửi: " + "; ".join(printed["recipients_to"])]
                                    if printed["recipients_to"] else []),
             *printed["body"], *printed["signature"]["lines"], printed["signature"]["name"],
             "Nơi nhận:", *printed["recipients"]]
    return "\n".join(line for line in lines if line)


def cited(doc_id: str) -> list[tuple[str, date | None, CiteKind]]:
    return [(c.number_symbol, c.issued, c.kind) for c in find_cited(printed_text(doc_id))]


REPLY, IMPLEMENTS, REQUEST = CiteKind.REPLY, CiteKind.IMPLEMENTS, CiteKind.REQUEST


@pytest.mark.parametrize(("doc_id", "expected"), [
    # "Trả lời công văn số ...", "Phúc đáp công văn số ...": the answered document.
    ("r012", [("1547/HQHN-NV", date(2005, 10, 3), REPLY)]),
    ("r022", [("5163/VPCP-KGVX", date(2009, 7, 30), REPLY)]),
    ("r023", [("224/QH-VLXD", date(2012, 5, 29), REPLY)]),
    ("r038", [("425/03/KHVT-VF", date(2003, 8, 1), REPLY)]),   # "ngày 1 tháng 8 năm 2003"
    ("r049", [("7444/TC-CSTL", date(2003, 7, 18), REPLY)]),    # "đề ngày 18/7/2003"
    ("r053", [("2048/CT-TTr3-Đ1", date(2007, 3, 5), REPLY)]),  # printed "TTr3 -Đ1"
    # "Thực hiện Công văn số ...", "Thực hiện chỉ đạo ... tại Công văn số ...".
    ("r131", [("1017/BTNMT-TCMT", date(2013, 3, 22), IMPLEMENTS)]),
    ("r206", [("1498-CV/HU", date(2018, 9, 24), IMPLEMENTS)]),  # printed "1498- CV/ HU"
    ("r301", [("4869/UBND-SYT", date(2020, 7, 26), IMPLEMENTS)]),
    # "Xét đề nghị ... tại Tờ trình số ... và đề nghị ... tại Tờ trình số ...".
    ("r020", [("10/TTr-HĐND", date(2026, 4, 14), REQUEST),
              ("252/TTr-BNV", date(2026, 4, 17), REQUEST)]),
    ("r316", [("394/TTr-CP", None, REQUEST), ("395/ĐA-CP", date(2025, 5, 9), REQUEST),
              ("412/BC-UBPLTP15", date(2025, 6, 3), REQUEST)]),
    ("r002", [("123/BC-BYT", date(2009, 2, 27), REQUEST)]),     # "đã nhận được công văn số"
    ("r029", [("28/HNC", date(2011, 3, 11), REQUEST),           # "(Công văn số 28/HNC , ngày"
              ("10/2010/TT-BNNPTNT", date(2010, 3, 3), IMPLEMENTS)]),
    # Only the received letter, not the guidance its subject mentions ("theo hướng dẫn tại").
    ("r011", [("428/HQĐNa-GSQL", date(2012, 3, 28), REQUEST)]),
    # "nhận được phản ánh ... về ... thực hiện Nghị định số ...": no document answered.
    ("r047", []),
])
def test_cited_documents_of_real_outgoing_documents(
        doc_id: str, expected: list[tuple[str, date | None, CiteKind]]) -> None:
    assert cited(doc_id) == expected


def test_the_cue_and_the_parts_come_with_each_citation() -> None:
    (citation,) = find_cited(printed_text("r022"))
    assert citation.cue == "Phúc đáp"
    assert citation.parts is not None
    assert (citation.parts.number, citation.parts.issuer_abbr) == ("5163", "VPCP")
    assert citation.parts.type_abbr is None  # a công văn


def test_plain_citations_are_not_replies() -> None:
    text = ("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ;\n"
            "Tiếp theo Công văn số 120/UBND-VP ngày 02/12/2026 của UBND tỉnh, "
            "Ủy ban nhân dân tỉnh đề nghị các sở, ngành tổ chức thực hiện theo Kế hoạch "
            "số 45/KH-UBND.")
    assert find_cited(text) == []


def test_a_wrapped_ocr_text_and_the_subject_line() -> None:
    text = ("Số: 120/UBND-VX\nV/v trả lời Công văn số 45/STC-\nNS của Sở Tài chính\n"
            "Kính gửi: Sở Tài chính\n"
            "Phúc đáp Công văn số 45/STC-NS ngày 01 tháng\n12 năm 2026 của Sở Tài chính "
            "về việc thực hiện Nghị định số 30/2020/NĐ-CP, Ủy ban nhân dân tỉnh có ý kiến:")
    assert [(c.number_symbol, c.issued, c.kind) for c in find_cited(text)] == [
        ("45/STC-NS", date(2026, 12, 1), REPLY)]
    subject_only = text.split("Kính gửi")[0]
    assert [(c.number_symbol, c.issued) for c in find_cited(subject_only)] == [("45/STC-NS", None)]


def test_links_are_proposed_when_symbol_and_date_agree() -> None:
    citations = find_cited(printed_text("r012"))
    incoming = [IncomingRef("in-1", "1547/HQHN-NV", date(2005, 10, 3)),
                IncomingRef("in-2", "1547/HQHN - NV", None),
                IncomingRef("in-3", "1547/HQHN-NV", date(2004, 10, 3)),  # last year's 1547
                IncomingRef("in-4", "1548/HQHN-NV", date(2005, 10, 3))]
    links = propose_links(citations, incoming)
    assert [(link.incoming.doc_id, link.exact) for link in links] == [
        ("in-1", True), ("in-2", False)]


def test_symbols_compare_without_spaces_marks_or_padding() -> None:
    assert symbol_key("045/UBND-VX") == symbol_key("45/UBND - VX") == symbol_key("45/ubnd-vx")
    assert symbol_key("2284/QĐ-UBND") == symbol_key("2284/QD-UBND")
    assert symbol_key("45/UBND-VX") != symbol_key("45/UBND-VP")
