"""Stages 5 to 7 for a group of archived files: register, write record, release.

Registered incoming documents dropped in a unit's folder (``incoming/<unit>/``)
are then pre-assigned to that unit with the default deadline (docs/tracking.md).

One sync makes the group's originals and texts durable; one register
transaction numbers the group and logs its ``archived`` events, and its
records, carrying the numbers, are written and flushed by a second sync
before that transaction commits; only then do the sources leave the inbox.
A crash anywhere before the commit leaves every source in the batch folder
and no number taken, and the re-run stores the same bytes under the same
keys again; a crash after it finds the files registered and releases them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.pipeline.archive import Archived, write_record
from ingest.pipeline.context import BatchContext, Fingerprinted
from ingest.pipeline.reports import FileReport, archived_report
from ingest.register import LedgerEvent, RegistrationResult
from ingest.store import ObjectStore
from ingest.tracking.routing import routed_assignments
from ingest.tracking.setup import tracking_setup
from kernel.model import DocumentRecord


@dataclass(frozen=True)
class Registered:
    """An archived file whose record now carries its number."""

    file: Fingerprinted
    record: DocumentRecord
    text: str
    created: bool  # False: the bytes were registered before (a re-run after a crash)


def register_group(ctx: BatchContext, group: list[Archived]) -> list[Registered]:
    """Number the group; its records are written and flushed before the numbers commit.

    The register does not call back: ``registering`` hands the numbers over
    inside its open transaction, the records carrying them are written and
    synced in the ``with`` block, and the transaction commits when the block
    ends.  So a committed number always has its record on disk (the duplicate
    check and ``rebuild_from_records`` rely on it), and a record that cannot
    be written rolls the whole group back with no number used up.
    """
    ledger = [ctx.ledger_entry(a.file.claimed, a.file.sha256, LedgerEvent.ARCHIVED,
                               doc_id=a.record.doc_id, detail={"batch": ctx.batch_id})
              for a in group]
    register = ctx.backends.register
    with register.registering([a.record for a in group], ledger=ledger) as results:
        registered = [numbered(archived, result)
                      for archived, result in zip(group, results, strict=True)]
        write_records(ctx.backends.store, registered)
    route_registered(ctx, registered)
    return registered


def route_registered(ctx: BatchContext, registered: list[Registered]) -> None:
    """Pre-assign the documents their inbox folder routes to a unit.

    After the numbers commit, and safe to repeat: a document with an
    assignment already (routed by an earlier run, or assigned by a clerk) is
    left alone, so a run after a crash routes what the crashed one did not.
    """
    if not ctx.settings.tracking_units:
        return
    made = routed_assignments([document.record for document in registered],
                              tracking_setup(ctx.settings), ctx.backends.register.tz)
    if made:
        ctx.backends.register.pre_assign(made)


def numbered(archived: Archived, result: RegistrationResult) -> Registered:
    """``archived`` with the number (and duplicate flags) the register gave it."""
    record = archived.record.model_copy(update={
        "registration": result.registration,
        "possible_duplicate_of": list(result.possible_duplicate_of),
    })
    return Registered(archived.file, record, archived.text, result.created)


def write_records(store: ObjectStore, registered: list[Registered]) -> None:
    """Every record of the group, then one sync: all on disk before the numbers commit."""
    for document in registered:
        write_record(store, document.record, durable=False)
    store.sync()


def release_registered(ctx: BatchContext, registered: list[Registered]) -> list[FileReport]:
    """The sources leave the inbox; their lines in the run report."""
    again = [document.record.doc_id for document in registered if not document.created]
    if again:  # registered before a crash kept them here: their index entry is redone too
        ctx.backends.register.mark_index_pending(again)
    reports = []
    for document in registered:
        ctx.release(document.file.claimed)
        reports.append(archived_report(document.file.claimed, document.record))
    return reports
