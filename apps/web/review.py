"""The review queue ("Cần kiểm tra") and the correction form beside a document's preview.

Clerks and admins only.  What a user may open is decided by ``ArchiveService``
as everywhere else: a clerk's queue and count cover only their own uploads up
to their clearance, an admin's everything.  The queue is read from the
register's review flag (``Register.needing_review``), never from the records.
Saving goes through ``ingest.corrections.correct_document`` and, for the
secrecy mark, ``ingest.secrecy.change_secrecy``; both are audited.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from apps.web.accounts import User
from apps.web.deps import CsrfChecked, CurrentUser, Language, State, WebState
from apps.web.labels import label
from apps.web.pages import document_page, render
from apps.web.service import NoSuchDocument, check_doc_id
from ingest.corrections import (
    CORRECTABLE_FIELDS,
    DOC_TYPES,
    URGENCY_MARKS,
    CorrectionRefused,
    correct_document,
)
from ingest.register import RegisteredDocument, ReviewPage
from ingest.review import KEY_FIELDS, current_value, review_fields
from ingest.secrecy import change_secrecy, parse_secrecy_mark
from kernel.errors import UsageError
from kernel.model import DocumentRecord
from search.model import SECRECY_LEVELS, secrecy_rank

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20
MAX_REASON_CHARS = 300


@dataclass(frozen=True)
class CorrectionForm:
    """What the form beside the preview shows: values, doubts, choices, history."""

    editable: bool
    values: dict[str, str]
    doubtful: dict[str, float | None]
    revision: int
    can_lower: bool
    secrecy: str
    doc_types: tuple[str, ...] = DOC_TYPES
    urgencies: tuple[str, ...] = URGENCY_MARKS
    secrecy_levels: tuple[str, ...] = SECRECY_LEVELS
    error: str | None = None
    reason: str = ""
    confirm: tuple[str, ...] = ()
    notice: str | None = None
    history: list[Any] = field(default_factory=list)


class ReviewDesk:
    """The review queue and corrections as one user sees them."""

    def __init__(self, state: WebState) -> None:
        self.state = state
        self.service = state.service

    def count(self, user: User | None) -> int | None:
        """How many documents wait for this user's check; None for who does not review."""
        if user is None or not user.can_correct:
            return None
        return self._page(user, 0, 0).total

    def queue(self, user: User, page: int) -> tuple[int, list[RegisteredDocument]]:
        if not user.can_correct:
            raise PermissionError("this account does not review documents")
        found = self._page(user, (page - 1) * PAGE_SIZE, PAGE_SIZE)
        return found.total, found.documents

    def _page(self, user: User, offset: int, limit: int) -> ReviewPage:
        among = None
        if not user.sees_everything_allowed:
            among = self.service.accounts.uploaded_doc_ids(user.username)
        return self.service.backends.register.needing_review(
            max_secrecy=user.max_secrecy, among=among, offset=offset, limit=limit)

    def page_form(self, request: Request, user: User | None, record: DocumentRecord,
                  lang: str) -> CorrectionForm:
        """The form the document page shows: a refused one being shown again, else fresh."""
        refused = getattr(request.state, "correction", None)
        if isinstance(refused, CorrectionForm):
            return refused
        saved = request.query_params.get("saved") == "1"
        return self.form(user, record, lang, notice=label("correction_saved", lang) if saved
                         else None)

    def form(self, user: User | None, record: DocumentRecord, lang: str, *,
             submitted: dict[str, str] | None = None, error: str | None = None,
             reason: str = "", confirm: tuple[str, ...] = (),
             notice: str | None = None) -> CorrectionForm:
        threshold = self.state.settings.review_confidence
        values = {name: _shown(name, current_value(record, name)) for name in CORRECTABLE_FIELDS}
        values.update(submitted or {})
        return CorrectionForm(
            editable=user is not None and user.can_correct,
            values=values, doubtful=review_fields(record, threshold),
            revision=record.revision,
            can_lower=user is not None and user.can_lower_secrecy,
            secrecy=(submitted or {}).get("secrecy", record.meta("secrecy") or ""),
            error=error, reason=reason, confirm=confirm, notice=notice,
            history=list(record.corrections),
        )

    def save(self, user: User, doc_id: str, values: dict[str, str], confirm: list[str],
             secrecy: str, reason: str, revision: int) -> bool:
        """Correct, confirm and (maybe) re-mark; True if the user may still open the document."""
        if not user.can_correct:
            raise PermissionError("this account does not correct documents")
        record = self.service.record(user, doc_id)
        try:
            mark = parse_secrecy_mark(secrecy)
        except UsageError:
            raise CorrectionRefused("correction_bad_secrecy") from None
        old_mark = record.meta("secrecy") or ""
        if secrecy_rank(mark) < secrecy_rank(old_mark) and not user.can_lower_secrecy:
            raise CorrectionRefused("secrecy_lower_admin_only")
        remark = mark != old_mark
        if remark and not reason.strip():
            raise CorrectionRefused("secrecy_reason_needed")
        if len(reason) > MAX_REASON_CHARS:
            raise CorrectionRefused("correction_too_long", field="secrecy", most=MAX_REASON_CHARS)
        backends, accounts = self.service.backends, self.service.accounts
        try:
            outcome = correct_document(backends, doc_id, values, confirm, by=user.username,
                                       revision=revision)
            accounts.audit(user.username, "correct", doc_id, outcome.summary)
        except CorrectionRefused as refused:
            if not (remark and refused.key == "correction_nothing"):
                raise
        if remark:
            change_secrecy(backends, doc_id, mark, by=user.username, reason=reason.strip())
            accounts.audit(user.username, "secrecy", doc_id,
                           f"{old_mark or '-'} -> {mark or '-'}: {reason.strip()}"[:512])
        try:
            self.service.record(user, doc_id)
        except NoSuchDocument:
            return False
        return True


def _shown(name: str, value: str | None) -> str:
    """A stored value as the form shows it (dates as dd/mm/yyyy)."""
    if value and name == "issue_date":
        try:
            return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return value or ""


def install_review(app: FastAPI, state: WebState) -> None:
    """The queue's and the form's routes, and for the templates the queue count and the
    form (search page, document page)."""
    app.include_router(router)
    desk = ReviewDesk(state)
    state.templates.env.globals["review_count"] = desk.count
    state.templates.env.globals["correction_form"] = desk.page_form
    state.templates.env.globals["key_fields"] = KEY_FIELDS


@router.get("/review", response_class=HTMLResponse)
def review_page(request: Request, state: State, user: CurrentUser, lang: Language,
                page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> Response:
    total, documents = ReviewDesk(state).queue(user, page)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    return render(request, state, lang, "review.html", user, total=total, documents=documents,
                  page=page, pages=pages, page_url=lambda page: f"/review?page={page}",
                  moved=request.query_params.get("moved") == "1")


@router.post("/documents/{doc_id}/correct", dependencies=[CsrfChecked],
             response_class=HTMLResponse)
def correct_form(
    doc_id: str,
    request: Request,
    state: State,
    user: CurrentUser,
    lang: Language,
    revision: Annotated[int, Form()],
    number_symbol: Annotated[str, Form(max_length=500)] = "",
    issue_date: Annotated[str, Form(max_length=100)] = "",
    doc_type: Annotated[str, Form(max_length=200)] = "",
    issuing_body: Annotated[str, Form(max_length=1000)] = "",
    signer_name: Annotated[str, Form(max_length=500)] = "",
    subject: Annotated[str, Form(max_length=5000)] = "",
    urgency: Annotated[str, Form(max_length=50)] = "",
    secrecy: Annotated[str, Form(max_length=50)] = "",
    secrecy_reason: Annotated[str, Form(max_length=1000)] = "",
    confirm: Annotated[list[str] | None, Form()] = None,
) -> Response:
    if not user.can_correct:  # first: the same 403 whatever the id
        raise PermissionError("this account does not correct documents")
    check_doc_id(doc_id)
    values = {"number_symbol": number_symbol, "issue_date": issue_date, "doc_type": doc_type,
              "issuing_body": issuing_body, "signer_name": signer_name, "subject": subject,
              "urgency": urgency}
    desk = ReviewDesk(state)
    try:
        still_open = desk.save(user, doc_id, values, list(confirm or []), secrecy,
                               secrecy_reason, revision)
    except CorrectionRefused as refused:
        # The document page as it is served (whatever it shows beside the form), with
        # the refusal and what was typed handed to the form through request.state.
        record = state.service.record(user, doc_id)
        request.state.correction = desk.form(
            user, record, lang, submitted={**values, "secrecy": secrecy},
            error=refused.text(lang), reason=secrecy_reason, confirm=tuple(confirm or []))
        page = document_page(doc_id, request, state, user, lang)
        page.status_code = 403 if refused.key == "secrecy_lower_admin_only" else 400
        return page
    if not still_open:
        return RedirectResponse("/review?moved=1", status_code=303)
    return RedirectResponse(f"/documents/{doc_id}?saved=1", status_code=303)
