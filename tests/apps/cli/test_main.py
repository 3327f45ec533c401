"""The command line's entry point: which command an argument list names."""

from __future__ import annotations

import subprocess
import sys

from apps.cli import SANDBOX_COMMANDS, _command_named


def test_the_command_is_the_first_word_that_is_no_global_option_or_its_value() -> None:
    assert _command_named(["ingest", "--no-wait"]) == "ingest"
    assert _command_named(["--config", "ingest.toml", "--lang", "en", "-v", "search", "ingest"]) \
        == "search"
    assert _command_named(["--debug"]) is None
    assert "ingest" in SANDBOX_COMMANDS


def test_the_fork_server_started_first_gives_working_sandbox_workers() -> None:
    """``start_fork_server`` with the ingest preload, then a sandbox runs on it."""
    code = (
        "from multiprocessing import forkserver\n"
        "from ingest.sandbox import Sandbox, SandboxLimits, start_fork_server\n"
        "from apps.cli import SANDBOX_PRELOAD\n"
        "start_fork_server(SANDBOX_PRELOAD)\n"
        "server = forkserver._forkserver._forkserver_pid\n"
        "with Sandbox(abs, SandboxLimits(30, 2048, 1)) as sandbox:\n"
        "    print(server is not None, list(sandbox.run([(1, -3)])))\n"
        "assert forkserver._forkserver._forkserver_pid == server\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True [(1, 3)]"
