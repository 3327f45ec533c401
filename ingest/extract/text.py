"""Plain text files: decoded whole, one page."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from ingest.extract.base import (
    DetectedType,
    ExtractedContent,
    ExtractLimits,
    OcrEngine,
    PageContent,
)
from ingest.language import detect_language
from kernel.errors import PermanentError, QuarantineReason
from kernel.model import PageInfo

SNIFF_BYTES = 64 * 1024  # what the encoding is judged on
# Text must be mostly printable; a few stray control characters are tolerated.
MIN_PRINTABLE_RATIO = 0.97
# Control characters, surrogates and unassigned code points are not text;
# format characters (BOM, zero-width joiners) and private use are tolerated.
_NOT_TEXT = frozenset({"Cc", "Cs", "Cn"})
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


# Single-byte encodings read when a file is not UTF-8, in order of preference:
# Vietnamese Windows (letters precomposed, tone marks as combining characters),
# then Western Windows and Latin-1.  TCVN3 and VNI have no codec here: such a
# file reads as Western text with wrong letters, not as binary.
LEGACY_ENCODINGS = ("cp1258", "cp1252", "latin_1")
IANA_NAMES = {"cp1258": "windows-1258", "cp1252": "windows-1252", "latin_1": "iso-8859-1"}
READABLE_ENCODINGS = "UTF-8, UTF-16, Windows-1258, Windows-1252, Latin-1"


def text_encoding(head: bytes, truncated: bool = False) -> tuple[str, int] | None:
    """The encoding of a text file and the length of its byte-order mark.

    A byte-order mark, else UTF-8 when the bytes are valid UTF-8, else the
    legacy encoding ``charset-normalizer`` finds most coherent; None when
    none fits.
    """
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding, len(bom)
    try:
        # final=False tolerates a character cut in half at the end of the sniff.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=not truncated)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8", 0
    from charset_normalizer import from_bytes  # only for files that are not UTF-8

    best = from_bytes(head, cp_isolation=list(LEGACY_ENCODINGS)).best()
    return (best.encoding, 0) if best is not None and best.encoding in IANA_NAMES else None


def sniff_text(head: bytes, truncated: bool = False) -> str | None:
    """The encoding of ``head`` when it is mostly printable text, else None."""
    found = text_encoding(head, truncated)
    if found is None:
        return None
    encoding, skip = found
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        text = decoder.decode(head[skip:], final=not truncated)
    except UnicodeDecodeError:
        return None
    if not text or "\0" in text:
        return None
    printable = sum(
        1 for ch in text if ch in "\t\n\r\f" or unicodedata.category(ch) not in _NOT_TEXT
    )
    return encoding if printable / len(text) >= MIN_PRINTABLE_RATIO else None


def looks_like_text(head: bytes, truncated: bool = False) -> bool:
    """True for mostly printable text in UTF-8, UTF-16 (with a BOM) or a legacy encoding."""
    return sniff_text(head, truncated) is not None


def text_mime(encoding: str) -> str:
    """``text/plain``, naming the charset when it is not Unicode."""
    return f"text/plain; charset={IANA_NAMES[encoding]}" if encoding in IANA_NAMES else "text/plain"


class TextExtractor:
    """Extractor for UTF-8 / UTF-16 (with BOM) text, and the legacy encodings."""

    def extract(
        self, path: Path, detected: DetectedType, limits: ExtractLimits, ocr: OcrEngine
    ) -> ExtractedContent:
        """Decode the file; invalid bytes past the identified head make it corrupt."""
        data = path.read_bytes()
        found = text_encoding(data[:SNIFF_BYTES], truncated=len(data) > SNIFF_BYTES)
        if found is None:
            raise PermanentError(QuarantineReason.UNSUPPORTED,
                                 f"not text in any encoding Docket reads ({READABLE_ENCODINGS})")
        encoding, skip = found
        try:
            text = data[skip:].decode(encoding)
        except UnicodeDecodeError as exc:
            raise PermanentError(
                QuarantineReason.CORRUPT, f"text is not valid {encoding}: {exc}"
            ) from exc
        if encoding in IANA_NAMES:
            # Windows-1258 writes tone marks apart: one form, as search expects.
            text = unicodedata.normalize("NFC", text)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            raise PermanentError(QuarantineReason.EMPTY, "text file holds only whitespace")
        info = PageInfo(number=1, chars=len(text), language=detect_language(text))
        page = PageContent(info=info, text=text, source="text")
        return ExtractedContent(detected_type=detected.kind, mime=detected.mime, pages=[page])
