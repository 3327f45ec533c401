"""The clerk's inbox page: files waiting, being processed, and quarantined with the reason.

Read straight from the inbox's folders (layout in ``ingest.inbox``): waiting
files under ``incoming/`` and ``outgoing/``, claimed ones in the chunks of the
work area (``ingest.lanes``: in the pool, being filled by a claim, or in a
lane's folder), rejected ones under ``quarantine/`` beside their
``<name>.reason.json``.  The page reloads itself every ``REFRESH_SECONDS``
(ui.js, with a button to stop it: a timed refresh the user cannot stop fails
WCAG 2.2.1).  A user sees only the files they uploaded (an admin
sees all): a file name can say more than a clerk may know.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from apps.web.accounts import Role, User
from apps.web.deps import CurrentUser, Language, State, WebState
from apps.web.pages import render
from ingest.inbox import WORK_DIR, is_temporary_name
from ingest.lanes import every_chunk
from kernel.i18n import reason_text as kernel_reason_text
from kernel.model import DIRECTIONS

REFRESH_SECONDS = 15
router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class InboxFile:
    name: str
    direction: str
    folder: str
    size: int
    since: datetime
    reason: str = ""  # quarantined only: the words of the interface language
    detail: str = ""


@dataclass(frozen=True)
class InboxView:
    waiting: list[InboxFile]
    processing: list[InboxFile]
    quarantined: list[InboxFile]


def _files(tree: Path) -> Iterator[tuple[Path, str, os.stat_result]]:
    """(path, folder below ``tree``, stat) of every visible regular file in ``tree``."""
    for dirpath, dirnames, filenames in os.walk(tree):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if is_temporary_name(name) or name.endswith(".reason.json"):
                continue
            path = Path(dirpath, name)
            try:
                st = path.lstat()
            except FileNotFoundError:  # released or moved meanwhile
                continue
            folder = Path(dirpath).relative_to(tree).as_posix()
            yield path, "" if folder == "." else folder, st


def _entry(path: Path, direction: str, folder: str, st: os.stat_result) -> InboxFile:
    return InboxFile(path.name, direction, folder, st.st_size,
                     datetime.fromtimestamp(st.st_mtime, UTC))


def reason_text(reason: str, lang: str) -> str:
    """A quarantine reason in the interface language (the code if unknown).

    The words are the reason files' own (``kernel.i18n.REASONS``), as a label.
    """
    text = kernel_reason_text(reason, lang)
    return text[:1].upper() + text[1:]


def inbox_view(root: Path, user: User, state: WebState, lang: str) -> InboxView:
    """The inbox as ``user`` may see it."""
    mine = None if user.role is Role.ADMIN else state.accounts.uploads_of(user.username)
    paths = {u["inbox_path"] for u in mine or []}
    keys = {(u["direction"], u["folder"], Path(u["inbox_path"]).name) for u in mine or []}
    shas = {u["sha256"] for u in mine or []}

    waiting, processing, quarantined = [], [], []
    for direction in DIRECTIONS:
        for path, folder, st in _files(root / direction):
            if mine is None or str(path) in paths:
                waiting.append(_entry(path, direction, folder, st))
    for chunk in every_chunk(root / WORK_DIR):
        for direction in DIRECTIONS:
            for path, folder, st in _files(chunk / direction):
                if mine is None or (direction, folder, path.name) in keys:
                    processing.append(_entry(path, direction, folder, st))
    for direction in DIRECTIONS:
        for path, folder, st in _files(root / "quarantine" / direction):
            note = _reason_of(path)
            if mine is not None and note.get("sha256") not in shas:
                continue
            entry = _entry(path, direction, folder, st)
            quarantined.append(InboxFile(
                entry.name, direction, folder, entry.size, entry.since,
                reason_text(str(note.get("reason", "")), lang),
                _technical(note)[:300] if user.role is Role.ADMIN else ""))
    return InboxView(waiting, processing, quarantined)


def _technical(note: dict[str, object]) -> str:
    """The technical words of a reason file: ``detail`` (``message`` in older files)."""
    return str(note.get("detail", note.get("message", "")))


def _reason_of(path: Path) -> dict[str, object]:
    try:
        found = json.loads(path.with_name(path.name + ".reason.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


@router.get("/inbox", response_class=HTMLResponse)
def inbox_page(request: Request, state: State, user: CurrentUser, lang: Language) -> Response:
    """Waiting, processing, quarantined; ui.js reloads it until the user stops it."""
    view = inbox_view(state.settings.inbox_location, user, state, lang)
    return render(request, state, lang, "inbox.html", user, view=view,
                  refresh=REFRESH_SECONDS)
