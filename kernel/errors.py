"""Docket's errors, each saying whether to retry.

A *permanent* error is about the input (a corrupt or hostile file): the file is
quarantined and never retried.  A *transient* error is about the environment
(a server down, a disk full): nothing is released from the inbox and the work is
retried on the next run.  ``exit_code_for`` and ``is_retryable`` are the one
place that maps errors to process exit codes and to Airflow retry behaviour;
every exit code Docket uses is an ``ExitCode``.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class ExitCode(IntEnum):
    """The exit codes of the ``docket`` command line (the BSD ``sysexits.h`` ones
    where one fits); scripts and the DAGs' operators rely on these values."""

    OK = 0
    FAILED = 1  # a bug or an unexpected OS error
    USAGE = 2  # the command line was used wrongly (argparse's own code)
    DAMAGED = 3  # an archived original or the audit chain no longer checks out
    NOT_FOUND = 4
    DATA_ERROR = 65  # EX_DATAERR: the input was refused for what it holds
    IO_ERROR = 74  # EX_IOERR: a file is damaged; a person has to move it aside
    TEMPFAIL = 75  # EX_TEMPFAIL: a server is down; run again later
    CONFIG = 78  # EX_CONFIG: the settings are wrong or missing
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)


class QuarantineReason(StrEnum):
    """Why a file was put in quarantine; written into ``<name>.reason.json``."""

    CORRUPT = "corrupt"
    ENCRYPTED = "encrypted"
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    TIMEOUT = "timeout"
    UNSUPPORTED = "unsupported"
    HOSTILE = "hostile"
    CRASHED = "crashed"
    NOT_A_REGULAR_FILE = "not_a_regular_file"  # a link, a pipe, a device: never followed
    KILLED = "killed"  # its worker was killed from outside (kill -9, the machine's OOM killer)
    OCR_FAILED = "ocr_failed"


class DocketError(Exception):
    """Base of every error Docket raises on purpose."""

    transient: bool = False
    exit_code: ExitCode = ExitCode.FAILED

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PermanentError(DocketError):
    """Bad input: quarantine with ``reason``, never retry."""

    transient = False

    def __init__(self, reason: QuarantineReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class TransientError(DocketError):
    """The environment failed: keep the file, retry later."""

    transient = True
    exit_code = ExitCode.TEMPFAIL


class StoreUnavailable(TransientError):
    """The object store cannot be reached or refused the operation."""


class VerificationFailed(TransientError):
    """A stored copy did not read back with the expected SHA-256.

    Transient on purpose: the original stays in the inbox and the archive is
    retried; it is never released on the strength of a bad copy.
    """


class IndexUnavailable(TransientError):
    """The search index cannot be reached; documents wait for the next run."""


class IndexDamaged(IndexUnavailable):
    """The search index file is damaged: a person moves it aside, then the
    documents are indexed again (``docket index``).  Retrying as it is won't help."""

    transient = False
    exit_code = ExitCode.IO_ERROR

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(
            f"the search index file {path} is damaged ({detail}): move it aside "
            f"(mv {path} {path}.damaged) and run `docket index` to index every document "
            f"again, or `docket reindex` to rebuild it from the records")
        self.path = path
        self.detail = detail


class IndexRefused(DocketError):
    """The search index refused documents for what they hold, not for being down.

    ``failed`` maps each refused doc id to the index's reason (a field it could
    not parse, a term too long).  Not transient: the same document is refused
    again until it or the index mapping changes.  A rebuild that meets one
    leaves the live index as it was; the refused documents wait for the index.
    """

    exit_code = ExitCode.DATA_ERROR
    SHOWN = 20  # ids named in the message; ``failed`` holds them all

    def __init__(self, failed: dict[str, str]) -> None:
        shown = "; ".join(f"{doc_id}: {reason}" for doc_id, reason in
                          list(failed.items())[: self.SHOWN])
        more = f"; and {len(failed) - self.SHOWN} more" if len(failed) > self.SHOWN else ""
        super().__init__(f"the search index refused {len(failed)} documents ({shown}{more})")
        self.failed = dict(failed)


class RegisterUnavailable(TransientError):
    """The register database cannot be reached or is locked."""


class ConfigError(DocketError):
    """Settings are wrong or missing; a person has to fix them."""

    exit_code = ExitCode.CONFIG


class UnreadableRecords(DocketError):
    """A rebuild finished without the records that could not be read."""

    def __init__(self, indexed: int, unreadable: dict[str, str]) -> None:
        listed = "; ".join(f"{key} ({error})" for key, error in sorted(unreadable.items()))
        super().__init__(f"index rebuilt with {indexed} documents; {len(unreadable)} records "
                         f"could not be read and were left out: {listed}")
        self.indexed = indexed
        self.unreadable = unreadable


class UsageError(DocketError):
    """The command line was used wrongly."""

    exit_code = ExitCode.USAGE


class NotFound(DocketError):
    """A document, object or report that was asked for does not exist."""

    exit_code = ExitCode.NOT_FOUND


def is_retryable(error: BaseException) -> bool:
    """True when retrying the same work later may succeed."""
    if isinstance(error, DocketError):
        return error.transient
    # Unknown errors (bugs, OS errors) are retried: a retry is harmless because
    # every step is idempotent, and a human sees the failure in the meantime.
    return isinstance(error, OSError)


def exit_code_for(error: BaseException) -> ExitCode:
    """The process exit code the CLI uses for ``error``."""
    if isinstance(error, DocketError):
        return error.exit_code
    if isinstance(error, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    return ExitCode.FAILED
