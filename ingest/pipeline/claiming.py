"""Claiming: complete files out of the watched folders into the claimed pool."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.inbox import Inbox
from ingest.lanes import pool_chunks, pooled_files, recover_lanes
from kernel.settings import DEFAULT_LANES, Settings


@dataclass
class Claim:
    """What a claim left in the pool, and how many lanes should work it."""

    lanes: int = 0  # lanes to start: ``settings.ingest_lanes``, never more than the chunks
    pooled: int = 0  # files in the pool, claimed now or left by earlier runs
    settling: int = 0  # files left in the inbox because they were still changing
    recovered: int = 0  # files an earlier run claimed: left in the pool or by its dead lanes
    held: int = 0  # files in the folders of live lanes, left to them

    # A claim holds nothing once made (the pool is free for any lane); the
    # ``with`` form is kept for callers written when a claim locked its batches.
    def release(self) -> None:
        """Nothing to release: the chunks in the pool are free for any lane."""

    def __enter__(self) -> Claim:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def claim_ready_files(settings: Settings, *, wait: bool = True,
                      lanes: int | None = None) -> Claim:
    """Take back the files of dead lanes, then claim every complete file into the pool.

    Files go into the pool in chunks of at most ``settings.batch_size`` (the
    group a lane takes at a time), as many as whole rounds of the lanes need
    (``chunk_sizes``); the claim says how many lanes to start for it: at most
    ``lanes`` (else ``settings.ingest_lanes``, else ``DEFAULT_LANES``).
    """
    inbox = Inbox(settings.inbox_location)
    # Files an earlier run claimed and left in the pool (it died, or its lanes'
    # time ran out) are taken up with those of its dead lanes.
    left_before = pooled_files(inbox.work_root)
    recovery = recover_lanes(inbox.work_root)
    claim = Claim(recovered=left_before + recovery.recovered, held=recovery.held)
    ready, claim.settling = inbox.wait_for_quiet(
        settings.quiet_seconds, max_wait=settings.quiet_seconds if wait else 0.0
    )
    wanted = lanes or settings.ingest_lanes or DEFAULT_LANES
    start = 0
    for size in chunk_sizes(len(ready), settings.batch_size, wanted):
        batch = inbox.new_batch()
        try:
            for candidate in ready[start:start + size]:
                inbox.claim(candidate, batch)
        finally:
            inbox.publish_batch(batch)  # what it holds goes to the pool even if claiming failed
        start += size
    claim.pooled = pooled_files(inbox.work_root)
    claim.lanes = min(wanted, len(pool_chunks(inbox.work_root)))
    return claim


# A backlog is cut in chunks of up to this many batches' worth, but for its last
# ``LAST_ROUNDS`` rounds of the lanes, cut as a small claim is: a chunk costs
# ~15 ms of CPU of its own (its claim and index transactions, flushes, folder).
BACKLOG_BATCHES = 3
LAST_ROUNDS = 2


def chunk_sizes(files: int, batch_size: int, lanes: int) -> list[int]:
    """How many files each chunk of a claim holds, in the order the lanes take them.

    The last ``LAST_ROUNDS`` rounds of ``lanes`` chunks (or all, for a smaller
    claim) hold at most ``batch_size`` each; when one chunk is not enough, as
    many chunks as whole rounds of ``lanes`` need, the files shared evenly.
    What comes before them, a backlog (when it fills a round of big chunks at
    least), is cut the same way in chunks of up to ``BACKLOG_BATCHES`` times
    ``batch_size``: big chunks first, small ones last, so the lanes still end
    together.

    With fixed chunks of ``batch_size``, 50 scans made chunks of 20, 20 and 10:
    one lane took 30 pages, the other 20 and then waited (a scanned page is a
    second or more of OCR).  Chunks of 13, 13, 12 and 12 give each of two lanes
    two, and a lane that drew slower files takes fewer.  Files that fit in one
    chunk stay one chunk for one lane (its sandbox has a worker per core).
    1,000 born-digital files for 2 lanes were 50 chunks of 20, each with its
    own transactions and flushes: 16 chunks of 57-58 and 4 of 20 now (docket
    ingest's CPU a document -0.4 to -1.5 ms in every pair measured).
    """
    if files <= 0:
        return []
    big = BACKLOG_BATCHES * batch_size
    backlog = files - LAST_ROUNDS * lanes * batch_size
    if backlog < lanes * big:  # not a whole round of big chunks: no backlog
        return _whole_rounds(files, batch_size, lanes)
    return _whole_rounds(backlog, big, lanes) + _whole_rounds(files - backlog, batch_size, lanes)


def _whole_rounds(files: int, most: int, lanes: int) -> list[int]:
    """``files`` in chunks of at most ``most``: one, or whole rounds of ``lanes``, even."""
    if files <= 0:
        return []
    chunks = -(-files // most)
    if chunks > 1:
        chunks = min(files, -(-chunks // lanes) * lanes)  # whole rounds of lanes
    share, extra = divmod(files, chunks)
    return [share + 1] * extra + [share] * (chunks - extra)
