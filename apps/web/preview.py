"""What the document page shows of a document: one previewer per preview style.

The registry of formats (``ingest.extract.formats``) says which style each
kind of file needs: PDF opens in the browser's viewer; PNG and JPEG as they
are; TIFF pages as PNG images rendered here with Pillow (browsers do not
show TIFF); DOCX and text as the extracted text with its line breaks and
spacing.  A PDF rendition
(``renditions/<sha256>.pdf`` in the store, for offices that convert Word files
with LibreOffice) is shown instead of the extracted text when it exists.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import APIRouter
from fastapi.responses import Response
from PIL import Image, ImageSequence, UnidentifiedImageError

from apps.web.accounts import User
from apps.web.deps import CurrentUser, State
from apps.web.service import ArchiveService, NoSuchDocument
from ingest.extract.formats import preview_style
from ingest.extract.kinds import FileKind, PreviewStyle
from kernel.errors import NotFound
from kernel.model import DocumentRecord

PAGE_WIDTH = 1400  # px: wide enough to read a scanned A4 page on a desktop screen


@dataclass(frozen=True)
class Preview:
    """How the page shows the document: ``kind`` picks the template block."""

    kind: str  # "pdf" | "image" | "pages" | "rendition" | "text" | "none"
    urls: tuple[str, ...] = ()


def rendition_key(sha256: str) -> str:
    """Where a PDF rendition of the original with ``sha256`` is kept in the store."""
    return f"renditions/{sha256[:2]}/{sha256}.pdf"


def _pdf(record: DocumentRecord, _service: ArchiveService) -> Preview:
    return Preview("pdf", (f"/documents/{record.doc_id}/original?inline=true",))


def _image(record: DocumentRecord, _service: ArchiveService) -> Preview:
    return Preview("image", (f"/documents/{record.doc_id}/original?inline=true",))


def _tiff_pages(record: DocumentRecord, _service: ArchiveService) -> Preview:
    count = max(1, record.page_count)
    return Preview("pages", tuple(f"/documents/{record.doc_id}/pages/{n}.png"
                                  for n in range(1, count + 1)))


def _text(record: DocumentRecord, service: ArchiveService) -> Preview:
    if _has_rendition(service, record):
        return Preview("rendition", (f"/documents/{record.doc_id}/rendition",))
    return Preview("text")


PREVIEWERS: dict[PreviewStyle, Callable[[DocumentRecord, ArchiveService], Preview]] = {
    PreviewStyle.VIEWER: _pdf,
    PreviewStyle.IMAGE: _image,
    PreviewStyle.PAGES: _tiff_pages,
    PreviewStyle.TEXT: _text,
}


def preview_of(record: DocumentRecord, service: ArchiveService) -> Preview:
    """The preview of ``record``; a kind no longer known shows its extracted text."""
    return PREVIEWERS[preview_style(record.detected_type)](record, service)


def _has_rendition(service: ArchiveService, record: DocumentRecord) -> bool:
    try:
        service.backends.store.open_stream(rendition_key(record.sha256)).close()
    except NotFound:
        return False
    return True


def render_page(service: ArchiveService, user: User, doc_id: str, page: int) -> bytes:
    """Page ``page`` (from 1) of a TIFF original as PNG, at most ``PAGE_WIDTH`` wide."""
    record = service.record(user, doc_id)
    if record.detected_type != FileKind.TIFF or not 1 <= page <= max(1, record.page_count):
        raise NoSuchDocument()
    Image.MAX_IMAGE_PIXELS = service.settings.max_image_pixels
    with service.backends.store.open_stream(record.original_key) as stream:
        data = stream.read()
    try:
        with Image.open(io.BytesIO(data)) as image:
            frames = ImageSequence.Iterator(image)
            frame = frames[page - 1].copy()
    except (IndexError, UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise NoSuchDocument() from None
    frame = frame.convert("L" if frame.mode in ("1", "L", "I;16") else "RGB")
    frame.thumbnail((PAGE_WIDTH, PAGE_WIDTH * 2))
    out = io.BytesIO()
    frame.save(out, format="PNG", optimize=False)
    service.accounts.audit(user.username, "view", doc_id, f"page {page}")
    return out.getvalue()


router = APIRouter(include_in_schema=False)


@router.get("/documents/{doc_id}/pages/{page}.png")
def page_image(doc_id: str, page: str, state: State, user: CurrentUser) -> Response:
    """One TIFF page as PNG; a document the user may not open is not found."""
    number = int(page) if page.isdigit() and len(page) < 6 else 0
    data = render_page(state.service, user, doc_id, number)
    return Response(data, media_type="image/png",
                    headers={"cache-control": "private, no-store"})


@router.get("/documents/{doc_id}/rendition")
def rendition(doc_id: str, state: State, user: CurrentUser) -> Response:
    """The PDF rendition of a Word or text document, inline."""
    record = state.service.record(user, doc_id)
    try:
        stream = state.service.backends.store.open_stream(rendition_key(record.sha256))
    except NotFound:
        raise NoSuchDocument() from None
    data = stream.read()
    stream.close()
    state.service.accounts.audit(user.username, "view", doc_id, "rendition")
    return Response(data, media_type="application/pdf", headers={
        "content-disposition": "inline", "cache-control": "private, no-store"})

