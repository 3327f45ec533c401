"""The field readers, in the order they run.

A field reader reads metadata fields out of a document's text (a
``FieldReader``); an *extractor* (``ingest.extract``) reads that text out of a
file.  Order matters only where a reader uses an earlier result: the title
reader falls back to the symbol's type abbreviation and the format,
references leave out the document's own number (and a copy's), and the copy
reader runs before the tail is read, which it cuts above a copy's block.
"""

from __future__ import annotations

from collections.abc import Callable

from ingest.describe.context import DescribeContext, Found
from ingest.describe.fields.bodies import extract_bodies
from ingest.describe.fields.citations import extract_references
from ingest.describe.fields.closing import (
    extract_addressees,
    extract_recipients,
    extract_signature,
)
from ingest.describe.fields.copies import extract_copy
from ingest.describe.fields.dating import extract_date
from ingest.describe.fields.foreign import extract_foreign
from ingest.describe.fields.kinds import extract_format, extract_marks
from ingest.describe.fields.numbering import (
    extract_number,
    repair_symbol_by_type,
    split_glued_year,
)
from ingest.describe.fields.ocr_hyphens import vouch_put_back_hyphen
from ingest.describe.fields.strokes import check_symbol_strokes
from ingest.describe.fields.titles import extract_title

FieldReader = Callable[[DescribeContext], dict[str, Found]]

FIELD_READERS: tuple[FieldReader, ...] = (
    extract_format,
    extract_number,
    extract_copy,  # before anything reads the tail: on a copy it is the original's end
    extract_date,
    split_glued_year,  # revises the number with the date's year
    extract_bodies,
    extract_title,
    vouch_put_back_hyphen,  # a hyphen put back in the symbol, vouched by the title or the body
    repair_symbol_by_type,  # revises the number with the title's type
    check_symbol_strokes,  # a D or Đ in the symbol the title, bodies or text vouch for
    extract_marks,
    extract_addressees,
    extract_recipients,
    extract_signature,
    extract_references,
    extract_foreign,
)
