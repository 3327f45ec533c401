"""Generate a folder of sample documents with their truth, and stage them into an inbox.

Layout on disk mirrors Docket's inbox: ``DIR/incoming/<folder>/<name>`` and
``DIR/outgoing/<name>``, each document with ``<name>.truth.json`` beside it.
The office is the provincial People's Committee of a province chosen by the
seed: what it issues is outgoing, everything else arrives as incoming.
"""

from __future__ import annotations

import json
import random
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ingest.samples.compose import Variant, compose_vietnamese, random_date
from ingest.samples.copies import add_copy_block, copy_date
from ingest.samples.doctypes import (
    LEGAL_TYPES,
    PARTY_TYPES,
    STATE_TYPES,
    DocType,
    legal_type,
    state_type,
)
from ingest.samples.docx_writer import write_docx
from ingest.samples.fast_pdf import write_fast_pdf
from ingest.samples.foreign import FOREIGN_LANGUAGES, compose_foreign
from ingest.samples.layout import PageLayout, layout
from ingest.samples.pdf_writer import write_text_pdf
from ingest.samples.scan import (
    ScanParams,
    degrade,
    render_page,
    write_jpeg,
    write_png,
    write_scan_pdf,
    write_tiff,
)
from ingest.samples.spec import DocumentSpec
from ingest.samples.vocabulary import (
    CENTRAL_BODIES,
    COMMUNES,
    NATIONAL_ASSEMBLY,
    PROVINCES,
    Body,
    commune_body,
    party_bodies,
    state_bodies,
)

TRUTH_SUFFIX = ".truth.json"
PROFILES = ("demo", "full", "bench", "legal")
INCOMING_FOLDERS = ("", "phong-hanh-chinh", "phong-kinh-te", "phong-noi-vu")
EXTENSIONS = {"text_pdf": ".pdf", "scan_pdf": ".pdf", "tiff": ".tif", "jpeg": ".jpg",
              "png": ".png", "docx": ".docx", "text": ".txt"}  # fmt: skip
OCR_KINDS = ("scan_pdf", "tiff", "jpeg", "png")
FULL_ROTATED_EVERY = 6  # full profile: every sixth scan is fed upside down
FOREIGN_SCANS = 3  # full profile: scanned letters per foreign language, the last upside down


@dataclass
class Job:
    """One document to write: what it says, as what, and where it goes."""

    spec: DocumentSpec
    kind: str
    direction: str
    folder: str
    name_hint: str
    scan: ScanParams | None = None
    pages_wanted: tuple[int, int] = (1, 99)
    fast: bool = False  # bench: the fast PDF writer instead of fpdf2


Writer = Callable[[Job, list[PageLayout], Path, random.Random], None]


def _created(job: Job) -> datetime:
    day = date.fromisoformat(job.spec.metadata.get("issue_date", "2025-01-02"))
    return datetime(day.year, day.month, day.day, 9, 0, 0)


def _write_text_pdf(job: Job, pages: list[PageLayout], path: Path, rng: random.Random) -> None:
    write = write_fast_pdf if job.fast else write_text_pdf
    write(pages, path, title=job.spec.metadata.get("subject"), created=_created(job))


def _scanned(job: Job, pages: list[PageLayout], rng: random.Random) -> list[Any]:
    assert job.scan is not None
    return [degrade(render_page(page), job.scan, rng.randrange(2**32)) for page in pages]


def _write_scan_pdf(job: Job, pages: list[PageLayout], path: Path, rng: random.Random) -> None:
    write_scan_pdf(_scanned(job, pages, rng), path, _created(job))


def _write_tiff(job: Job, pages: list[PageLayout], path: Path, rng: random.Random) -> None:
    write_tiff(_scanned(job, pages, rng), path)


def _write_jpeg(job: Job, pages: list[PageLayout], path: Path, rng: random.Random) -> None:
    assert job.scan is not None
    write_jpeg(_scanned(job, pages, rng)[0], path, job.scan.jpeg_quality)


def _write_png(job: Job, pages: list[PageLayout], path: Path, rng: random.Random) -> None:
    write_png(_scanned(job, pages, rng)[0], path)


def _write_docx(job: Job, pages: list[PageLayout], path: Path, rng: random.Random) -> None:
    write_docx(job.spec, path, created=_created(job))


def _write_text(job: Job, pages: list[PageLayout], path: Path, rng: random.Random) -> None:
    path.write_text(_full_text(pages) + "\n", encoding="utf-8")


WRITERS: dict[str, Writer] = {
    "text_pdf": _write_text_pdf,
    "scan_pdf": _write_scan_pdf,
    "tiff": _write_tiff,
    "jpeg": _write_jpeg,
    "png": _write_png,
    "docx": _write_docx,
    "text": _write_text,
}


def _full_text(pages: list[PageLayout]) -> str:
    return "\n".join(page.text for page in pages)


class _Office:
    """The seed's province: its bodies, its correspondents and their running numbers."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.province = rng.choice(PROVINCES)
        local = state_bodies(self.province)
        self.own = [local[0], local[-1]]  # UBND tỉnh and its Văn phòng: outgoing
        self.council = local[1]
        communes = rng.sample(COMMUNES, 3)
        self.incoming_state = [*local[2:-1], *CENTRAL_BODIES[1:],
                               *(commune_body(self.province, c) for c in communes)]  # fmt: skip
        self.government = CENTRAL_BODIES[0]
        self.finance = CENTRAL_BODIES[3]
        self.finance_department = local[3]
        self.party = party_bodies(self.province, communes[0])

    def legal_body(self, doc_type: DocType) -> Body:
        """Who issues a legal-normative type: HĐND, UBND, Chính phủ, a ministry, Quốc hội."""
        return {"Nghị quyết": self.council, "Quyết định": self.own[0],
                "Nghị định": self.government, "Thông tư": self.finance,
                "Luật": NATIONAL_ASSEMBLY}[doc_type.name]  # fmt: skip

    def number(self, body: Body, day: date) -> int:
        rate = 0.6 if body.party else 8.0 if body.abbr in ("UBND", "VPCP", "BNV") else 2.5
        if body.lines[0].endswith(("XÃ", "PHƯỜNG")) or "XÃ" in body.lines[-1]:
            rate = 0.5
        doy = day.timetuple().tm_yday
        return max(1, int(doy * rate * self.rng.uniform(0.85, 1.1)))

    def job(
        self,
        doc_type: DocType,
        body: Body,
        kind: str,
        variant: Variant | None = None,
        *,
        pages: tuple[int, int] = (1, 3),
    ) -> Job:
        variant = variant or Variant()
        day = random_date(self.rng)
        # Legal-normative documents are numbered in their own, shorter series.
        number = self.rng.randint(1, 90) if doc_type.legal else self.number(body, day)
        if variant.padded:
            number = self.rng.randint(100, 999)
        spec = compose_vietnamese(self.rng, doc_type, body, variant, issue_date=day, number=number)
        outgoing = body in self.own
        folder = "" if outgoing else self.rng.choice(INCOMING_FOLDERS)
        scan = self.scan_params() if kind in OCR_KINDS else None
        return Job(spec, kind, "outgoing" if outgoing else "incoming", folder,
                   spec.metadata["number_symbol"], scan, pages)  # fmt: skip

    def copy_job(self, job: Job, form: str, copier: Body) -> Job:
        """``job``'s document turned into a copy of ``form`` made by ``copier``."""
        day = copy_date(self.rng, date.fromisoformat(job.spec.metadata["issue_date"]))
        add_copy_block(job.spec, self.rng, form, copier, number=self.rng.randint(1, 60), day=day)
        outgoing = copier in self.own  # the copy travels as the copier's document
        job.direction = "outgoing" if outgoing else "incoming"
        job.folder = "" if outgoing else self.rng.choice(INCOMING_FOLDERS)
        job.name_hint = job.spec.metadata["copy_number_symbol"]
        return job

    def scan_params(self, rotation: int = 0) -> ScanParams:
        skew = self.rng.uniform(0.5, 2.0) * self.rng.choice((-1, 1))
        return ScanParams(skew, rotation, self.rng.uniform(0.02, 0.06), self.rng.randint(55, 85))

    def any_state_body(self) -> Body:
        return self.rng.choice([*self.own, *self.incoming_state])


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.replace("Đ", "D").replace("đ", "d"))
    ascii_text = ascii_text.encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "-" for c in ascii_text).strip("-")


# Variants every demo run shows at least once, on born-digital documents.
TRICKY: tuple[Variant, ...] = (
    Variant(number_style="no_colon"),
    Variant(number_style="no_space"),
    Variant(padded=True),
    Variant(wrap_date=True),
    Variant(no_comma=True),
    Variant(khan_title=True),
    Variant(urgency="KHẨN"),
    Variant(urgency="HỎA TỐC", secrecy="MẬT"),
    Variant(urgency="THƯỢNG KHẨN"),
    Variant(secrecy="TỐI MẬT", circulation="XEM XONG TRẢ LẠI"),
    Variant(circulation="LƯU HÀNH NỘI BỘ"),
)


def _demo_jobs(office: _Office) -> list[Job]:
    rng = office.rng
    jobs: list[Job] = []
    common = ["Quyết định", "Công văn", "Kế hoạch", "Báo cáo", "Tờ trình", "Thông báo",
              "Giấy mời", "Công điện", "Chỉ thị", "Hướng dẫn"]  # fmt: skip
    for i, variant in enumerate(TRICKY):
        doc_type = state_type("Công điện" if variant.khan_title else common[i % len(common)])
        jobs.append(office.job(doc_type, office.any_state_body(), "text_pdf", variant))
    jobs.append(office.job(LEGAL_TYPES[0], office.council, "text_pdf", Variant()))
    jobs.append(office.job(LEGAL_TYPES[2], office.government, "text_pdf", Variant()))
    jobs.append(office.job(LEGAL_TYPES[1], office.own[0], "docx", Variant()))
    for name in ("Quy định", "Quyết định", "Kết luận", "Công văn", "Thông tri", "Quy trình"):
        doc_type = next(t for t in PARTY_TYPES if t.name == name)
        kind = "docx" if name in ("Kết luận", "Quy trình") else "text_pdf"
        jobs.append(office.job(doc_type, rng.choice(office.party), kind, Variant()))
    for name in common[:6]:
        jobs.append(office.job(state_type(name), office.any_state_body(), "docx", Variant(),
                               pages=(1, 3)))  # fmt: skip
    scans = [
        ("Quyết định", Variant(paragraphs=2)),
        ("Công văn", Variant(urgency="KHẨN", paragraphs=2)),
        ("Thông báo", Variant(paragraphs=1)),
        ("Giấy mời", Variant(paragraphs=1)),
        ("Báo cáo", Variant(paragraphs=1, secrecy="MẬT")),
        ("Công văn", Variant(paragraphs=2)),
    ]
    for i, (name, variant) in enumerate(scans):
        body = office.any_state_body()
        job = office.job(state_type(name), body, "scan_pdf", variant, pages=(1, 1))
        if i == 2:
            job.scan = office.scan_params(rotation=180)
        jobs.append(job)
    jobs.append(office.job(state_type("Báo cáo"), office.any_state_body(), "tiff",
                           Variant(paragraphs=7), pages=(2, 3)))  # fmt: skip
    for kind, name in (("jpeg", "Giấy mời"), ("jpeg", "Công văn"), ("png", "Thông báo")):
        jobs.append(office.job(state_type(name), office.any_state_body(), kind,
                               Variant(paragraphs=1), pages=(1, 1)))  # fmt: skip
    for lang in FOREIGN_LANGUAGES:
        kind = "docx" if lang == "fr" else "text_pdf"
        jobs.append(Job(compose_foreign(rng, lang), kind, "incoming", "", f"letter-{lang}"))
    for name in ("Công văn", "Thông báo"):
        jobs.append(office.job(state_type(name), office.any_state_body(), "text", Variant(),
                               pages=(1, 2)))  # fmt: skip
    return jobs


def _full_jobs(office: _Office) -> list[Job]:
    jobs: list[Job] = []
    typed: list[tuple[DocType, Body]] = [(t, office.any_state_body()) for t in STATE_TYPES]
    typed += [
        (LEGAL_TYPES[0], office.council),
        (LEGAL_TYPES[1], office.own[0]),
        (LEGAL_TYPES[2], office.government),
        (LEGAL_TYPES[3], CENTRAL_BODIES[2]),
    ]
    typed += [(t, office.rng.choice(office.party)) for t in PARTY_TYPES]
    for index, (doc_type, body) in enumerate(typed):
        for kind in ("text_pdf", "scan_pdf", "docx"):
            pages = (1, 1) if kind == "scan_pdf" else (1, 3)
            variant = Variant(paragraphs=1 if kind == "scan_pdf" else 3)
            job = office.job(doc_type, body, kind, variant, pages=pages)
            if job.scan is not None and index % FULL_ROTATED_EVERY == FULL_ROTATED_EVERY - 1:
                job.scan = replace(job.scan, rotation=180)  # fed upside down
            jobs.append(job)
    # Letters from abroad, scanned: OCR must pick their language by itself.
    for lang in FOREIGN_LANGUAGES:
        for copy in range(FOREIGN_SCANS):
            scan = office.scan_params(rotation=180 if copy == FOREIGN_SCANS - 1 else 0)
            spec = compose_foreign(office.rng, lang, longer=True)
            jobs.append(Job(spec, "scan_pdf", "incoming", "", f"letter-{lang}", scan, (1, 1)))
    # Last, so that the documents above stay the same as before these were added.
    return jobs + _legal_jobs(office, first_index=len(typed))


# Laws and a ministry's circular beside the Decree 30 types, and the three copy
# forms: (form or None, type, issuer, copier).  Each in every form of file.
def _legal_plan(office: _Office) -> list[tuple[str | None, DocType, Body, Body | None]]:
    return [
        (None, legal_type("Luật"), NATIONAL_ASSEMBLY, None),
        (None, legal_type("Thông tư"), office.finance, None),
        ("SY", state_type("Quyết định"), office.own[0], office.own[-1]),  # 05/SY-VP
        ("TrS", legal_type("Nghị định"), office.government, office.own[0]),  # 12/TrS-UBND
        ("SL", legal_type("Thông tư"), office.finance, office.finance_department),  # SL-STC
    ]


def _legal_jobs(office: _Office, first_index: int = 0) -> list[Job]:
    """Legal-normative documents and copies as text PDF, scanned PDF and DOCX."""
    jobs: list[Job] = []
    for index, (form, doc_type, body, copier) in enumerate(_legal_plan(office), first_index):
        for kind in ("text_pdf", "scan_pdf", "docx"):
            pages = (1, 1) if kind == "scan_pdf" else (1, 3)
            # A trích sao copies part of the original: its body is the shortest.
            paragraphs = 1 if kind == "scan_pdf" or form == "TrS" else 3
            job = office.job(doc_type, body, kind, Variant(paragraphs=paragraphs), pages=pages)
            if form is not None and copier is not None:
                job = office.copy_job(job, form, copier)
            if job.scan is not None and index % FULL_ROTATED_EVERY == FULL_ROTATED_EVERY - 1:
                job.scan = replace(job.scan, rotation=180)  # fed upside down
            jobs.append(job)
    return jobs


def _bench_jobs(office: _Office, born_digital: int, scanned_pages: int) -> list[Job]:
    jobs: list[Job] = []
    types = [*STATE_TYPES, *LEGAL_TYPES]
    for i in range(born_digital):
        doc_type, body = (office.rng.choice(types), office.any_state_body())
        if i % 5 == 4:
            doc_type, body = office.rng.choice(PARTY_TYPES), office.rng.choice(office.party)
        if doc_type.legal:
            body = office.legal_body(doc_type)
        kind = "docx" if i % 5 == 2 else "text_pdf"  # DOCX is the slow one to write
        variant = Variant(paragraphs=office.rng.randint(2, 6))
        job = office.job(doc_type, body, kind, variant)
        job.fast = True
        jobs.append(job)
    for _ in range(scanned_pages):
        jobs.append(office.job(office.rng.choice(STATE_TYPES), office.any_state_body(), "scan_pdf",
                               Variant(paragraphs=1), pages=(1, 1)))  # fmt: skip
    return jobs


def _fit(job: Job) -> list[PageLayout]:
    """Lay the job out, trimming or growing the body until the page count is as wanted."""
    low, high = job.pages_wanted
    pages = layout(job.spec)
    while len(pages) > high and len(job.spec.body) > 2:
        del job.spec.body[-2]  # keep the closing paragraph
        pages = layout(job.spec)
    while len(pages) < low:
        job.spec.body.insert(-1, job.spec.body[-2])
        pages = layout(job.spec)
    references = job.spec.metadata.get("references")
    if references:  # trimming may have cut a citing paragraph: the truth is what is printed
        printed = _full_text(pages)
        kept = [symbol for symbol in references if symbol in printed]
        if kept:
            job.spec.metadata["references"] = kept
        else:
            del job.spec.metadata["references"]
    return pages


def _truth(job: Job, relative: str, pages: list[PageLayout]) -> dict[str, Any]:
    page_texts = [page.text for page in pages]
    return {
        "file": relative,
        "direction": job.direction,
        "folder": job.folder,
        "kind": job.kind,
        "language": job.spec.language,
        "pages": len(pages),
        "scan": job.scan.as_truth() if job.scan else None,
        "text": "\n".join(page_texts),
        "page_texts": page_texts,
        "metadata": job.spec.metadata,
    }


def plan_jobs(
    profile: str,
    *,
    seed: int = 0,
    born_digital: int | None = None,
    scanned_pages: int | None = None,
) -> list[Job]:
    """The documents ``generate_samples`` would write, composed but not yet laid out."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    office = _Office(random.Random(seed))
    if profile == "demo":
        jobs = _demo_jobs(office)
    elif profile == "full":
        jobs = _full_jobs(office)
    elif profile == "legal":
        jobs = _legal_jobs(office)
    else:
        jobs = _bench_jobs(office, 1000 if born_digital is None else born_digital,
                           20 if scanned_pages is None else scanned_pages)  # fmt: skip
    if profile != "bench" and (born_digital or scanned_pages):
        jobs += _bench_jobs(office, born_digital or 0, scanned_pages or 0)
    return jobs


def generate_samples(
    out_dir: Path,
    *,
    seed: int = 0,
    profile: str = "demo",
    born_digital: int | None = None,
    scanned_pages: int | None = None,
) -> list[Path]:
    """Write sample documents and their truth files under ``out_dir``; return the documents.

    ``profile`` is "demo" (about 45 mixed files, at most 15 OCR pages), "full"
    (every document type as text PDF, scanned PDF and DOCX, every sixth scan
    upside down, plus scanned letters in each foreign language, laws, circulars
    and the three copy forms), "legal" (only those laws, circulars and copies)
    or "bench" (many born-digital documents, fast).  ``born_digital`` and ``scanned_pages``
    override the bench counts (and add to the other profiles).  The same seed
    gives the same files.
    """
    jobs = plan_jobs(profile, seed=seed, born_digital=born_digital, scanned_pages=scanned_pages)
    written: list[Path] = []
    for index, job in enumerate(jobs, start=1):
        written.append(_write_job(out_dir, index, job, random.Random(f"{seed}/{index}")))
    return written


def _write_job(out_dir: Path, index: int, job: Job, rng: random.Random) -> Path:
    pages = _fit(job)
    stem = f"scan_{index:04d}" if job.kind in OCR_KINDS and index % 2 else (
        f"{index:04d}_{_slug(job.name_hint)}")  # fmt: skip
    folder = out_dir / job.direction / job.folder if job.folder else out_dir / job.direction
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}{EXTENSIONS[job.kind]}"
    WRITERS[job.kind](job, pages, path, rng)
    relative = path.relative_to(out_dir).as_posix()
    truth = _truth(job, relative, pages)
    truth_path = path.with_name(path.name + TRUTH_SUFFIX)
    truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def load_truth(document: Path) -> dict[str, Any]:
    """The truth written beside ``document`` by ``generate_samples``."""
    truth_path = document.with_name(document.name + TRUTH_SUFFIX)
    return json.loads(truth_path.read_text(encoding="utf-8"))


def stage_into_inbox(samples_dir: Path, inbox: Path) -> int:
    """Copy the documents (not their truth) into ``inbox``, keeping the direction tree."""
    count = 0
    for path in sorted(samples_dir.rglob("*")):
        if not path.is_file() or path.name.endswith(TRUTH_SUFFIX):
            continue
        relative = path.relative_to(samples_dir)
        if relative.parts[0] not in ("incoming", "outgoing"):
            continue
        target = inbox / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        count += 1
    return count
