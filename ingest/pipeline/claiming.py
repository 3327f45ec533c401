"""Claiming: complete files out of the watched folders into locked batches."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ingest.inbox import Batch, Inbox, hand_off
from kernel.settings import Settings

# How long a batch handed to another process (an Airflow task) is kept from
# other runs while nobody holds its lock (the task not started, or retried).
HAND_OFF_LEASE_SECONDS = 3600.0


@dataclass
class Claim:
    """The batches a run is to process, locked by it until ``release`` or ``hand_off``."""

    batches: list[Batch] = field(default_factory=list)
    settling: int = 0  # files left in the inbox because they were still changing
    recovered: int = 0  # of the files in ``batches``, those taken back from a dead run
    held: int = 0  # files in batches a live run holds, left to it

    @property
    def paths(self) -> list[Path]:
        return [batch.path for batch in self.batches]

    def release(self) -> None:
        for batch in self.batches:
            if batch.lock is not None:
                batch.lock.release()
                batch.lock = None

    def hand_off(self, lease_seconds: float = HAND_OFF_LEASE_SECONDS) -> None:
        """Lease every batch to the processes that will run it, then unlock it."""
        for batch in self.batches:
            hand_off(batch, lease_seconds)

    def __enter__(self) -> Claim:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def claim_ready_files(settings: Settings, *, wait: bool = True) -> Claim:
    """Take back the batches of dead runs, then claim every complete file into
    batches of ``settings.batch_size``.

    The batches come locked by this process: process them in it (``with`` the
    claim) or ``hand_off`` them to the processes that will.
    """
    inbox = Inbox(settings.inbox_location)
    recovery = inbox.recover_batches()
    claim = Claim(batches=recovery.batches, recovered=recovery.recovered, held=recovery.held)
    try:
        ready, claim.settling = inbox.wait_for_quiet(
            settings.quiet_seconds, max_wait=settings.quiet_seconds if wait else 0.0
        )
        for start in range(0, len(ready), settings.batch_size):
            batch = inbox.new_batch()
            claim.batches.append(batch)  # released with the claim if claiming fails
            for candidate in ready[start:start + settings.batch_size]:
                inbox.claim(candidate, batch)
            if not batch.files:
                claim.batches.pop()
                inbox.remove_batch_if_empty(batch)
                assert batch.lock is not None
                batch.lock.release()
    except BaseException:
        claim.release()
        raise
    return claim
