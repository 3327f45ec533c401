"""The daily deadline digests: one per unit, written to files, ready to be e-mailed.

``publish_deadline_digests(settings, backends, today)`` is the one call the
``docket_deadlines`` DAG and ``docket tracking --digest`` make.  For every
configured unit (and any unit an open assignment still names) it writes

    <digests_dir>/<YYYY-MM-DD>/<unit>.md    the digest a person reads
    <digests_dir>/<YYYY-MM-DD>/<unit>.json  the same for programs

always, even when the unit has nothing overdue, so that the day's folder is
the whole answer.  A second run on the same day replaces the files (each is
written beside and renamed over the old one) and removes a unit's files that
the run did not write: never two digests for one unit and day.

Sending is the caller's business (Airflow's e-mail, in the DAG); this module
reads the day's digests back (``load_digest_run``), says which still need
sending (``digests_to_email``: on a working day, a unit with addresses and
something to tell, and not this very digest already sent to them) and
remembers what was sent (``record_emailed``), so a re-run mails nothing twice.

Secrecy: the digests list documents up to ``tracking_digest_max_secrecy``
(default 0: ordinary documents only).  A unit's mailbox and the digests folder
are read by people whom nobody cleared, so a secret document's assignment
stays in the register, seen by cleared users in their work lists.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ingest.backends import Backends
from ingest.register.tracking import TrackedAssignment
from ingest.tracking.assignments import deadline_digest
from ingest.tracking.digest import DigestItem, UnitDigest
from ingest.tracking.setup import TrackingSetup, tracking_setup
from ingest.tracking.units import UNIT_CODE, Unit
from kernel.settings import Settings

SUFFIXES = (".md", ".json")
EMAILED_SUFFIX = ".emailed.json"  # what was last sent for a unit that day


@dataclass(frozen=True)
class WrittenDigest:
    """One unit's digest and the files it was written to."""

    digest: UnitDigest
    markdown: Path
    json: Path
    language: str

    @property
    def recipients(self) -> tuple[str, ...]:
        return self.digest.unit.emails

    @property
    def subject(self) -> str:
        return self.digest.subject(self.language)

    @property
    def html(self) -> str:
        return self.digest.as_html(self.language)

    @property
    def emailed_marker(self) -> Path:
        return self.markdown.with_name(self.digest.unit.code + EMAILED_SUFFIX)

    def fingerprint(self) -> str:
        """What an e-mail of this digest would carry, hashed: recipients, subject, body."""
        text = "\n".join([*self.recipients, self.subject, self.html])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class DigestRun:
    """The digests of one day, in ``folder``."""

    day: date
    folder: Path
    written: tuple[WrittenDigest, ...]

    def summary(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "folder": str(self.folder),
                "units": len(self.written),
                "overdue": sum(len(w.digest.overdue) for w in self.written),
                "due_soon": sum(len(w.digest.due_soon) for w in self.written)}


def _item(tracked: TrackedAssignment, days_late: int | None) -> DigestItem:
    a = tracked.assignment
    return DigestItem(a.doc_id, tracked.label, tracked.number_symbol, tracked.subject,
                      tracked.issuing_body, a.role, a.status, a.deadline, days_late)


def build_digests(backends: Backends, setup: TrackingSetup, today: date, *,
                  max_secrecy: int) -> list[UnitDigest]:
    """Every unit's digest for ``today``: the configured units, in order, then any unit
    code an open assignment still names (a unit removed from the settings)."""
    horizon = setup.calendar.add_working_days(today, setup.policy.due_soon_days)
    found = backends.register.open_assignments(max_secrecy=max_secrecy, due_by=horizon)
    tracked = {(t.assignment.doc_id, t.assignment.unit): t for t in found}
    digest = deadline_digest([t.assignment for t in found], today, setup.policy,
                             setup.calendar)
    units = list(setup.units.units)
    units += [Unit(code, code) for code in digest.units if setup.unit(code) is None]
    made = []
    for unit in units:
        mine = digest.for_unit(unit.code)
        overdue = tuple(_item(tracked[(late.assignment.doc_id, unit.code)], late.working_days)
                        for late in mine.overdue)
        due = tuple(_item(tracked[(a.doc_id, unit.code)], None) for a in mine.due_soon)
        made.append(UnitDigest(unit, today, horizon, overdue, due, max_secrecy))
    return made


def _replace(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def write_digests(root: Path, day: date, digests: list[UnitDigest], *,
                  language: str = "vi") -> DigestRun:
    """Write each digest to ``root/<day>/<unit>.md`` and ``.json``, replacing the day's
    earlier ones and removing those of units this run did not write."""
    folder = root / day.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for digest in digests:
        code = digest.unit.code
        markdown, data = folder / f"{code}.md", folder / f"{code}.json"
        _replace(markdown, digest.as_markdown(language))
        _replace(data, json.dumps(digest.as_json(), ensure_ascii=False, indent=2) + "\n")
        written.append(WrittenDigest(digest, markdown, data, language))
    codes = {digest.unit.code for digest in digests}
    for path in folder.iterdir():
        if path.suffix in SUFFIXES and UNIT_CODE.match(path.stem) and path.stem not in codes:
            path.unlink()
    return DigestRun(day, folder, tuple(written))


def publish_deadline_digests(settings: Settings, backends: Backends, today: date, *,
                             setup: TrackingSetup | None = None,
                             language: str | None = None) -> DigestRun:
    """The day's digests of every unit, written under ``settings.digests_location`` in
    ``language`` (default: the interface language), listing documents up to
    ``tracking_digest_max_secrecy``."""
    setup = setup or tracking_setup(settings)
    digests = build_digests(backends, setup, today,
                            max_secrecy=settings.tracking_digest_max_secrecy)
    return write_digests(settings.digests_location, today, digests,
                         language=language or settings.ui_language)


def load_digest_run(settings: Settings, day: date, *,
                    setup: TrackingSetup | None = None) -> DigestRun | None:
    """The digests written for ``day`` (None if none were), read back from their JSON
    files; each unit still configured carries today's settings (its addresses)."""
    setup = setup or tracking_setup(settings)
    folder = settings.digests_location / day.isoformat()
    if not folder.is_dir():
        return None
    written = []
    for path in sorted(folder.glob("*.json")):
        if not UNIT_CODE.match(path.stem):
            continue  # an .emailed.json marker
        data = json.loads(path.read_text(encoding="utf-8"))
        digest = UnitDigest.from_json(data, setup.unit(data["unit"]))
        written.append(WrittenDigest(digest, path.with_suffix(".md"), path,
                                     settings.ui_language))
    return DigestRun(day, folder, tuple(written))


def digests_to_email(settings: Settings, day: date, *,
                     setup: TrackingSetup | None = None) -> list[WrittenDigest]:
    """The day's digests still to be sent: none on a day off (weekend, holiday); else
    those of units with addresses and something to tell, unless this very digest was
    sent to those addresses already (``record_emailed``)."""
    setup = setup or tracking_setup(settings)
    run = load_digest_run(settings, day, setup=setup)
    if run is None or not setup.calendar.is_working_day(day):
        return []
    due = []
    for written in run.written:
        if not written.recipients or written.digest.empty:
            continue
        try:
            sent = json.loads(written.emailed_marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            sent = {}
        if sent.get("fingerprint") != written.fingerprint():
            due.append(written)
    return due


def record_emailed(written: WrittenDigest, at: datetime | None = None) -> None:
    """Remember that ``written`` was sent, so a re-run the same day does not send it again."""
    marker = {"to": list(written.recipients), "subject": written.subject,
              "sent_at": (at or datetime.now(UTC)).isoformat(),
              "fingerprint": written.fingerprint()}
    _replace(written.emailed_marker, json.dumps(marker, ensure_ascii=False, indent=2) + "\n")
