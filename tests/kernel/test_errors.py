"""Exit codes: each error names its code, and the values scripts rely on stay."""

from __future__ import annotations

from kernel.errors import (
    ConfigError,
    DocketError,
    ExitCode,
    IndexDamaged,
    IndexRefused,
    NotFound,
    StoreUnavailable,
    UsageError,
    exit_code_for,
)


def test_the_codes_keep_their_values() -> None:
    assert {code.name: int(code) for code in ExitCode} == {
        "OK": 0, "FAILED": 1, "USAGE": 2, "DAMAGED": 3, "NOT_FOUND": 4, "DATA_ERROR": 65,
        "IO_ERROR": 74, "TEMPFAIL": 75, "CONFIG": 78, "INTERRUPTED": 130}


def test_each_error_says_its_code() -> None:
    assert exit_code_for(StoreUnavailable("down")) == 75
    assert exit_code_for(IndexDamaged("/x/index.sqlite", "not a database")) == 74
    assert exit_code_for(IndexRefused({"abc": "bad field"})) == 65
    assert exit_code_for(ConfigError("no bucket")) == 78
    assert exit_code_for(UsageError("--limit")) == 2
    assert exit_code_for(NotFound("no document")) == 4
    assert exit_code_for(DocketError("other")) == 1
    assert exit_code_for(KeyboardInterrupt()) == ExitCode.INTERRUPTED
    assert exit_code_for(ValueError("a bug")) == ExitCode.FAILED
