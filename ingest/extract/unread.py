"""Print Tesseract's layout analysis left unread, found and read on its own.

Tesseract's page layout (``--psm 3``) sometimes takes a line standing alone
in a wide white area for an image and drops it: on real 300 dpi scans, the
signer's name below the signature space (``Nguyễn Sỹ Hiệp``), or a name
beside a seal's rim.  Nothing else in its output shows the loss.  Here the
page is looked at again with every word Tesseract read blanked out: rows of
ink left the height of a line of print (not a rule, not a signature's or a
seal's stroke, not scattered specks; on a grey page, dark as print is, not
grey as a seal's ink) are print it did not read, and the page holding
only those rows is read once more, as sparse text (``--psm 11``).  What
that reading vouches for (``MIN_CONFIDENCE``) joins the page's words, in a
block of its own after the others.  A page Tesseract read whole costs a few
milliseconds of numpy and no second pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from statistics import median

import numpy as np
from PIL import Image

from ingest.binarize import otsu_threshold
from ingest.extract.tesseract import Tesseract, TsvWord

# A word of the second reading is kept from this confidence (specks, a seal's
# rim letters and a signature's strokes read as words come back lower).
MIN_CONFIDENCE = 60.0
# Rows of left ink make a line of print when they run this high, in the
# page's median word heights (a rule is a few pixels; a stroke of a
# signature or a seal's ring runs higher than three lines)...
LINE_HEIGHT = (0.6, 2.5)
# ...and their ink spans this wide, in median word heights (a word or more).
LINE_WIDTH = 3.0
# A row holds ink of print when this share of its pixels is ink (specks are
# scattered: each row of a noisy page holds a few).
ROW_INK = 0.004
# On a grey page, print is dark: at least this share of a line's ink lies below
# half the binarization threshold.  A seal's ink, grey on a grey scan, lies
# about the threshold (median 128 of 255 where print's is 15-35, on real 300 dpi
# scans): reading it again finds nothing but costs a Tesseract pass.
DARK_SHARE = 0.6
MARGIN = 4  # pixels blanked around each word read (its box is tight)
BLOCK = 10_000  # block number of the words read again: after Tesseract's own

Band = tuple[int, int]  # rows top (inclusive) to bottom (exclusive)


def unread_lines(image: Image.Image, words: Sequence[TsvWord],
                 gray: Image.Image | None = None) -> list[Band]:  # fmt: skip
    """Rows (top, bottom) of ``image`` holding print no word of ``words`` covers.

    ``gray``: the page before it was binarized into ``image`` (same size), whose
    light ink (a seal's) is no print.
    """
    if not words:
        return []
    ink = np.asarray(image.convert("L")) < 128
    height, width = ink.shape
    left = ink.copy()
    for word in words:
        left[max(0, word.top - MARGIN) : word.top + word.height + MARGIN,
             max(0, word.left - MARGIN) : word.left + word.width + MARGIN] = False  # fmt: skip
    line = median(word.height for word in words)
    rows = left.sum(axis=1) >= max(3, ROW_INK * width)
    found = []
    for top, bottom in _runs(rows):
        if not LINE_HEIGHT[0] * line <= bottom - top <= LINE_HEIGHT[1] * line:
            continue
        columns = np.flatnonzero(left[top:bottom].any(axis=0))
        if columns.size and columns[-1] - columns[0] >= LINE_WIDTH * line:
            found.append((top, bottom))
    if gray is not None and found:
        found = _dark(found, left, np.asarray(gray.convert("L")))
    return found


def _dark(bands: list[Band], left: np.ndarray, gray: np.ndarray) -> list[Band]:
    """The bands whose ink left unread is mostly dark on the grey page."""
    dark = otsu_threshold(np.bincount(gray.ravel(), minlength=256).tolist()) / 2
    kept = []
    for top, bottom in bands:
        values = gray[top:bottom][left[top:bottom]]
        if values.size and np.mean(values <= dark) >= DARK_SHARE:
            kept.append((top, bottom))
    return kept


def _runs(rows: np.ndarray) -> list[Band]:
    """The (start, end) of each run of True in ``rows``."""
    edges = np.diff(np.concatenate(([0], rows.astype(np.int8), [0])))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True))


def read_unread(tesseract: Tesseract, image: Image.Image, words: Sequence[TsvWord],
                languages: str, dpi: int | None,
                gray: Image.Image | None = None) -> list[TsvWord]:  # fmt: skip
    """The words of the print ``words`` left unread on ``image``, read on their own.

    ``gray``: the page before binarizing (see ``unread_lines``).
    """
    bands = unread_lines(image, words, gray)
    if not bands:
        return []
    pixels = np.asarray(image.convert("L"))
    only = np.full_like(pixels, 255)
    for top, bottom in bands:
        pad = (bottom - top) // 2
        only[max(0, top - pad) : bottom + pad] = pixels[max(0, top - pad) : bottom + pad]
    for word in words:  # what was read stays read
        only[max(0, word.top - MARGIN) : word.top + word.height + MARGIN,
             max(0, word.left - MARGIN) : word.left + word.width + MARGIN] = 255  # fmt: skip
    again = tesseract.words(Image.fromarray(only), languages, dpi, psm=11)
    return [replace(word, block=BLOCK + word.block) for word in again
            if word.confidence >= MIN_CONFIDENCE and any(c.isalnum() for c in word.text)]
