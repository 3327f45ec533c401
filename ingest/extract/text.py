"""Plain text files: decoded whole, one page."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from ingest.errors import PermanentError, QuarantineReason
from ingest.extract.base import DetectedType, ExtractedContent, ExtractLimits, PageContent
from ingest.language import detect_language
from ingest.model import PageInfo

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


def text_encoding(head: bytes) -> tuple[str, int]:
    """The encoding of a text file and the length of its byte-order mark."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding, len(bom)
    return "utf-8", 0


def looks_like_text(head: bytes, truncated: bool = False) -> bool:
    """True for valid UTF-8 (or UTF-16 with a BOM) that is mostly printable."""
    encoding, skip = text_encoding(head)
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        # final=False tolerates a character cut in half at the end of the sniff.
        text = decoder.decode(head[skip:], final=not truncated)
    except UnicodeDecodeError:
        return False
    if not text or "\0" in text:
        return False
    printable = sum(
        1 for ch in text if ch in "\t\n\r\f" or unicodedata.category(ch) not in _NOT_TEXT
    )
    return printable / len(text) >= MIN_PRINTABLE_RATIO


class TextExtractor:
    """Extractor for UTF-8 / UTF-16 (with BOM) text."""

    kinds: tuple[str, ...] = ("text",)

    def extract(
        self, path: Path, detected: DetectedType, limits: ExtractLimits
    ) -> ExtractedContent:
        """Decode the file; invalid bytes past the identified head make it corrupt."""
        data = path.read_bytes()
        encoding, skip = text_encoding(data[:4])
        try:
            text = data[skip:].decode(encoding)
        except UnicodeDecodeError as exc:
            raise PermanentError(
                QuarantineReason.CORRUPT, f"text is not valid {encoding}: {exc}"
            ) from exc
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            raise PermanentError(QuarantineReason.EMPTY, "text file holds only whitespace")
        info = PageInfo(number=1, chars=len(text), language=detect_language(text))
        page = PageContent(info=info, text=text, source="text")
        return ExtractedContent(detected_type=detected.kind, mime=detected.mime, pages=[page])
