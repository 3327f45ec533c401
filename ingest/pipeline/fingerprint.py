"""Stage 1, fingerprint: the SHA-256 of every claimed file that is a file Docket may take."""

from __future__ import annotations

from functools import partial

from ingest.inbox import ClaimedFile, not_a_regular_file
from ingest.pipeline.context import BatchContext, Fingerprinted, quarantine_on_error
from ingest.register import LedgerEvent
from ingest.store import sha256_file
from kernel.errors import PermanentError, QuarantineReason
from kernel.settings import Settings


def fingerprint_files(ctx: BatchContext, files: list[ClaimedFile]) -> list[Fingerprinted]:
    """Fingerprint every file (quarantining those refused) and log their claims, in one commit."""
    fingerprinted = []
    for claimed in files:
        found = quarantine_on_error(ctx, claimed, None, "fingerprint",
                                    partial(fingerprint, ctx.settings, claimed))
        if found is not None:
            fingerprinted.append(found)
    ctx.backends.register.log_events(
        ctx.ledger_entry(f.claimed, f.sha256, LedgerEvent.CLAIMED) for f in fingerprinted)
    return fingerprinted


def fingerprint(settings: Settings, claimed: ClaimedFile) -> Fingerprinted:
    """The SHA-256 of a regular, non-empty file under the size limit; ``PermanentError`` if not."""
    what = not_a_regular_file(claimed.path)  # before opening: a pipe would block
    if what is not None:
        raise PermanentError(QuarantineReason.NOT_A_REGULAR_FILE, what)
    size = claimed.path.lstat().st_size
    if size == 0:
        raise PermanentError(QuarantineReason.EMPTY, "the file is empty (0 bytes)")
    if size > settings.max_file_mb * 1024 * 1024:
        raise PermanentError(
            QuarantineReason.TOO_LARGE,
            f"{size / 1048576:.0f} MiB is over the {settings.max_file_mb} MiB limit",
        )
    return Fingerprinted(claimed, sha256_file(claimed.path))
