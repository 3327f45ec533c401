"""The REST endpoints of document tracking, under /api, in the OpenAPI schema.

The same rules as the pages (``TrackingDesk``): a unit member sees and moves
only their units' assignments, the records office (clerks, admins) assigns,
and a document the user may not open has no assignment for them: 404, as for
a document that does not exist.  Changes need the session's CSRF token in the
``X-CSRF-Token`` header, like every state-changing API call.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from apps.web.deps import CsrfChecked, CurrentUser, Language
from apps.web.service import NoSuchDocument, check_doc_id
from apps.web.tracking_desk import AssignmentView, WorkListFilter, status_of
from apps.web.tracking_pages import MAX_DAYS, MAX_NOTE_CHARS, desk_of
from ingest.register.tracking import TrackedAssignment
from ingest.tracking.assignments import HistoryEntry, TrackingRefused

router = APIRouter(prefix="/api", tags=["tracking"])
StatusValue = Literal["waiting", "in_progress", "done", "returned"]


class HistoryOut(BaseModel):
    who: str
    at: datetime
    old_status: StatusValue | None
    new_status: StatusValue
    note: str
    answered_by: str | None


class AssignmentOut(BaseModel):
    """One unit's assignment of one incoming document."""

    id: int
    doc_id: str
    registration: str = Field(description="the arrival number in the register, e.g. 12/2026")
    number_symbol: str | None
    subject: str | None
    unit: str
    unit_name: str
    role: Literal["lead", "cooperating"]
    status: StatusValue
    deadline: date
    overdue_working_days: int | None = Field(description="working days late, when overdue")
    instruction: str
    result_note: str
    answered_by: str | None = Field(description="doc id of the answering outgoing document")
    returned_reason: str
    closed_on: date | None
    assigned_by: str
    assigned_at: datetime
    history: list[HistoryOut] = []


class WorkListOut(BaseModel):
    today: date
    overdue: int = Field(description="how many of the listed assignments are overdue")
    due_soon: int = Field(description="open ones due from today to the due-soon window's end")
    assignments: list[AssignmentOut]


class AssignIn(BaseModel):
    unit: str = Field(max_length=64, description="the lead unit's code (đơn vị chủ trì)")
    cooperating: list[str] = Field(default=[], max_length=20,
                                   description="cooperating units' codes (đơn vị phối hợp)")
    deadline: date | None = Field(default=None, description="a handling deadline")
    days: int | None = Field(default=None, ge=0, le=MAX_DAYS,
                             description="or N working days from today; neither: the default "
                                         "for the document's urgency")
    instruction: str = Field(default="", max_length=MAX_NOTE_CHARS,
                             description="the leader's direction (ý kiến chỉ đạo)")


class HandledIn(BaseModel):
    note: str = Field(max_length=MAX_NOTE_CHARS, description="the result (kết quả xử lý)")
    answered_by: str | None = Field(default=None, max_length=16,
                                    description="doc id of the answering outgoing document")


class ReturnIn(BaseModel):
    reason: str = Field(max_length=MAX_NOTE_CHARS, description="why it goes back to the clerk")


def _history(entry: HistoryEntry) -> HistoryOut:
    return HistoryOut(who=entry.who, at=entry.when,
                      old_status=entry.old.value if entry.old else None,
                      new_status=entry.new.value, note=entry.note,
                      answered_by=entry.answered_by)


def _out(view: AssignmentView) -> AssignmentOut:
    t, a = view.tracked, view.assignment
    return AssignmentOut(
        id=t.id, doc_id=a.doc_id, registration=t.label, number_symbol=t.number_symbol,
        subject=t.subject, unit=a.unit, unit_name=view.unit_name, role=a.role.value,
        status=a.status.value, deadline=a.deadline, overdue_working_days=view.days_late,
        instruction=a.instruction, result_note=a.result_note, answered_by=a.answered_by,
        returned_reason=a.returned_reason, closed_on=a.closed_on, assigned_by=t.assigned_by,
        assigned_at=t.assigned_at, history=[_history(e) for e in view.history])


def _refusal(refused: TrackingRefused, lang: str) -> JSONResponse:
    return JSONResponse({"detail": refused.text(lang), "reason": refused.key}, status_code=400)


@router.get("/assignments", response_model=WorkListOut)
def assignments(request: Request, user: CurrentUser,
                unit: Annotated[str, Query(max_length=64)] = "",
                status: Annotated[Literal["", "waiting", "in_progress"], Query()] = "",
                overdue: bool = False) -> WorkListOut:
    """Open assignments the user may see (their units'; every unit's for the records
    office), by deadline, overdue first.  Filters: unit (code), status, overdue."""
    desk = desk_of(request)
    if not desk.tracks_anything(user):
        return WorkListOut(today=desk.today(), overdue=0, due_soon=0, assignments=[])
    work = desk.work_list(user, WorkListFilter(unit, status_of(status), overdue))
    return WorkListOut(today=work.today, overdue=len(work.digest.overdue),
                       due_soon=len(work.digest.due_soon),
                       assignments=[_out(v) for v in work.rows])


@router.get("/documents/{doc_id}/assignments", response_model=list[AssignmentOut])
def document_assignments(doc_id: str, request: Request,
                         user: CurrentUser) -> list[AssignmentOut]:
    """The assignments of one document the user may see, with their history; 404 when
    there is none (or the document is not theirs to open)."""
    views = desk_of(request).of_document(user, check_doc_id(doc_id))
    if not views:  # the same answer as for a document that does not exist
        raise NoSuchDocument()
    return [_out(v) for v in views]


def _moved(request: Request, user: CurrentUser, tracked: TrackedAssignment) -> AssignmentOut:
    views = desk_of(request).of_document(user, tracked.assignment.doc_id)
    view = next((v for v in views if v.tracked.id == tracked.id), None)
    if view is None:  # it left the user's sight with the change (not expected)
        raise NoSuchDocument()
    return _out(view)


@router.post("/documents/{doc_id}/assignments", dependencies=[CsrfChecked], status_code=201,
             response_model=list[AssignmentOut],
             responses={400: {"description": "refused (unknown unit, already assigned...)"},
                        403: {"description": "not a records office account"}})
def assign(doc_id: str, request: Request, user: CurrentUser, lang: Language,
           body: Annotated[AssignIn, Body()]) -> Response | list[AssignmentOut]:
    """Route an incoming document to a lead unit and cooperating units (clerks, admins)."""
    desk = desk_of(request)
    if not desk.can_assign(user):
        raise PermissionError("this account does not assign documents")
    try:
        made = desk.assign(user, check_doc_id(doc_id), body.unit, cooperating=body.cooperating,
                           deadline=body.deadline, days=body.days,
                           instruction=body.instruction)
    except TrackingRefused as refused:
        return _refusal(refused, lang)
    return [_moved(request, user, t) for t in made]


def _move(request: Request, user: CurrentUser, lang: str, doc_id: str, unit: str, action: str,
          note: str = "", answered_by: str | None = None) -> Response | AssignmentOut:
    try:
        moved = desk_of(request).move(user, check_doc_id(doc_id), unit, action, note,
                                      answered_by)
    except TrackingRefused as refused:
        return _refusal(refused, lang)
    return _moved(request, user, moved)


_MOVE_ANSWERS: dict[int | str, dict[str, str]] = {
    400: {"description": "refused by the status flow (closed, note missing...)"},
    403: {"description": "the user sees the assignment but is not a member of its unit"},
    404: {"description": "no such assignment for this user"}}


@router.post("/documents/{doc_id}/assignments/{unit}/start", dependencies=[CsrfChecked],
             response_model=AssignmentOut, responses=_MOVE_ANSWERS)
def start(doc_id: str, unit: str, request: Request, user: CurrentUser,
          lang: Language) -> Response | AssignmentOut:
    """The unit begins handling: chờ xử lý -> đang xử lý."""
    return _move(request, user, lang, doc_id, unit, "start")


@router.post("/documents/{doc_id}/assignments/{unit}/handled", dependencies=[CsrfChecked],
             response_model=AssignmentOut, responses=_MOVE_ANSWERS)
def handled(doc_id: str, unit: str, request: Request, user: CurrentUser, lang: Language,
            body: Annotated[HandledIn, Body()]) -> Response | AssignmentOut:
    """Handled (đã xử lý), with a result note and optionally the answering outgoing document."""
    return _move(request, user, lang, doc_id, unit, "handled", body.note, body.answered_by)


@router.post("/documents/{doc_id}/assignments/{unit}/return", dependencies=[CsrfChecked],
             response_model=AssignmentOut, responses=_MOVE_ANSWERS)
def return_to_clerk(doc_id: str, unit: str, request: Request, user: CurrentUser,
                    lang: Language, body: Annotated[ReturnIn, Body()]) -> Response | AssignmentOut:
    """Return the document to the clerk (trả lại), with a reason."""
    return _move(request, user, lang, doc_id, unit, "return", body.reason)
