"""What a signed-in user may find, read, download and upload: every rule in one place.

Both the REST API and the web pages call ``ArchiveService``; neither touches
the backends directly, so confidentiality is enforced once, on the server.  A
document above the user's clearance behaves exactly like one that does not
exist: it is never counted, never listed, and asking for it answers NotFound.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import BinaryIO

from apps.web.accounts import Accounts, User
from apps.web.labels import LabelledMessage
from ingest.backends import Backends
from ingest.inbox import free_name, is_temporary_name
from ingest.indexing import load_record, load_text
from ingest.reports import parse_report_name
from ingest.store.base import PresignedDownloads
from kernel.errors import NotFound, UsageError
from kernel.model import DIRECTIONS, DocumentRecord
from kernel.settings import Settings
from search.model import (
    IndexDocument,
    MonthlyCount,
    SearchFilters,
    SearchQuery,
    SearchResult,
    secrecy_rank,
)

DOC_ID = re.compile(r"[0-9a-f]{16}")
FOLDER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
REPORT_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
EXPORT_PAGE = 500
MAX_EXPORT_ROWS = 100_000
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


class NoSuchDocument(NotFound):
    """A document that does not exist, or that this user may not open: one answer for both.

    The message names no id and says nothing of why, so the 404 of a secret
    document is byte for byte the 404 of an id that never existed.
    """

    def __init__(self) -> None:
        super().__init__("no such document")


class UploadRefused(LabelledMessage, UsageError):
    """An upload the service will not take; ``key`` names its message in labels.py."""


def check_doc_id(doc_id: str) -> str:
    """``doc_id`` if it is 16 lower-case hex characters; else ``NoSuchDocument`` (a 404)."""
    if not DOC_ID.fullmatch(doc_id):
        raise NoSuchDocument()
    return doc_id


@dataclass(frozen=True)
class DocumentView:
    record: DocumentRecord
    text: str
    secrecy: int


@dataclass(frozen=True)
class ReportFile:
    month: str
    name: str
    key: str
    suffix: str
    level: int  # the clearance level it counts for (0 general .. 3 TUYỆT MẬT)


@dataclass(frozen=True)
class Upload:
    path: Path
    sha256: str
    doc_id: str
    size: int


class ArchiveService:
    """The archive as one user sees it."""

    def __init__(self, settings: Settings, backends: Backends, accounts: Accounts) -> None:
        self.settings = settings
        self.backends = backends
        self.accounts = accounts

    # -- searching --------------------------------------------------------------

    def search(self, user: User, query: SearchQuery) -> SearchResult:
        """Search with the user's clearance forced into the filters."""
        query = self._restricted(user, query)
        if not user.sees_everything_allowed:
            return self._search_uploads(user, query)
        return self.backends.index.search(query)

    def _restricted(self, user: User, query: SearchQuery) -> SearchQuery:
        ceiling = min(query.filters.max_secrecy, user.max_secrecy)
        filters = query.filters.model_copy(update={"max_secrecy": ceiling})
        return query.model_copy(update={"filters": filters})

    def _search_uploads(self, user: User, query: SearchQuery) -> SearchResult:
        """Clerks see only what they uploaded: the index searches among those ids, so
        ranking, every filter (the cited reference too), exact totals and facets are the
        same as anyone else's, over the clerk's own documents only."""
        mine = self.accounts.uploaded_doc_ids(user.username)
        wanted = query.filters.doc_ids
        if wanted is not None:
            allowed = set(wanted)
            mine = [doc_id for doc_id in mine if doc_id in allowed]
        filters = query.filters.model_copy(update={"doc_ids": tuple(mine)})
        return self.backends.index.search(query.model_copy(update={"filters": filters}))

    def iter_all(self, user: User, query: SearchQuery) -> Iterator[IndexDocument]:
        """Every document the query finds, page after page (for exports)."""
        if user.sees_everything_allowed:
            # The index's own walk: Elasticsearch pages past its 10,000-hit window
            # with search_after, which paging through search() cannot.
            found = self.backends.index.iter_all(self._restricted(user, query), EXPORT_PAGE)
            yield from itertools.islice(found, MAX_EXPORT_ROWS)
            return
        page_query = query.model_copy(update={"page_size": EXPORT_PAGE, "facets": (),
                                              "highlight": False})
        seen = 0
        page = 1
        while seen < MAX_EXPORT_ROWS:
            result = self.search(user, page_query.model_copy(update={"page": page}))
            for hit in result.hits:
                yield hit.document
            seen += len(result.hits)
            # Past TOTAL_CAP the total is only a lower bound: a short page ends it.
            if len(result.hits) < EXPORT_PAGE or (result.total_exact and seen >= result.total):
                return
            page += 1

    def counts(self, user: User) -> dict[str, int]:
        """Totals for the dashboard, counting only what the user may see."""
        index = self.backends.index
        ceiling = user.max_secrecy
        mine = None if user.sees_everything_allowed else tuple(
            self.accounts.uploaded_doc_ids(user.username))
        out = {"total": index.count(SearchFilters(max_secrecy=ceiling, doc_ids=mine))}
        for direction in DIRECTIONS:
            out[direction] = index.count(SearchFilters(direction=direction, max_secrecy=ceiling,
                                                       doc_ids=mine))
        return out

    def monthly(self, user: User, doc_type: str | None = None) -> list[MonthlyCount]:
        """Documents per month and direction, optionally of one type."""
        if not user.sees_everything_allowed:
            return []
        filters = SearchFilters(doc_type=doc_type, max_secrecy=user.max_secrecy)
        return self.backends.index.monthly_counts(filters)

    def type_values(self, user: User, limit: int = 6) -> list[str]:
        """The most frequent document types the user can see."""
        if not user.sees_everything_allowed:
            return []
        result = self.search(user, SearchQuery(page_size=1, facets=("doc_type",),
                                               highlight=False))
        return [f.value for f in result.facets.get("doc_type", [])[:limit]]

    def subjects(self, user: User, doc_ids: Iterable[str]) -> dict[str, str]:
        """The subject (else file name) of each listed document this user may see."""
        found: dict[str, str] = {}
        for doc_id in dict.fromkeys(doc_ids):
            if not DOC_ID.fullmatch(doc_id):
                continue
            doc = self.backends.index.get_document(doc_id)
            if doc is None or doc.secrecy > user.max_secrecy:
                continue
            if not user.sees_everything_allowed and not self.accounts.uploaded_by(
                user.username, doc_id
            ):
                continue
            found[doc_id] = doc.subject or doc.original_name
        return found

    # -- one document -----------------------------------------------------------

    def record(self, user: User, doc_id: str) -> DocumentRecord:
        """The record of ``doc_id`` if this user may see it; ``NoSuchDocument`` otherwise."""
        check_doc_id(doc_id)
        if not user.sees_everything_allowed and not self.accounts.uploaded_by(
            user.username, doc_id
        ):
            raise NoSuchDocument()
        try:
            record = load_record(self.backends, doc_id)
        except NotFound:
            raise NoSuchDocument() from None
        if secrecy_rank(record.meta("secrecy")) > user.max_secrecy:
            raise NoSuchDocument()
        return record

    def document(self, user: User, doc_id: str) -> DocumentView:
        """The record and text of one document; every opening is in the audit log."""
        record = self.record(user, doc_id)
        secrecy = secrecy_rank(record.meta("secrecy"))
        self.accounts.audit(user.username, "view", doc_id, record.meta("secrecy") or "")
        return DocumentView(self._as_seen_by(user, record), load_text(self.backends, record),
                            secrecy)

    def _as_seen_by(self, user: User, record: DocumentRecord) -> DocumentRecord:
        """``record`` without what points at documents above the user's clearance.

        A "possible duplicate of" a secret document, or a secret number in the
        record's history (a document marked, then lifted), would tell an
        uncleared reader that a secret document exists and where.
        """
        flagged = [d for d in record.possible_duplicate_of if self._may_open(user, d)]
        history = [c for c in record.secrecy_changes
                   if max(secrecy_rank(c.old_secrecy), secrecy_rank(c.new_secrecy))
                   <= user.max_secrecy]
        return record.model_copy(update={"possible_duplicate_of": flagged,
                                         "secrecy_changes": history})

    def _may_open(self, user: User, doc_id: str) -> bool:
        try:
            self.record(user, doc_id)
        except NotFound:
            return False
        return True

    def open_original(self, user: User, doc_id: str) -> tuple[DocumentRecord, BinaryIO]:
        """The record and a stream of its original (audited); the caller closes the stream."""
        record = self.record(user, doc_id)
        try:
            stream = self.backends.store.open_stream(record.original_key)
        except NotFound:
            raise NoSuchDocument() from None
        self.accounts.audit(user.username, "download", doc_id, record.original_name)
        return record, stream

    def presigned_original(self, user: User, doc_id: str) -> str | None:
        """A short-lived store URL for the original, when the store can make one (audited)."""
        store = self.backends.store
        if not isinstance(store, PresignedDownloads):
            return None
        record = self.record(user, doc_id)
        url = store.presigned_url(record.original_key, filename=record.original_name)
        self.accounts.audit(user.username, "download", doc_id, record.original_name)
        return url

    # -- reports ----------------------------------------------------------------

    def reports(self, user: User) -> list[ReportFile]:
        """The published monthly reports of the user's clearance level, newest month first.

        A report counts every document up to its level, so each user is
        offered the files of exactly their ``max_secrecy``; clerks, who see
        only their own uploads, none.  Files named the old way (one report
        counting everything) are offered to nobody.
        """
        if not user.sees_everything_allowed:
            return []
        found: list[ReportFile] = []
        for key in self.backends.store.list_keys("reports/"):
            parts = key.split("/")
            if len(parts) != 3 or not REPORT_MONTH.fullmatch(parts[1]):
                continue
            name = parse_report_name(parts[2])
            if name is None or name.month != parts[1] or name.level != user.max_secrecy:
                continue
            found.append(ReportFile(parts[1], parts[2], key, name.suffix, name.level))
        return sorted(found, key=lambda r: (r.month, r.suffix), reverse=True)

    def report(self, user: User, month: str, name: str) -> tuple[ReportFile, bytes]:
        """One of ``reports(user)`` and its bytes.

        Another level's file answers exactly like a file that does not exist.
        """
        for report in self.reports(user):
            if report.month == month and report.name == name:
                return report, self.backends.store.get_bytes(report.key)
        raise NotFound(f"no report {name[:40]!r}")

    # -- uploads ----------------------------------------------------------------

    def upload(self, user: User, filename: str, direction: str, folder: str,
               stream: BinaryIO) -> Upload:
        """Write an uploaded file into the inbox, whole or not at all.

        The bytes go to a dot-named file the watcher ignores, then one rename
        makes the complete file appear; the pipeline takes it from there.
        """
        if not user.can_upload:
            raise PermissionError("this account cannot upload")
        if direction not in DIRECTIONS:
            raise UploadRefused("bad_direction")
        if folder and not FOLDER.fullmatch(folder):
            raise UploadRefused("upload_bad_folder")
        name = safe_filename(filename)
        target_dir = self.settings.inbox_location / direction
        if folder:
            target_dir = target_dir / folder
        target_dir.mkdir(parents=True, exist_ok=True)
        limit = self.settings.max_file_mb * 1024 * 1024
        handle, temporary = tempfile.mkstemp(dir=target_dir, prefix=".upload-", suffix=".part")
        digest = hashlib.sha256()
        size = 0
        try:
            with os.fdopen(handle, "wb") as out:
                while chunk := stream.read(1024 * 1024):
                    size += len(chunk)
                    if size > limit:
                        raise UploadRefused("upload_too_large", most=self.settings.max_file_mb)
                    digest.update(chunk)
                    out.write(chunk)
            if size == 0:
                raise UploadRefused("upload_empty")
            final = free_name(target_dir, name)
            os.link(temporary, final)  # fails instead of replacing a file that appeared
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        Path(temporary).unlink()
        sha256 = digest.hexdigest()
        self.accounts.record_upload(user.username, sha256, name, direction, folder, str(final))
        self.accounts.audit(user.username, "upload", sha256[:16], f"{direction}/{name}")
        return Upload(final, sha256, sha256[:16], size)


def safe_filename(filename: str) -> str:
    """The base name of ``filename``, NFC, without control or path characters."""
    base = PurePath(filename.replace("\\", "/")).name
    base = _UNSAFE_NAME.sub("_", unicodedata.normalize("NFC", base)).strip(" .")
    if not base or is_temporary_name(base):
        raise UploadRefused("upload_bad_name")
    if len(base.encode()) > 200:
        stem, dot, suffix = base.rpartition(".")
        base = stem.encode()[:180].decode(errors="ignore") + dot + suffix[:10]
    return base

