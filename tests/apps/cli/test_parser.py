"""The command line's parser: every command, or only the one a run names."""

from __future__ import annotations

import argparse

import pytest

from apps.cli import COMMAND_MODULES, build_parser


def _command_names(parser: argparse.ArgumentParser) -> list[str]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return list(sub.choices)


def test_without_a_command_every_command_is_offered() -> None:
    names = _command_names(build_parser())
    assert len(names) == len(COMMAND_MODULES)
    assert {"ingest", "search", "serve"} <= set(names)


def test_a_named_command_is_parsed_by_its_own_parser() -> None:
    parser = build_parser("ingest")
    assert _command_names(parser) == ["ingest"]
    args = parser.parse_args(["ingest", "--no-wait"])
    assert args.command == "ingest" and args.no_wait


def test_a_name_that_is_no_module_of_its_own_gets_every_command() -> None:
    # An unknown word (a typo) is refused by the full parser, which lists the commands.
    assert len(_command_names(build_parser("ingset"))) == len(COMMAND_MODULES)
    assert "register-book" in _command_names(build_parser("register-book"))



def test_version_is_looked_up_only_when_asked_for(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import apps.cli

    # Building a parser and parsing a run read no package metadata (~45 ms a run)...
    asked: list[str] = []
    monkeypatch.setattr(apps.cli, "_installed_version", lambda: asked.append("?") or "9.9")
    build_parser("ingest").parse_args(["ingest", "--no-wait"])
    assert asked == []
    # ...and --version prints the version, on stdout, and exits 0.
    try:
        build_parser("ingest").parse_args(["--version"])
    except SystemExit as stop:
        assert stop.code in (0, None)
    assert capsys.readouterr().out == "docket 9.9\n"
    assert asked == ["?"]
