"""Render real documents (``tests/resources/real/documents/*.json``) as files with their truth.

The sample generator writes documents it invents; this module lays out the
text of real documents, as their offices printed it, in the layouts real
offices use, through the same ``DocumentSpec``, layout, writers and scan
effects.  Each rendered file gets a ``.truth.json`` beside it in the shape of
the generated samples' (``file``, ``kind``, ``text``, ``metadata``...), so the
tooling reading those reads these too; ``real`` adds the document id and the
variant it was rendered in.

Which layout irregularities a file shows (the number on the line under
``Số:``, a wrapped date, a seal over the signer, a stamped mark...) is drawn
from the seed, the document and the variant, so the whole set spreads them
across documents and the same seed gives the same bytes.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ingest.samples.compose import BODY_SIZE, HEADER_SIZE, MOTTO, PARTY_NAME
from ingest.samples.docx_writer import write_docx
from ingest.samples.generate import TRUTH_SUFFIX
from ingest.samples.layout import (
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    PAGE_H,
    PageLayout,
    Placed,
    Seal,
    layout,
)
from ingest.samples.pdf_writer import write_text_pdf
from ingest.samples.scan import ScanParams, degrade, render_page, write_scan_pdf, write_tiff
from ingest.samples.spec import DocumentSpec, Para
from kernel.text import normalize_text

REAL_VARIANTS = ("text_pdf", "docx", "scan_300", "scan_200", "fax")
# The file kind each variant is written as (the generated samples' kinds).
VARIANT_KIND = {"text_pdf": "text_pdf", "docx": "docx", "scan_300": "scan_pdf",
                "scan_200": "scan_pdf", "fax": "tiff"}  # fmt: skip
VARIANT_DPI = {"scan_300": 300, "scan_200": 200, "fax": 200}
EXTENSIONS = {"text_pdf": ".pdf", "scan_pdf": ".pdf", "tiff": ".tif", "docx": ".docx"}
SECRECY_MARKS = ("MẬT", "TỐI MẬT", "TUYỆT MẬT")
URGENCY_MARKS = ("KHẨN", "THƯỢNG KHẨN", "HỎA TỐC")
# Shares of files showing each irregularity (drawn per file from the seed).
SHARE = {"number_next_line": 0.15, "wrap_date": 0.2, "rewrap_subject": 0.3, "seal": 0.5,
         "mark": 0.12, "header_lines": 0.35, "upside_down": 0.12}  # fmt: skip
# The fields measured on the real set (bench/extraction.py --real, the tests).  The
# marks count where a document carries one (its own, or one a layout stamps).
REAL_FIELDS = ("number_symbol", "issue_date", "doc_type", "issuing_body", "signer_name", "subject",
               "urgency", "secrecy")  # fmt: skip
_NUMBER_KEY = re.compile(r"^(?P<key>S[ốố]\s*:?)\s*(?P<rest>\S.*)$")


@dataclass(frozen=True)
class Layout:
    """The irregularities one rendered file shows."""

    number_next_line: bool = False  # "Số:" alone, the number on the line under it
    wrap_date: bool = False  # place and date over two lines
    rewrap_subject: bool = False  # the subject re-wrapped to the column, not as printed
    seal: bool = False  # a red seal pressed over the signer's block
    mark: str | None = None  # a stamped secrecy or urgency mark the original lacks
    header_lines: bool = False  # DOCX: header typed as tabbed lines, not a table
    rotation: int = 0  # scans: 180 when fed upside down


def real_comparable(name: str, value: Any) -> str | None:
    """A field value as the real set compares it: NFC, one space; a subject also case-folded."""
    if value is None:
        return None
    text = " ".join(normalize_text(str(value)).split())
    return text.casefold() if name == "subject" else text


def load_real_documents(folder: Path) -> list[dict[str, Any]]:
    """Every ``*.json`` document under ``folder``, in id order."""
    paths = sorted(folder.glob("*.json"))
    return [json.loads(path.read_text(encoding="utf-8")) for path in paths]


def choose_layout(document: dict[str, Any], variant: str, seed: int) -> Layout:
    """The irregularities of ``document`` rendered as ``variant``, drawn from ``seed``."""
    rng = random.Random(f"{seed}/{document['id']}/{variant}")
    draws = {name: rng.random() < share for name, share in SHARE.items()}
    mark = None
    if draws["mark"]:
        truth = document["truth"]
        pool = [m for m in SECRECY_MARKS if not truth.get("secrecy")]
        pool += [m for m in URGENCY_MARKS if not truth.get("urgency")]
        mark = rng.choice(pool) if pool else None
    has_place_date = bool(document["print"].get("place_date"))
    return Layout(
        number_next_line=draws["number_next_line"] and bool(document["print"].get("number")),
        wrap_date=draws["wrap_date"] and has_place_date,
        rewrap_subject=draws["rewrap_subject"],
        seal=draws["seal"] and variant != "docx",
        mark=mark,
        header_lines=draws["header_lines"] and variant == "docx",
        rotation=180 if draws["upside_down"] and variant in VARIANT_DPI else 0,
    )


def true_metadata(document: dict[str, Any], chosen: Layout) -> dict[str, Any]:
    """The truth of ``document`` as rendered: absent fields left out, a stamped mark added."""
    metadata: dict[str, Any] = {"format": document["format"]}
    metadata.update({k: v for k, v in document["truth"].items() if v is not None})
    if chosen.mark:
        metadata["secrecy" if chosen.mark in SECRECY_MARKS else "urgency"] = chosen.mark
    return metadata


def _header(spec: DocumentSpec, printed: dict[str, Any], form: str) -> None:
    for line in printed.get("parent_body") or []:
        spec.header_left.append(Para(line, size=HEADER_SIZE, align="center"))
    for line in printed.get("issuing_body") or []:
        spec.header_left.append(Para(line, bold=True, size=HEADER_SIZE, align="center"))
    if form == "other":
        # An organisation with a header of its own (the Youth Union, the Pioneers): under
        # its issuing body the mark it prints ("***") or a rule; at the top right its own
        # name where the state prints its motto ("ĐOÀN TNCS HỒ CHÍ MINH"), or nothing
        # but the date when it heads the left column with it.
        mark = printed.get("separator")
        spec.header_left.append(Para(mark, bold=True, size=HEADER_SIZE, align="center")
                                if mark else Para("", rule=25))  # fmt: skip
        own = printed.get("header_right") or []
        for line in own:
            spec.header_right.append(Para(line, bold=True, size=HEADER_SIZE + 0.5,
                                          align="center"))  # fmt: skip
        if own:
            spec.header_right.append(Para("", rule=50))
    elif form == "party":
        spec.header_left.append(Para("*", bold=True, size=HEADER_SIZE, align="center"))
        spec.header_right.append(Para(PARTY_NAME, bold=True, size=HEADER_SIZE + 0.5,
                                      align="center"))  # fmt: skip
        spec.header_right.append(Para("", rule=60))
    else:
        spec.header_left.append(Para("", rule=25))
        spec.header_right.append(Para(MOTTO[0], bold=True, size=HEADER_SIZE, align="center"))
        spec.header_right.append(Para(MOTTO[1], bold=True, size=HEADER_SIZE + 0.5,
                                      align="center"))  # fmt: skip
        spec.header_right.append(Para("", rule=50))


def _number(printed: dict[str, Any], chosen: Layout) -> list[Para]:
    number = printed.get("number") or ""
    if not number:
        return []
    match = _NUMBER_KEY.match(number)
    if chosen.number_next_line and match:
        return [Para(match["key"], size=HEADER_SIZE, align="center", wrap=False),
                Para(match["rest"], size=HEADER_SIZE, align="center", wrap=False)]  # fmt: skip
    return [Para(number, size=HEADER_SIZE, align="center", wrap=False)]


def _date(printed: dict[str, Any], chosen: Layout, rng: random.Random) -> list[Para]:
    when = printed.get("place_date") or ""
    if not when:
        return []
    if chosen.wrap_date:
        place, comma, rest = when.partition(", ")
        head, _, year = when.rpartition(" năm ")
        if comma and rng.random() < 0.5:  # "Hà Nội," / "ngày 12 tháng 3 năm 2024"
            return [_date_line(place + ","), _date_line(rest)]
        if year:  # "Hà Nội, ngày 12 tháng 3" / "năm 2024"
            return [_date_line(head), _date_line(f"năm {year}")]
    return [_date_line(when)]


def _date_line(text: str) -> Para:
    return Para(text, italic=True, size=HEADER_SIZE, align="center")


def _subject(lines: list[str], chosen: Layout, *, size: float, bold: bool) -> list[Para]:
    if chosen.rewrap_subject:
        return [Para(" ".join(lines), bold=bold, size=size, align="center")]
    return [Para(line, bold=bold, size=size, align="center") for line in lines]


def _body_para(text: str) -> Para:
    stripped = text.strip()
    letters = [c for c in stripped if c.isalpha()]
    heading = bool(letters) and all(c.isupper() for c in letters) and len(stripped) < 60
    if heading:  # "QUYẾT ĐỊNH:", "Chương I", "QUYẾT NGHỊ:"
        return Para(stripped, bold=True, size=BODY_SIZE, align="center", space_before=2)
    italic = stripped.startswith(("Căn cứ", "Theo đề nghị", "Xét đề nghị", "Xét "))
    return Para(stripped, italic=italic, size=BODY_SIZE, indent=10, align="justify")


def real_spec(document: dict[str, Any], chosen: Layout, rng: random.Random) -> DocumentSpec:
    """The ``DocumentSpec`` printing ``document`` with the irregularities of ``chosen``."""
    printed = document["print"]
    spec = DocumentSpec(language="vi")
    _header(spec, printed, document["format"])
    spec.number_block += _number(printed, chosen)
    title = printed.get("title")
    subject = printed.get("subject") or []
    if not title and subject:
        # A công văn: the V/v subject under the number, wrapped to the narrow column.
        spec.number_block.append(Para(" ".join(subject), size=HEADER_SIZE - 0.5, align="center"))
    marks = list(printed.get("marks") or []) + ([chosen.mark] if chosen.mark else [])
    for mark in marks:
        spec.number_block.append(Para(mark, bold=True, size=HEADER_SIZE + 1, align="center",
                                      boxed=True, space_before=2))  # fmt: skip
    spec.date_block += _date(printed, chosen, rng)
    if title:
        spec.title.append(Para(title, bold=True, size=15, align="center", space_before=6))
        spec.title += _subject(subject, chosen, size=14, bold=True)
        spec.title.append(Para("", rule=40))
    to = printed.get("recipients_to") or []
    if len(to) == 1:
        spec.addressees.append(Para(f"Kính gửi: {to[0]}", size=BODY_SIZE, align="center",
                                    space_before=4))  # fmt: skip
    elif to:
        spec.addressees.append(Para("Kính gửi:", size=BODY_SIZE, space_before=4, indent=25))
        spec.addressees += [Para(f"- {line}", size=BODY_SIZE, indent=45) for line in to]
    spec.body = [_body_para(text) for text in printed.get("body") or [] if text.strip()]
    recipients = printed.get("recipients") or []
    if recipients:
        spec.recipients.append(Para("Nơi nhận:", bold=True, italic=True, size=12, space_before=6))
        spec.recipients += [Para(f"- {line}", size=11) for line in recipients]
    signature = printed.get("signature") or {}
    for i, line in enumerate(signature.get("lines") or []):
        spec.signature.append(Para(line, bold=True, size=13, align="center",
                                   space_before=6 if i == 0 else 0))  # fmt: skip
    if signature.get("name"):
        spec.signature.append(Para(signature["name"], bold=True, size=13.5, align="center",
                                   space_before=24))  # fmt: skip
    spec.appendix = [_body_para(text) for text in printed.get("appendix") or [] if text.strip()]
    spec.metadata = true_metadata(document, chosen)
    return spec


def _press_seal(pages: list[PageLayout], document: dict[str, Any]) -> None:
    """A seal over the left part of the signer's block, between the title and the name.

    As offices press it: over the left third of the block, across the
    handwritten signature and the title, its rim just above the typed name.
    """
    name = (document["print"].get("signature") or {}).get("name")
    if not name:
        return
    for page in reversed(pages):
        placed = [line for line in page.lines if line.text == name]
        if placed:
            line = placed[-1]
            ring = " ".join(document["print"].get("issuing_body") or []) or "CƠ QUAN"
            radius = 15.5
            page.seals.append(Seal(line.x + 5.0, line.y - 6.0 - radius, radius, ring))
            return


def _created(document: dict[str, Any]) -> datetime:
    issued = document["truth"].get("issue_date") or "2025-01-02"
    day = date.fromisoformat(issued)
    return datetime(day.year, day.month, day.day, 9, 0, 0)


def _scan_params(rng: random.Random, variant: str, rotation: int) -> ScanParams:
    skew = rng.uniform(0.3, 2.0) * rng.choice((-1, 1))
    if variant == "fax":  # fed through a fax: small skew, little grey noise, then dithered
        return ScanParams(skew / 2, rotation, rng.uniform(0.01, 0.03), 90)
    return ScanParams(skew, rotation, rng.uniform(0.02, 0.06), rng.randint(55, 85))


def render_real(document: dict[str, Any], variant: str, out_dir: Path, *, seed: int = 0) -> Path:
    """Write ``document`` as ``variant`` under ``out_dir/variant/``, its truth beside it."""
    chosen = choose_layout(document, variant, seed)
    rng = random.Random(f"{seed}/{document['id']}/{variant}/render")
    spec = real_spec(document, chosen, rng)
    pages = layout(spec)
    if chosen.seal:
        _press_seal(pages, document)
    kind = VARIANT_KIND[variant]
    folder = out_dir / variant
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{document['id']}{EXTENSIONS[kind]}"
    created = _created(document)
    scan = None
    if variant == "text_pdf":
        write_text_pdf(pages, path, title=None, created=created)
    elif variant == "docx":
        write_docx(spec, path, created=created, header_table=not chosen.header_lines)
    else:
        dpi = VARIANT_DPI[variant]
        scan = _scan_params(rng, variant, chosen.rotation)
        images = [degrade(render_page(page, dpi), scan, rng.randrange(2**32)) for page in pages]
        if variant == "fax":
            write_tiff(images, path, dpi, dither=True)
        else:
            write_scan_pdf(images, path, created, dpi)
    page_texts = [page.text for page in pages]
    truth = {
        "file": path.relative_to(out_dir).as_posix(),
        "direction": "incoming",
        "folder": "",
        "kind": kind,
        "language": "vi",
        "pages": len(pages),
        "scan": scan.as_truth() if scan else None,
        "text": "\n".join(page_texts),
        "page_texts": page_texts,
        "metadata": spec.metadata,
        "real": {
            "id": document["id"],
            "variant": variant,
            "source": document.get("source"),
            "layout": asdict(chosen),
        },  # fmt: skip
    }
    truth_path = path.with_name(path.name + TRUTH_SUFFIX)
    truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def render_real_set(
    documents: list[dict[str, Any]], out_dir: Path, variants: tuple[str, ...], *, seed: int = 0
) -> list[Path]:
    """Render every document in every variant of ``variants``; return the files."""
    return [render_real(document, variant, out_dir, seed=seed)
            for variant in variants for document in documents]  # fmt: skip


def render_real_copy(document: dict[str, Any], copy: int, out_dir: Path, *, seed: int = 0) -> Path:
    """Write ``document`` as a born-digital PDF with a line of its own (for volume).

    The copy is laid out like ``render_real``'s ``text_pdf`` variant, with a
    filing mark naming ``copy`` at the foot of its last page, so every copy
    has bytes and text of its own (none settles as a duplicate of another).
    Written as ``out_dir/incoming/<id>-<copy>.pdf``, without a truth file.
    """
    chosen = choose_layout(document, "text_pdf", seed)
    rng = random.Random(f"{seed}/{document['id']}/text_pdf/render")
    pages = layout(real_spec(document, chosen, rng))
    if chosen.seal:
        _press_seal(pages, document)
    mark = f"Lưu trữ: bản {copy:05d} của {document['id']}"
    pages[-1].lines.append(Placed(MARGIN_LEFT, PAGE_H - MARGIN_BOTTOM / 2, mark, "", 8.0))
    folder = out_dir / "incoming"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{document['id']}-{copy:05d}.pdf"
    partial = path.with_name(path.name + ".part")  # a file under its name is complete
    write_text_pdf(pages, partial, title=None, created=_created(document))
    partial.replace(path)
    return path
