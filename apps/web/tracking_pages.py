"""The tracking pages: the assignment panel and its forms on the document page, the
unit work list (/tracking) and the tracking register (/tracking/register).

What a user may see or change is ``TrackingDesk``'s to say; the changes are
``ingest.tracking_service``'s.  A refused change (a closed assignment, a
missing result note) shows the document page again with the refusal in the
panel, in the interface language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from apps.web.accounts import User
from apps.web.api import content_disposition
from apps.web.deps import CsrfChecked, CurrentUser, Language, State, WebState
from apps.web.exports import EXPORTERS
from apps.web.labels import label
from apps.web.pages import document_page, render
from apps.web.params import BadRequest, parse_date
from apps.web.register_page import book_pdf, book_xlsx, books_for
from apps.web.service import NoSuchDocument, check_doc_id
from apps.web.tracking_desk import (
    MOVES,
    AssignmentView,
    TrackingDesk,
    WorkListFilter,
    status_of,
)
from ingest.register.tracking_book import TITLE, tracking_table
from ingest.tracking.assignments import TrackingRefused
from ingest.tracking.replies import ProposedLink
from ingest.tracking.setup import tracking_setup
from ingest.tracking.units import Unit
from ingest.tracking_service import tracking_book_lines
from kernel.errors import NotFound
from kernel.model import DocumentRecord

router = APIRouter(include_in_schema=False)
MAX_NOTE_CHARS = 2000
MAX_DAYS = 365


@dataclass(frozen=True)
class TrackingPanel:
    """What the document page's tracking panel shows."""

    views: list[AssignmentView]
    can_assign: bool
    units: list[Unit]
    proposals: list[ProposedLink] = field(default_factory=list)
    error: str | None = None
    notice: str | None = None

    @property
    def shown(self) -> bool:
        return self.can_assign or bool(self.views)

    @property
    def movable(self) -> list[AssignmentView]:
        return [v for v in self.views if v.may_move and v.assignment.status.is_open]


def desk_of(request: Request) -> TrackingDesk:
    desk: TrackingDesk = request.app.state.tracking
    return desk


def install_tracking(app: FastAPI, state: WebState) -> None:
    """The pages' routes, the desk on ``app.state.tracking``, and for the templates the
    overdue badge and the document page's panel."""
    desk = TrackingDesk(state.service, tracking_setup(state.settings))
    app.state.tracking = desk
    app.include_router(router)

    def panel(request: Request, user: User | None, record: DocumentRecord,
              lang: str) -> TrackingPanel | None:
        if user is None or record.direction != "incoming":
            return None
        views = desk.of_document(user, record.doc_id)
        movable = any(v.may_move and v.assignment.status.is_open for v in views)
        notice = request.query_params.get("tracked")
        return TrackingPanel(
            views, desk.can_assign(user) and desk.tracks_anything(user),
            list(desk.setup.units.units),
            desk.reply_proposals(user, record) if movable else [],
            error=getattr(request.state, "tracking_error", None),
            notice=label(f"trk_done_{notice}", lang) if notice in (*MOVES, "assign") else None)

    state.templates.env.globals["tracking_overdue"] = desk.overdue_count
    state.templates.env.globals["tracking_panel"] = panel
    state.templates.env.globals["tracks_anything"] = (
        lambda user: user is not None and desk.tracks_anything(user))


def _refused(request: Request, state: WebState, user: User, lang: str, doc_id: str,
             message: str) -> Response:
    request.state.tracking_error = message
    page = document_page(doc_id, request, state, user, lang)
    page.status_code = 400
    return page


def _deadline(kind: str, written: str, days: str) -> tuple[date | None, int | None]:
    """The form's deadline: a date, N working days from today, or the default."""
    if kind == "date":
        return parse_date("deadline", written), None
    if kind == "days":
        if not days.strip().isdigit() or not 0 <= int(days) <= MAX_DAYS:
            raise BadRequest("bad_range", name="days", low=0, high=MAX_DAYS)
        return None, int(days)
    return None, None


@router.post("/documents/{doc_id}/assign", dependencies=[CsrfChecked],
             response_class=HTMLResponse)
def assign_form(
    doc_id: str,
    request: Request,
    state: State,
    user: CurrentUser,
    lang: Language,
    unit: Annotated[str, Form(max_length=64)],
    cooperating: Annotated[list[str] | None, Form()] = None,
    deadline_kind: Annotated[str, Form(max_length=10)] = "default",
    deadline: Annotated[str, Form(max_length=20)] = "",
    days: Annotated[str, Form(max_length=5)] = "",
    instruction: Annotated[str, Form(max_length=MAX_NOTE_CHARS)] = "",
) -> Response:
    """The records office (or a leader) routes the document to a lead unit and cooperating
    units."""
    if not desk_of(request).can_assign(user):  # first: the same 403 whatever the id
        raise PermissionError("this account does not assign documents")
    check_doc_id(doc_id)
    try:
        when, count = _deadline(deadline_kind, deadline, days)
        desk_of(request).assign(user, doc_id, unit, cooperating=cooperating or [],
                                deadline=when, days=count, instruction=instruction)
    except (TrackingRefused, BadRequest) as refused:
        return _refused(request, state, user, lang, doc_id, refused.text(lang))
    return RedirectResponse(f"/documents/{doc_id}?tracked=assign#tracking", status_code=303)


@router.post("/documents/{doc_id}/tracking/{unit}/{action}", dependencies=[CsrfChecked],
             response_class=HTMLResponse)
def move_form(
    doc_id: str,
    unit: str,
    action: str,
    request: Request,
    state: State,
    user: CurrentUser,
    lang: Language,
    note: Annotated[str, Form(max_length=MAX_NOTE_CHARS)] = "",
    answered_by: Annotated[str, Form(max_length=16)] = "",
    answered_by_id: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    """A unit member starts, marks handled (with the answering outgoing document) or
    returns the assignment."""
    check_doc_id(doc_id)
    if action not in MOVES:
        raise NoSuchDocument()
    answer = answered_by_id.strip().lower() or answered_by.strip().lower() or None
    try:
        desk_of(request).move(user, doc_id, unit, action, note, answer)
    except TrackingRefused as refused:
        return _refused(request, state, user, lang, doc_id, refused.text(lang))
    return RedirectResponse(f"/documents/{doc_id}?tracked={action}#tracking", status_code=303)


@router.get("/tracking", response_class=HTMLResponse)
def work_list_page(request: Request, state: State, user: CurrentUser, lang: Language,
                   unit: str = "", status: str = "", overdue: str = "") -> Response:
    """The open documents of the user's units, overdue first, under the day's digest."""
    desk = desk_of(request)
    if not desk.tracks_anything(user):
        raise NotFound("no work list for this account")
    choice = WorkListFilter(unit[:64], status_of(status), overdue in ("1", "on", "true"))
    listed = desk.work_list(user, choice)
    names = {u.code: u.name for u in desk.setup.units.units}
    return render(request, state, lang, "tracking.html", user, work=listed, names=names,
                  choice=choice, can_assign=desk.can_assign(user))


def _book_choice(request: Request, state: WebState, user: User) -> tuple[int, str]:
    year, book = request.query_params.get("year", ""), request.query_params.get("book", "")
    book = book or "ordinary"
    if book not in books_for(user) or not (year == "" or (
            year.isdigit() and 1900 < int(year) < 3000)):
        raise NotFound("no such tracking register")  # the secret one too, for the uncleared
    return (int(year) if year else datetime.now(ZoneInfo(state.settings.timezone)).year), book


def _book(request: Request, state: WebState, user: User,
          lang: str) -> tuple[int, str, str, list[str], list[list[str]]]:
    """Year, book, title, headings and cells of the tracking register asked for."""
    year, book = _book_choice(request, state, user)
    lines = tracking_book_lines(state.service.backends, year, max_secrecy=user.max_secrecy,
                                book=book)
    names = {u.code: u.name for u in desk_of(request).setup.units.units}
    language: Literal["vi", "en"] = "en" if lang == "en" else "vi"
    headings, cells = tracking_table(lines, names, language)
    return year, book, TITLE[language], headings, cells


@router.get("/tracking/register", response_class=HTMLResponse)
def tracking_register_page(request: Request, state: State, user: CurrentUser,
                           lang: Language) -> Response:
    """The sổ theo dõi giải quyết văn bản đến of a year, printable like the register book."""
    year, book, title, headings, cells = _book(request, state, user, lang)
    now_year = datetime.now(ZoneInfo(state.settings.timezone)).year
    return render(request, state, lang, "tracking_book.html", user, year=year, book=book,
                  books=books_for(user), title=title, headings=headings, cells=cells,
                  years=range(now_year, 1999, -1))


@router.get("/tracking/register/export.{fmt}")
def tracking_register_export(fmt: str, request: Request, state: State, user: CurrentUser,
                             lang: Language) -> Response:
    """The same register as PDF (page numbers, signature line) or XLSX; audited."""
    if fmt not in ("pdf", "xlsx"):
        raise NotFound(f"no export format {fmt[:10]!r}")
    year, book, title, headings, cells = _book(request, state, user, lang)
    period = f"{label('ui_year', lang)} {year}"
    if fmt == "pdf":
        data, media = book_pdf(title, period, headings, cells, lang), "application/pdf"
    else:
        data, media = book_xlsx(title, period, headings, cells), EXPORTERS["xlsx"][1]
    state.accounts.audit(user.username, "export", None, f"tracking register {year} {book}")
    return Response(data, media_type=media, headers={
        "content-disposition": content_disposition(
            "attachment", f"so-theo-doi-{book}-{year}.{fmt}"),
        "cache-control": "private, no-store"})
