"""Document tracking as one signed-in user sees it: who sees, assigns and moves what.

Every rule of the tracking pages and the REST endpoints is here, once; the
changes themselves are ``ingest.tracking_service``'s.  An assignment exists
for a user only when

- they may open its document (``ArchiveService.record``: their clearance, and
  for a clerk their own uploads), so a secret document's assignment is "not
  found" for the uncleared, exactly as the document is; and
- they work in the records office (clerks and admins) or lead the office
  (``[tracking] leaders``): both ``can_assign``; or they oversee every unit
  (``[tracking] overseers``: managers, read-only); or they are a member of
  the assignment's unit (``[[tracking.units]] members``).

Moving an assignment (start, handled, returned) is for the members of its
unit, acting from their work list (``Actor(as_member=True)``), and for admins.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from apps.web.accounts import Role, User
from apps.web.service import ArchiveService, NoSuchDocument, check_doc_id
from ingest.backends import Backends
from ingest.indexing import load_text
from ingest.register.tracking import TrackedAssignment
from ingest.tracking.assignments import (
    Assignment,
    DeadlineDigest,
    HistoryEntry,
    Status,
    TrackingRefused,
)
from ingest.tracking.replies import IncomingRef, ProposedLink, find_cited, propose_links
from ingest.tracking.setup import TrackingSetup
from ingest.tracking.units import Unit
from ingest.tracking_service import (
    Actor,
    assign_document,
    digest_for,
    handling_deadline,
    mark_handled,
    return_assignment,
    start_handling,
    tracked_assignments,
)
from kernel.errors import NotFound, TransientError
from kernel.model import DocumentRecord, register_label
from search.model import SearchFilters, SearchQuery

OFFICE_ROLES = (Role.CLERK, Role.ADMIN)  # the records office: they assign
MOVES = ("start", "handled", "return")
MAX_REPLY_CANDIDATES = 10


def in_office(user: User) -> bool:
    """Clerks and admins: the records office."""
    return user.role in OFFICE_ROLES


@dataclass(frozen=True)
class AssignmentView:
    """One assignment as a page or the API shows it."""

    tracked: TrackedAssignment
    unit_name: str
    days_late: int | None  # working days past the deadline, for an open one
    may_move: bool
    history: tuple[HistoryEntry, ...] = ()
    answer_label: str = ""  # the answering outgoing document's number/symbol, if visible

    @property
    def assignment(self) -> Assignment:
        return self.tracked.assignment

    @property
    def overdue(self) -> bool:
        return self.days_late is not None


@dataclass(frozen=True)
class WorkListFilter:
    """What the work list shows: one unit or all the user's, a status, only overdue ones."""

    unit: str = ""
    status: str = ""  # "", waiting, in_progress
    overdue: bool = False


@dataclass
class WorkList:
    today: date
    rows: list[AssignmentView]
    digest: DeadlineDigest
    units: list[Unit]
    choice: WorkListFilter = field(default_factory=WorkListFilter)


class TrackingDesk:
    """Tracking for one user through the archive service's visibility rules."""

    def __init__(self, service: ArchiveService, setup: TrackingSetup) -> None:
        self.service = service
        self.setup = setup

    @property
    def backends(self) -> Backends:
        return self.service.backends

    def today(self) -> date:
        return datetime.now(self.backends.register.tz).date()

    # -- who sees what ----------------------------------------------------------

    def units_of(self, user: User) -> list[Unit]:
        """The units ``user`` works in (their work list)."""
        return self.setup.units.of_member(user.username)

    def can_assign(self, user: User) -> bool:
        """The records office and the office's leaders route documents to units."""
        return in_office(user) or self.setup.units.leads(user.username)

    def sees_every_unit(self, user: User) -> bool:
        """The records office, the leaders and the overseers follow every unit."""
        return self.can_assign(user) or self.setup.units.oversees(user.username)

    def units_shown(self, user: User) -> list[Unit]:
        """The units whose lists ``user`` may choose: all for the office and the
        overseers, else their own."""
        return list(self.setup.units.units) if self.sees_every_unit(user) else self.units_of(user)

    def tracks_anything(self, user: User) -> bool:
        """Whether ``user`` has a work list: none at all while no unit is configured."""
        return bool(self.setup.units.units) and (self.sees_every_unit(user)
                                                 or bool(self.units_of(user)))

    def _may_open(self, user: User, doc_ids: Iterable[str]) -> set[str]:
        ids = set(doc_ids)
        if user.sees_everything_allowed:
            return ids  # the register's reads already stop at the user's clearance
        return ids & set(self.service.accounts.uploaded_doc_ids(user.username))

    def _visible(self, user: User, found: list[TrackedAssignment]) -> list[TrackedAssignment]:
        mine = {unit.code for unit in self.units_of(user)}
        every = self.sees_every_unit(user)
        opened = self._may_open(user, (t.assignment.doc_id for t in found))
        return [t for t in found if t.secrecy <= user.max_secrecy
                and t.assignment.doc_id in opened
                and (every or t.assignment.unit in mine)]

    def may_move(self, user: User, tracked: TrackedAssignment) -> bool:
        unit = self.setup.unit(tracked.assignment.unit)
        member = unit is not None and unit.has_member(user.username)
        return member or user.role is Role.ADMIN

    def _view(self, user: User, tracked: TrackedAssignment, today: date, *,
              history: bool = False) -> AssignmentView:
        a = tracked.assignment
        unit = self.setup.unit(a.unit)
        late = (self.setup.calendar.working_days_between(a.deadline, today)
                if a.status.is_open and a.deadline < today else None)
        entries = tuple(self.backends.register.assignment_history(
            tracked.id, max_secrecy=user.max_secrecy)) if history else ()
        return AssignmentView(tracked, unit.name if unit else a.unit, late,
                              self.may_move(user, tracked), entries,
                              self._answer_label(user, a.answered_by) if history else "")

    def _answer_label(self, user: User, doc_id: str | None) -> str:
        document = self.backends.register.get_document(doc_id) if doc_id else None
        if document is None or not self._may_open(user, [document.doc_id]) or (
                document.secrecy > user.max_secrecy):
            return ""
        return document.number_symbol or register_label(document.number, document.year,
                                                        document.book)

    # -- reading ----------------------------------------------------------------

    def of_document(self, user: User, doc_id: str) -> list[AssignmentView]:
        """The assignments of one document ``user`` may see, with their history.

        ``NoSuchDocument`` when the user may not open the document at all.
        """
        self.service.record(user, doc_id)
        found = self.backends.register.assignments_of(doc_id, max_secrecy=user.max_secrecy)
        today = self.today()
        return [self._view(user, t, today, history=True) for t in self._visible(user, found)]

    def open_visible(self, user: User, *, unit: str | None = None,
                     due_by: date | None = None) -> list[TrackedAssignment]:
        """Open assignments ``user`` may see, by deadline (overdue first)."""
        if not self.tracks_anything(user):
            return []
        found = self.backends.register.open_assignments(max_secrecy=user.max_secrecy,
                                                        unit=unit or None, due_by=due_by)
        return self._visible(user, found)

    def tracked_doc_ids(self, user: User, unit: str = "", status: str = "",
                        overdue: bool = False) -> set[str]:
        """The documents with an assignment ``user`` sees, of ``unit`` (empty: any unit
        they see), in ``status`` (a ``SEARCH_STATUSES`` key), overdue today if asked:
        what the search page's tracking filters keep a search to."""
        shown = {u.code for u in self.units_shown(user)}
        if not self.tracks_anything(user) or (unit and unit not in shown):
            return set()
        units = [unit] if unit else None if self.sees_every_unit(user) else sorted(shown)
        found = tracked_assignments(self.backends, max_secrecy=user.max_secrecy, units=units,
                                    status=status, overdue=overdue, today=self.today())
        return {t.assignment.doc_id for t in self._visible(user, found)}

    def overdue_count(self, user: User | None) -> int | None:
        """The navigation badge: overdue open assignments ``user`` may see (None: no list)."""
        if user is None or not self.tracks_anything(user):
            return None
        try:
            return len(self.open_visible(user, due_by=self.today() - timedelta(days=1)))
        except TransientError:  # the register is down: the page (maybe the 503) still shows
            return None

    def work_list(self, user: User, choice: WorkListFilter) -> WorkList:
        """The open assignments of the user's units (all units for the office), overdue
        first, and the day's digest of the same assignments."""
        shown = self.units_shown(user)
        if choice.unit and choice.unit not in {u.code for u in shown}:
            raise NotFound("no such unit")  # another unit's list does not exist for them
        today = self.today()
        found = self.open_visible(user, unit=choice.unit or None)
        visible = {(t.assignment.doc_id, t.assignment.unit) for t in found}
        digest = digest_for(self.backends, self.setup, today, max_secrecy=user.max_secrecy)
        digest = DeadlineDigest(
            today, tuple(x for x in digest.overdue
                         if (x.assignment.doc_id, x.assignment.unit) in visible),
            tuple(a for a in digest.due_soon if (a.doc_id, a.unit) in visible))
        rows = [self._view(user, t, today) for t in found
                if choice.status in ("", t.assignment.status.value)]
        if choice.overdue:
            rows = [row for row in rows if row.overdue]
        return WorkList(today, rows, digest, shown, choice)

    def reply_proposals(self, user: User, record: DocumentRecord) -> list[ProposedLink]:
        """Registered outgoing documents that cite ``record`` as what they answer
        (``ingest.tracking.replies``), for a member to confirm as the answer."""
        symbol = record.meta("number_symbol")
        if not symbol:
            return []
        query = SearchQuery(filters=SearchFilters(direction="outgoing", reference=symbol),
                            page_size=MAX_REPLY_CANDIDATES, facets=(), highlight=False)
        incoming = [IncomingRef(record.doc_id, symbol, record.issue_date)]
        links: list[ProposedLink] = []
        for hit in self.service.search(user, query).hits:
            try:
                outgoing = self.service.record(user, hit.doc_id)
            except NoSuchDocument:
                continue
            for link in propose_links(find_cited(load_text(self.backends, outgoing)), incoming):
                links.append(ProposedLink(link.cited, IncomingRef(
                    hit.doc_id, hit.document.number_symbol or "", hit.document.issue_date),
                    link.exact))
        return links

    # -- changing ---------------------------------------------------------------

    def assign(self, user: User, doc_id: str, unit: str, *, cooperating: Iterable[str] = (),
               deadline: date | None = None, days: int | None = None,
               instruction: str = "") -> list[TrackedAssignment]:
        """Route ``doc_id`` to ``unit`` (and cooperating units); the records office only."""
        if not self.can_assign(user):
            raise PermissionError("this account does not assign documents")
        self.service.record(user, check_doc_id(doc_id))
        when = handling_deadline(self.backends, self.setup, doc_id, deadline=deadline,
                                 days=days, today=self.today())
        return assign_document(self.backends, self.service.accounts.audit_log, self.setup,
                               doc_id, unit, self._actor(user, as_member=False),
                               cooperating=cooperating, deadline=when,
                               instruction=instruction)

    def move(self, user: User, doc_id: str, unit: str, action: str, note: str = "",
             answered_by: str | None = None) -> TrackedAssignment:
        """Start, mark handled or return the open assignment of ``doc_id`` to ``unit``.

        Not found unless the user sees that assignment; 403 for one they see
        but may not move (the office watching a unit's work).
        """
        seen = [v for v in self.of_document(user, doc_id) if v.assignment.unit == unit]
        if not seen:
            raise NoSuchDocument()  # another unit's assignment does not exist for this user
        target = next((v for v in seen if v.assignment.status.is_open), seen[-1])
        if not target.assignment.status.is_open:
            raise TrackingRefused("tracking_closed", old=target.assignment.status)
        if not target.may_move:
            raise PermissionError("only the unit's members move its assignments")
        actor = self._actor(user, as_member=user.role is not Role.ADMIN)
        audit = self.service.accounts.audit_log
        if answered_by:  # one refusal for a wrong, a hidden and a missing document
            try:
                self.service.record(user, check_doc_id(answered_by))
            except NoSuchDocument:
                raise TrackingRefused("tracking_answer_not_outgoing") from None
        if action == "start":
            return start_handling(self.backends, audit, self.setup, doc_id, unit, actor)
        if action == "handled":
            return mark_handled(self.backends, audit, self.setup, doc_id, unit, actor, note,
                                answered_by=answered_by or None)
        if action == "return":
            return return_assignment(self.backends, audit, self.setup, doc_id, unit, actor,
                                     note)
        raise NoSuchDocument()

    def _actor(self, user: User, *, as_member: bool) -> Actor:
        return Actor(user.username, max_secrecy=user.max_secrecy, as_member=as_member)


def status_of(value: str) -> str:
    """A status filter value: one of the open statuses, or "" for both."""
    return value if value in (Status.WAITING.value, Status.IN_PROGRESS.value) else ""
