"""The slice of a document the field readers look at, normalised once.

Field readers read the header (first page: its zones and first lines) and the
tail (last page: its lower zones and last lines); only ``references`` scans
the whole text.  On a copy (bản sao) the copy reader runs before any
tail is read and sets ``original_end``: the tail is then the original's end,
above the copy's own block, and the lower zones (which hold both) are cut there.
Everything is normalised here, once, so each reader matches against the
same lines and the folded twins of those lines.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Literal

from ingest.extract.base import ExtractedContent, PageContent
from kernel.model import FieldSource
from kernel.text import clean_line, normalize_text, strip_marks

HEAD_LINES = 60
TAIL_LINES = 40

Region = Literal["head", "tail", "body"]


@dataclass(frozen=True)
class Lines:
    """Normalised non-empty lines with their folded twins (same lengths)."""

    text: tuple[str, ...]
    folded: tuple[str, ...]

    @classmethod
    def of(cls, raw: str) -> Lines:
        """The lines of ``raw``; the same text twice (a page's tail, its lower zone: read
        by the context and again by the signature reader) is normalised once."""
        return _lines_of(raw)

    def __len__(self) -> int:
        return len(self.text)

    def __bool__(self) -> bool:
        return bool(self.text)


@lru_cache(maxsize=32)
def _lines_of(raw: str) -> Lines:
    cleaned = (clean_line(line) for line in normalize_text(raw).splitlines())
    text = tuple(line for line in cleaned if line)
    if not text:
        return Lines((), ())
    # One strip_marks over the block: it keeps lengths, so the lines split back alike.
    return Lines(text, tuple(strip_marks("\n".join(text)).split("\n")))


@dataclass(frozen=True)
class Found:
    """A value one field reader found, before it becomes an ``ExtractedField``."""

    value: str | list[str]
    confidence: float  # how sure the rule is, before the source is weighed in
    region: Region = "head"
    # False when no list checked a value OCR read: a body naming a place the
    # gazetteer does not spell so (ingest/describe/__init__.py weighs it in).
    listed: bool = True


@dataclass
class DescribeContext:
    """One document as the describer sees it; ``found`` fills as the readers run."""

    content: ExtractedContent
    found: dict[str, Found] = field(default_factory=dict)
    # The original's end on a copy: its last lines above the copy block, and
    # its lower zones cut above the block (a zone absent: nothing of the original).
    original_end: str | None = None
    original_zones: dict[str, str] = field(default_factory=dict)

    @property
    def first(self) -> PageContent | None:
        return self.content.pages[0] if self.content.pages else None

    @property
    def last(self) -> PageContent | None:
        return self.content.pages[-1] if self.content.pages else None

    def source(self, region: Region) -> FieldSource:
        page = self.last if region == "tail" else self.first
        return page.source if page is not None else "text"

    @cached_property
    def head(self) -> Lines:
        """The first lines of the first page."""
        if self.first is None:
            return Lines((), ())
        return Lines.of("\n".join(self.first.text.splitlines()[:HEAD_LINES]))

    @cached_property
    def tail(self) -> Lines:
        """The last lines of the last page."""
        if self.original_end is not None:
            return Lines.of("\n".join(self.original_end.splitlines()[-TAIL_LINES:]))
        if self.last is None:
            return Lines((), ())
        return Lines.of("\n".join(self.last.text.splitlines()[-TAIL_LINES:]))

    def zone(self, name: str) -> Lines:
        """A header zone of the first page or a lower zone of the last page."""
        if self.original_end is not None and name.startswith("lower_"):
            # A copy's lower zones hold the original's end and the copy's block.
            return Lines.of(self.original_zones.get(name, ""))
        return self._zones.get(name, Lines((), ()))

    @cached_property
    def _zones(self) -> dict[str, Lines]:
        zones: dict[str, Lines] = {}
        if self.first is not None:
            for name in ("header_left", "header_right"):
                if self.first.zones.get(name, "").strip():
                    zones[name] = Lines.of(self.first.zones[name])
        if self.last is not None:
            for name in ("lower_left", "lower_right"):
                if self.last.zones.get(name, "").strip():
                    zones[name] = Lines.of(self.last.zones[name])
        return zones

    @cached_property
    def body_text(self) -> str:
        """The whole text in NFC (citations carry no tone marks to unify)."""
        return unicodedata.normalize("NFC", self.content.text)

    @cached_property
    def normalized_text(self) -> str:
        """The whole text normalised as the lines are (NFC, tone marks placed alike)."""
        return normalize_text(self.content.text)

    def value(self, name: str) -> str | None:
        """A single value found earlier in this run, or None."""
        found = self.found.get(name)
        if found is None or isinstance(found.value, list):
            return None
        return found.value
