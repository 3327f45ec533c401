"""The sandbox turns hangs, memory bombs and crashes into quarantine reasons."""

from __future__ import annotations

import pytest

from ingest.sandbox import Failure, Sandbox, SandboxLimits
from kernel.errors import QuarantineReason
from tests.ingest.sandbox_tasks import behave


def run_all(kinds: list[str], timeout: float = 3.0) -> dict[str, object]:
    limits = SandboxLimits(timeout_seconds=timeout, memory_mb=512, workers=2)
    with Sandbox(behave, limits) as sandbox:
        return dict(sandbox.run([(k, k) for k in kinds]))


def test_each_misbehaviour_gets_its_reason_and_the_rest_still_run() -> None:
    results = run_all(["ok", "sleep", "memory", "crash", "permanent", "bug", "ok2"])
    assert str(results["ok"]).startswith("done")
    assert results["ok2"] == "ok2"
    expected = {
        "sleep": QuarantineReason.TIMEOUT,
        "memory": QuarantineReason.TOO_LARGE,
        "crash": QuarantineReason.CRASHED,
        "permanent": QuarantineReason.ENCRYPTED,
        "bug": QuarantineReason.CORRUPT,
    }
    for kind, reason in expected.items():
        outcome = results[kind]
        assert isinstance(outcome, Failure), kind
        assert outcome.reason is reason, (kind, outcome)
    assert "ValueError" in results["bug"].message  # type: ignore[union-attr]


def test_a_worker_killed_from_outside_is_not_the_memory_limit(tmp_path) -> None:  # type: ignore[no-untyped-def]
    once = f"killed-once:{tmp_path / 'marker'}"
    results = run_all([once, "killed", "memory"], timeout=30.0)  # no task hangs here
    # Killed once: tried again in a fresh worker, which finishes it.
    assert str(results[once]).startswith("done in")
    killed, memory = results["killed"], results["memory"]
    assert isinstance(killed, Failure) and isinstance(memory, Failure)
    assert killed.reason is QuarantineReason.KILLED, killed
    assert "2 times" in killed.message and "outside" in killed.message
    assert memory.reason is QuarantineReason.TOO_LARGE  # the per-file limit, told apart


def test_workers_are_reused_between_tasks() -> None:
    results = run_all(["ok", "ok", "ok", "ok"][:1] + ["x", "y", "z"])
    assert set(results) == {"ok", "x", "y", "z"}


def test_tasks_queued_behind_a_failing_one_still_run() -> None:
    # One worker: each task after a crash, a hang or a memory bomb was already
    # queued to the worker that had to be replaced.
    limits = SandboxLimits(timeout_seconds=2.0, memory_mb=512, workers=1)
    kinds = ["crash", "a", "sleep", "b", "memory", "c"]
    with Sandbox(behave, limits) as sandbox:
        results = dict(sandbox.run([(k, k) for k in kinds]))
    assert [results[k] for k in ("a", "b", "c")] == ["a", "b", "c"]
    assert results["crash"].reason is QuarantineReason.CRASHED  # type: ignore[union-attr]
    assert results["sleep"].reason is QuarantineReason.TIMEOUT  # type: ignore[union-attr]
    assert results["memory"].reason is QuarantineReason.TOO_LARGE  # type: ignore[union-attr]


def test_a_broken_installation_is_not_blamed_on_the_file() -> None:
    from tests.ingest.sandbox_tasks import misconfigured

    limits = SandboxLimits(timeout_seconds=5, memory_mb=512, workers=1)
    with Sandbox(misconfigured, limits) as sandbox:
        [(_key, outcome)] = list(sandbox.run([("a", "a")]))
    assert isinstance(outcome, Failure) and outcome.config and outcome.transient


MAIN_SCRIPT = '''
import sys
from pathlib import Path

marker = Path(sys.argv[1] if __name__ == "__main__" else __file__ + ".rerun")
if __name__ != "__main__":  # multiprocessing re-running this file in a worker
    marker.write_text("re-run")
else:
    from ingest.sandbox import Sandbox, SandboxLimits
    from tests.ingest.sandbox_tasks import behave

    with Sandbox(behave, SandboxLimits(10, 512, 2)) as sandbox:
        print(dict(sandbox.run([("a", "a"), ("b", "b")])))
'''


@pytest.mark.parametrize("as_module", [False, True], ids=["script", "python -m"])
def test_workers_do_not_rerun_the_parents_main_script(tmp_path, as_module: bool) -> None:
    """In an Airflow task ``__main__`` is the ``airflow`` command: seconds per worker."""
    import subprocess
    import sys
    from pathlib import Path

    script = tmp_path / "heavy_main.py"
    script.write_text(MAIN_SCRIPT)
    repo = Path(__file__).resolve().parents[2]
    main = ["-m", "heavy_main"] if as_module else [str(script)]
    done = subprocess.run([sys.executable, *main, str(tmp_path / "unused")], cwd=repo,
                          env={"PYTHONPATH": f"{repo}:{tmp_path}", "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=60, check=True)
    assert "'a': 'a'" in done.stdout
    assert not (tmp_path / "heavy_main.py.rerun").exists()
