"""Uploads of many files at once: duplicates announced before the pipeline registers them.

A file is announced as a duplicate when the same bytes (SHA-256) are already
registered *and the user may open that document*, or are already waiting in
the inbox among the user's own uploads.  A document the user may not open
(secret above their clearance, or for a clerk another person's upload) is
answered exactly as a new file: the announcement must not tell it exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body

from apps.web.accounts import User
from apps.web.deps import CsrfChecked, CurrentUser, Language, State
from apps.web.labels import label
from apps.web.service import ArchiveService
from kernel.errors import NotFound

SHA256 = re.compile(r"[0-9a-f]{64}")
MAX_CHECKS = 200
router = APIRouter(prefix="/api", tags=["api"])


@dataclass(frozen=True)
class Duplicate:
    """What a file's bytes already are: "registered" (with its number) or "waiting"."""

    kind: str
    doc_id: str = ""
    number: str = ""

    def message(self, name: str, lang: str) -> str:
        if self.kind == "registered":
            return label("ui_duplicate_registered", lang, name=name, number=self.number)
        return label("ui_duplicate_inbox", lang, name=name)


def find_duplicate(service: ArchiveService, user: User, sha256: str,
                   besides: Path | None = None) -> Duplicate | None:
    """The duplicate ``user`` may be told of, or None (also when they may not know).

    ``besides``: the inbox file just written, which is not its own duplicate.
    """
    registered = service.backends.register.find_by_sha256(sha256)
    if registered is not None:
        try:
            record = service.record(user, registered.doc_id)
        except NotFound:
            record = None  # not theirs to know: answer as for a new file
        if record is not None:
            number = record.registration.label if record.registration else ""
            return Duplicate("registered", record.doc_id, number)
    for upload in service.accounts.uploads_of(user.username):
        path = Path(upload["inbox_path"])
        if upload["sha256"] == sha256 and path != besides and path.is_file():
            return Duplicate("waiting")
    return None


def announce(service: ArchiveService, user: User, sha256: str, name: str,
             lang: str) -> dict[str, Any]:
    """The answer about one file: duplicate kind, message, and a link when registered."""
    found = find_duplicate(service, user, sha256)
    if found is None:
        return {"sha256": sha256, "duplicate": None,
                "message": label("ui_upload_new", lang, name=name)}
    return {"sha256": sha256, "duplicate": found.kind, "message": found.message(name, lang),
            "url": f"/documents/{found.doc_id}" if found.doc_id else None}


@router.post("/upload/check", dependencies=[CsrfChecked])
def check_uploads(
    state: State,
    user: CurrentUser,
    lang: Language,
    files: Annotated[list[dict[str, str]], Body(embed=True, max_length=MAX_CHECKS)],
) -> list[dict[str, Any]]:
    """For each ``{"sha256": ..., "name": ...}``: is it already registered or waiting?

    Asked by the upload page before sending the files; needs the X-CSRF-Token header.
    """
    if not user.can_upload:
        raise PermissionError("this account cannot upload")
    answers = []
    for item in files:
        sha256 = str(item.get("sha256", "")).lower()
        name = str(item.get("name", ""))[:200]
        if not SHA256.fullmatch(sha256):
            answers.append({"sha256": sha256, "duplicate": None,
                            "message": label("ui_upload_new", lang, name=name)})
            continue
        answers.append(announce(state.service, user, sha256, name, lang))
    return answers
