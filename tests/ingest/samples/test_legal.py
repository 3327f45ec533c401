"""Laws, circulars and copies in the sample generator: printed as the domain describes them."""

from __future__ import annotations

import re

import pytest

from ingest.samples.generate import Job, plan_jobs
from ingest.samples.layout import layout


@pytest.fixture(scope="module")
def legal_plan() -> list[Job]:
    return plan_jobs("legal", seed=0)


def _text(job: Job) -> str:
    return "\n".join(page.text for page in layout(job.spec))


def test_legal_profile_has_each_type_and_copy_form_in_three_kinds(legal_plan: list[Job]) -> None:
    forms: dict[str, set[str]] = {}
    for job in legal_plan:
        meta = job.spec.metadata
        forms.setdefault(meta.get("copy_form") or meta["doc_type"], set()).add(job.kind)
    expected = {"Luật", "Thông tư", "Bản sao y", "Bản trích sao", "Bản sao lục"}
    assert set(forms) == expected
    assert all(kinds == {"text_pdf", "scan_pdf", "docx"} for kinds in forms.values())


def test_full_profile_ends_with_the_legal_jobs_and_keeps_the_others() -> None:
    full = plan_jobs("full", seed=0)
    copies = {job.spec.metadata.get("copy_form") for job in full} - {None}
    assert copies == {"Bản sao y", "Bản trích sao", "Bản sao lục"}
    laws = [job for job in full if job.spec.metadata.get("doc_type") == "Luật"]
    assert {job.kind for job in laws} == {"text_pdf", "scan_pdf", "docx"}
    assert any(job.scan is not None and job.scan.rotation == 180 for job in full[-15:])


def test_a_law_prints_luat_so_and_its_passing_date_at_the_end(legal_plan: list[Job]) -> None:
    job = next(j for j in legal_plan if j.spec.metadata["doc_type"] == "Luật")
    meta, text = job.spec.metadata, _text(job)
    assert re.fullmatch(r"\d{2}/20\d\d/QH15", meta["number_symbol"])
    assert f"Luật số: {meta['number_symbol']}" in text
    assert job.spec.date_block == [] and "issue_place" not in meta
    year, month, day = (int(part) for part in meta["issue_date"].split("-"))
    closing = [line for line in text.splitlines() if "thông qua" in line]
    assert closing and f"ngày {day:02d} tháng" in closing[-1]
    assert text.rstrip().endswith(meta["signer_name"])
    assert meta["signer_title"] == "CHỦ TỊCH QUỐC HỘI" and "recipients" not in meta


def test_a_circular_is_numbered_with_year_type_and_ministry(legal_plan: list[Job]) -> None:
    job = next(j for j in legal_plan if j.spec.metadata["doc_type"] == "Thông tư"
               and "copy_form" not in j.spec.metadata)  # fmt: skip
    meta = job.spec.metadata
    assert re.fullmatch(r"\d{2}/20\d\d/TT-BTC", meta["number_symbol"])
    assert meta["issuing_body"] == "BỘ TÀI CHÍNH"
    assert "Bộ trưởng Bộ Tài chính ban hành Thông tư" in _text(job)


@pytest.mark.parametrize(("form", "printed"), [("SY", "SAO Y"), ("TrS", "TRÍCH SAO"),
                                               ("SL", "SAO LỤC")])  # fmt: skip
def test_a_copy_ends_with_its_own_block(legal_plan: list[Job], form: str, printed: str) -> None:
    job = next(j for j in legal_plan
               if f"/{form}-" in j.spec.metadata.get("copy_number_symbol", ""))  # fmt: skip
    meta, text = job.spec.metadata, _text(job)
    lines = text.splitlines()
    block = lines.index(f"Số: {meta['copy_number_symbol']}")
    assert printed in lines[block:]
    assert lines.index(meta["signer_name"]) < block  # the original's signer comes first
    assert text.index(meta["number_symbol"]) < text.index(meta["copy_number_symbol"])
    assert meta["copy_issue_date"] > meta["issue_date"]
