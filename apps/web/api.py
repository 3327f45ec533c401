"""The REST API under /api: search, documents, originals, reports, counts, exports, upload."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, BinaryIO
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from apps.web.accounts import User
from apps.web.chart import monthly_table
from apps.web.csp import policy_for_page
from apps.web.deps import CsrfChecked, CurrentUser, Language, State, WebState, searched
from apps.web.exports import EXPORTERS, export_rows
from apps.web.labels import label
from apps.web.params import search_query
from apps.web.service import check_doc_id
from apps.web.tracking_search import tracked_query
from apps.web.uploads import find_duplicate
from kernel.errors import NotFound
from search.model import SearchResult

router = APIRouter(prefix="/api", tags=["api"])
INLINE_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/tiff", "text/plain")


@router.get("/me")
def me(user: CurrentUser) -> dict[str, Any]:
    """Who is signed in, their role and the highest secrecy they may see."""
    return {"username": user.username, "role": user.role.value, "clearance": user.clearance,
            "max_secrecy": user.max_secrecy}


@router.get("/search", response_model=SearchResult)
async def search(request: Request, state: State, user: CurrentUser) -> Response:
    """Full-text search. Parameters: q, direction, doc_type, issuing_body, language, folder,
    reference, issued_from, issued_to, received_from, received_to (yyyy-mm-dd or
    dd/mm/yyyy), sort, page, page_size (1..100); and by document tracking, among the
    assignments the user may see: unit (a unit code), status (open, waiting,
    in_progress, done, returned), overdue (1: open past its deadline)."""
    result = await searched(state, lambda: state.service.search(
        user, tracked_query(request, user, search_query(request.query_params))))
    # Encoded once, by pydantic: returned as a model, FastAPI would dump it, validate
    # the dump as a new SearchResult and encode that (about 1 ms a request more).
    return Response(result.model_dump_json(), media_type="application/json")


@router.get("/documents/{doc_id}")
def document(doc_id: str, state: State, user: CurrentUser) -> dict[str, Any]:
    """The record (metadata, register number) and the extracted text of one document."""
    view = state.service.document(user, doc_id)
    record = view.record
    return {
        "doc_id": record.doc_id,
        "register_number": record.registration.label if record.registration else None,
        "secrecy": view.secrecy,
        "record": record.model_dump(mode="json"),
        "metadata": {k: v.value for k, v in record.metadata.items()},
        "text": view.text,
    }


def original_response(state: WebState, user: User, doc_id: str, inline: bool) -> Response:
    """The original: a presigned redirect when the store offers one, else streamed."""
    check_doc_id(doc_id)
    if not inline:
        url = state.service.presigned_original(user, doc_id)
        if url is not None:
            return RedirectResponse(url, status_code=307)
    record, stream = state.service.open_original(user, doc_id)
    disposition = "inline" if inline and record.mime in INLINE_TYPES else "attachment"
    headers = {
        "content-disposition": content_disposition(disposition, record.original_name),
        "x-content-type-options": "nosniff",
        "cache-control": "private, no-store",
    }
    if record.size:
        headers["content-length"] = str(record.size)
    return StreamingResponse(_chunks(stream), media_type=record.mime, headers=headers)


def content_disposition(disposition: str, filename: str) -> str:
    """RFC 6266 with an ASCII fallback and the UTF-8 name (Vietnamese file names)."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_"
                       for c in filename) or "document"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    try:
        while chunk := stream.read(256 * 1024):
            yield chunk
    finally:
        stream.close()


@router.get("/documents/{doc_id}/original")
def original(doc_id: str, state: State, user: CurrentUser, inline: bool = False) -> Response:
    """Download (or, with inline=true, preview) the original file."""
    return original_response(state, user, doc_id, inline)


@router.get("/counts")
def counts(state: State, user: CurrentUser) -> dict[str, Any]:
    """Dashboard figures: totals by direction and documents per month."""
    rows = monthly_table(state.service.monthly(user))
    return {
        **state.service.counts(user),
        "monthly": [{"month": m, "incoming": i, "outgoing": o} for m, i, o in rows],
    }


@router.get("/reports")
def reports(state: State, user: CurrentUser) -> list[dict[str, str]]:
    """Published monthly reports (CSV, XLSX, HTML) of the user's clearance level, newest first."""
    return [{"month": r.month, "name": r.name, "format": r.suffix,
             "url": f"/api/reports/{r.month}/{r.name}"} for r in state.service.reports(user)]


@router.get("/reports/{month}/{name}")
def report(month: str, name: str, state: State, user: CurrentUser) -> Response:
    """One report file; another clearance level's is not found, like a missing one."""
    found, data = state.service.report(user, month, name)
    media = {"csv": "text/csv; charset=utf-8", "html": "text/html; charset=utf-8",
             "xlsx": EXPORTERS["xlsx"][1]}[found.suffix]
    headers = {"content-disposition": content_disposition(
        "inline" if found.suffix == "html" else "attachment", found.name)}
    if found.suffix == "html":  # its own <style>, allowed by hash: the file stays as archived
        headers["content-security-policy"] = policy_for_page(data)
    return Response(data, media_type=media, headers=headers)


def export_response(request: Request, state: WebState, user: User, lang: str,
                    fmt: str) -> Response:
    """Every page of the current result list as CSV or XLSX (audited)."""
    if fmt not in EXPORTERS:
        raise NotFound(f"no export format {fmt[:10]!r}")
    query = tracked_query(request, user, search_query(request.query_params))
    render, media = EXPORTERS[fmt]
    documents = state.service.iter_all(user, query)
    data = render(export_rows(documents, lang, state.settings.timezone))
    state.accounts.audit(user.username, "export", None, str(request.query_params)[:500])
    return Response(data, media_type=media, headers={
        "content-disposition": content_disposition("attachment", f"docket-export.{fmt}"),
        "cache-control": "private, no-store",
    })


@router.get("/export.{fmt}")
def export(fmt: str, request: Request, state: State, user: CurrentUser,
           lang: Language) -> Response:
    """The search result (same parameters as /api/search) as csv or xlsx, all pages."""
    return export_response(request, state, user, lang, fmt)


@router.post("/upload", dependencies=[CsrfChecked], status_code=201)
def upload(
    state: State,
    user: CurrentUser,
    lang: Language,
    file: Annotated[UploadFile, File()],
    direction: Annotated[str, Form()],
    folder: Annotated[str, Form()] = "",
) -> dict[str, Any]:
    """Drop a file into the inbox (incoming/ or outgoing/); the pipeline registers it.
    Needs the X-CSRF-Token header (or csrf_token field) of the session.  ``duplicate``
    says when the same bytes are already registered or waiting (see /api/upload/check)."""
    done = state.service.upload(user, file.filename or "", direction, folder, file.file)
    before = find_duplicate(state.service, user, done.sha256, besides=done.path)
    return {"doc_id": done.doc_id, "sha256": done.sha256, "size": done.size,
            "name": done.path.name, "duplicate": before.kind if before else None,
            "message": (before.message(done.path.name, lang) if before else
                        label("upload_done", lang, name=done.path.name))}
