"""The record of one document: what Docket knows and stores as JSON.

The JSON record in the object store is the source of truth; the register and
the search index can both be rebuilt from the records alone.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

Direction = Literal["incoming", "outgoing"]
DIRECTIONS: tuple[Direction, ...] = ("incoming", "outgoing")
# "manual": a person set the value (e.g. marking a document secret after registration).
FieldSource = Literal["text", "ocr", "docx", "filename", "manual"]
SECRECY_LEVELS: tuple[str, ...] = ("", "MẬT", "TỐI MẬT", "TUYỆT MẬT")
# The clearance that opens every document (TUYỆT MẬT): the command line's, run by
# the office's operator on the machine itself.
FULL_CLEARANCE = len(SECRECY_LEVELS) - 1


def secrecy_rank(mark: str | None) -> int:
    """0 for an open document, 1..3 for MẬT, TỐI MẬT, TUYỆT MẬT."""
    try:
        return SECRECY_LEVELS.index((mark or "").strip().upper())
    except ValueError:
        return 0

# The two register books: documents marked MẬT, TỐI MẬT or TUYỆT MẬT are
# registered and numbered apart from the ordinary ones (sổ đăng ký văn bản mật).
Book = Literal["ordinary", "secret"]
BOOKS: tuple[Book, ...] = ("ordinary", "secret")
# Appended to a secret book number so it is never read as an ordinary one:
# "12/2026" is the ordinary book's twelfth document of 2026, "12/2026-M"
# (M for mật) the secret book's.  Ordinary labels are unchanged from before
# the secret book existed, so labels already printed or stored stay valid.
SECRET_LABEL_SUFFIX = "-M"

# Names of the metadata fields the describer's field readers fill.  Every field is
# optional: a field that was not found is absent, never guessed.
METADATA_FIELDS = (
    "format",  # "state" | "party" | "other"
    "number_symbol",  # raw, e.g. "2284/QĐ-UBND", "78/2025/NQ-HĐND", "383-QĐ/TW"
    "number",  # "2284" (as written, padding kept)
    "number_year",  # "2025" when the symbol carries a year
    "type_abbr",  # "QĐ"
    "issuer_abbr",  # "UBND"
    "issue_place",  # "Lâm Đồng"
    "issue_date",  # ISO date "2025-11-25"
    "issuing_body",  # "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
    "parent_body",
    "doc_type",  # canonical Vietnamese name, e.g. "Quyết định", "Công văn"
    "title",  # title line as written (any language)
    "subject",  # trích yếu
    "signer_name",
    "signer_title",
    "signer_authority",  # "TM." | "KT." | "Q." | "TL." | "TUQ." | "T/M" | "K/T" | "T/L"
    "recipients_to",  # list: Kính gửi
    "recipients",  # list: Nơi nhận
    "secrecy",  # "MẬT" | "TỐI MẬT" | "TUYỆT MẬT"
    "urgency",  # "KHẨN" | "THƯỢNG KHẨN" | "HỎA TỐC"
    "circulation",  # "XEM XONG TRẢ LẠI" | "LƯU HÀNH NỘI BỘ"
    "references",  # list of cited number/symbols
    # A copy (bản sao) is described as its original; these say it is a copy and which.
    "copy_form",  # "Bản sao y" | "Bản trích sao" | "Bản sao lục"
    "copy_number_symbol",  # the copy's own number, e.g. "05/SY-VP"
    "copy_issuing_body",  # who made the copy, e.g. "VĂN PHÒNG"
    "copy_issue_date",  # ISO date of the copy
)


# Below this confidence a key field goes to review; ``Settings.review_confidence``
# (default: this) overrides it per office.  The one threshold: the review queue
# (ingest/review.py) and the real-document bench (bench/extraction.py --real,
# which prints the precision of the fields at or above it) both use it.  The
# describer's confidences are set against it (ingest/describe/__init__.py): a
# field read from a text layer or a DOCX keeps its rule's confidence (a signer
# without an authority line above the name, 0.63-0.68, is checked); a field
# read by OCR reaches it only when a form or a closed list checks it and every
# word it was read from read surely.  Here, not in kernel.settings: the sandbox's
# workers read it without importing the settings machinery.
REVIEW_CONFIDENCE = 0.7


class ExtractedField(BaseModel):
    """One metadata value with where it came from and how sure we are."""

    value: str | list[str]
    source: FieldSource
    confidence: float = Field(ge=0.0, le=1.0)


class PageInfo(BaseModel):
    """What was done to one page (1-based ``number``)."""

    number: int
    ocr: bool = False
    chars: int = 0
    language: str | None = None  # ISO 639-1 of the text, or Tesseract code used
    ocr_languages: str | None = None  # e.g. "vie+eng" when OCRed
    ocr_confidence: float | None = None  # mean word confidence 0..100
    rotation: int = 0  # degrees the page was rotated before OCR


class Extraction(BaseModel):
    """What the sandboxed identify/extract/describe stages return."""

    detected_type: str  # "pdf" | "docx" | "tiff" | "jpeg" | "png" | "text"
    mime: str
    page_count: int
    pages: list[PageInfo]
    text: str
    language: str | None = None
    metadata: dict[str, ExtractedField] = Field(default_factory=dict)

    @property
    def ocr_pages(self) -> list[int]:
        return [p.number for p in self.pages if p.ocr]


def book_for_secrecy(rank: int) -> Book:
    """The book a document of secrecy ``rank`` (0 open, 1..3 MẬT..TUYỆT MẬT) is numbered in."""
    return "secret" if rank > 0 else "ordinary"


def register_label(number: int, year: int, book: str = "ordinary") -> str:
    """``12/2026`` in the ordinary book, ``12/2026-M`` in the secret one."""
    suffix = SECRET_LABEL_SUFFIX if book == "secret" else ""
    return f"{number}/{year}{suffix}"


class Registration(BaseModel):
    """The number the register gave a document, in one of the two books."""

    year: int
    number: int
    registered_at: datetime
    book: Book = "ordinary"  # records written before the secret book are ordinary

    @property
    def label(self) -> str:
        return register_label(self.number, self.year, self.book)


class SecrecyChange(BaseModel):
    """A document marked or unmarked after registration, as its record keeps it.

    Moving between books gives a new number in the other book; the old one
    stays here (and is never given again), so the record tells its whole story.
    """

    at: datetime
    by: str
    reason: str
    old_secrecy: str  # "" for an open document, else "MẬT" | "TỐI MẬT" | "TUYỆT MẬT"
    new_secrecy: str
    old_registration: Registration
    new_registration: Registration


CorrectionAction = Literal["corrected", "confirmed"]


class FieldCorrection(BaseModel):
    """A person corrected one metadata field, or confirmed it as read.

    The first correction of a field keeps what the describer had read
    (``old_value``, ``old_source``, ``old_confidence``), so the original
    extraction stays in the record's history.  ``None`` values: no value.
    """

    at: datetime
    by: str
    field: str
    action: CorrectionAction
    old_value: str | None = None
    new_value: str | None = None
    old_source: FieldSource | None = None
    old_confidence: float | None = None


class DuplicateEvent(BaseModel):
    """The same bytes arrived again; recorded on the existing record."""

    original_name: str
    folder: str
    direction: Direction
    received_at: datetime


class DocumentRecord(BaseModel):
    """The JSON record of an archived, registered document."""

    schema_version: int = 1
    doc_id: str
    sha256: str
    size: int
    original_name: str
    direction: Direction
    folder: str = ""  # subfolder below incoming/ or outgoing/, e.g. "phong-noi-vu"
    detected_type: str
    mime: str
    page_count: int
    pages: list[PageInfo] = Field(default_factory=list)
    ocr_used: bool = False
    ocr_pages: list[int] = Field(default_factory=list)
    language: str | None = None
    received_at: datetime
    registration: Registration | None = None
    metadata: dict[str, ExtractedField] = Field(default_factory=dict)
    possible_duplicate_of: list[str] = Field(default_factory=list)
    duplicates_received: list[DuplicateEvent] = Field(default_factory=list)
    secrecy_changes: list[SecrecyChange] = Field(default_factory=list)  # oldest first
    corrections: list[FieldCorrection] = Field(default_factory=list)  # oldest first
    original_key: str
    text_key: str
    record_key: str

    def meta(self, name: str) -> str | None:
        """The value of a single-valued metadata field, or None."""
        field = self.metadata.get(name)
        if field is None or isinstance(field.value, list):
            return None
        return field.value

    def meta_list(self, name: str) -> list[str]:
        field = self.metadata.get(name)
        if field is None:
            return []
        return field.value if isinstance(field.value, list) else [field.value]

    @property
    def revision(self) -> int:
        """How many times people changed this record: a form compares it to refuse stale edits."""
        return len(self.corrections) + len(self.secrecy_changes)

    @property
    def issue_date(self) -> date | None:
        value = self.meta("issue_date")
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            return None


def doc_id_for(sha256: str) -> str:
    """Documents are content-addressed: the id is the start of the SHA-256."""
    return sha256[:16]


def original_key(sha256: str) -> str:
    return f"originals/{sha256[:2]}/{sha256}"


def text_key(sha256: str) -> str:
    return f"text/{sha256[:2]}/{sha256}.txt"


def record_key(doc_id: str) -> str:
    return f"records/{doc_id[:2]}/{doc_id}.json"
