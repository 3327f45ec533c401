"""Zone text from word boxes (OCR pages), per the ``ZONES`` fractions."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import median

from ingest.extract.base import ZONES, Word


def _lines(words: Sequence[Word]) -> list[list[Word]]:
    """Group words into lines: a word joins a line when its centre sits within it."""
    if not words:
        return []
    height = median(w.y1 - w.y0 for w in words) or 0.01
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.y0 + w.y1) / 2):
        centre = (word.y0 + word.y1) / 2
        if lines:
            last = lines[-1]
            last_centre = sum((w.y0 + w.y1) / 2 for w in last) / len(last)
            if abs(centre - last_centre) <= height / 2:
                last.append(word)
                continue
        lines.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def zone_text(words: Sequence[Word], box: tuple[float, float, float, float]) -> str:
    """The text of the words whose centre lies in ``box`` (fractions, origin top-left)."""
    x0, y0, x1, y1 = box
    inside = [w for w in words if x0 <= (w.x0 + w.x1) / 2 <= x1 and y0 <= (w.y0 + w.y1) / 2 <= y1]
    return "\n".join(" ".join(w.text for w in line) for line in _lines(inside))


def zones_from_words(words: Sequence[Word]) -> dict[str, str]:
    """Every zone in ``ZONES`` filled from ``words``; empty zones are left out."""
    zones = {name: zone_text(words, box) for name, box in ZONES.items()}
    return {name: text for name, text in zones.items() if text}
