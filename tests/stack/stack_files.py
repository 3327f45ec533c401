"""Reading the stack's files the way Docker Compose reads them, for the tests.

There is no Docker engine on the development machines, so the compose file is
checked statically: parsed with PyYAML (anchors and ``<<`` merges resolved as
Compose resolves them) and interpolated with the ``.env`` rules Compose
documents (``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``, ``${VAR:?error}``,
``${VAR?error}``, ``$$`` for a literal dollar).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERFILE = ROOT / "Dockerfile"

# $$ first so an escaped dollar is never read as the start of a variable.
_VARIABLE = re.compile(
    r"\$\$|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}"
    r"|\$(?P<bare>[A-Za-z_][A-Za-z0-9_]*)"
)
_ENV_LINE = re.compile(r"^(?P<comment>#)?(?P<name>[A-Z][A-Z0-9_]*)=(?P<value>.*)$")


def load_compose() -> dict[str, Any]:
    """The compose file as Compose sees it before interpolation."""
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def compose_variables(text: str) -> list[tuple[str, str | None]]:
    """Every ``(name, operator)`` the text interpolates; ``$$`` escapes are skipped."""
    found = []
    for match in _VARIABLE.finditer(text):
        if match.group(0) == "$$":
            continue
        if match.group("bare"):
            found.append((match.group("bare"), None))
        else:
            found.append((match.group("name"), match.group("op")))
    return found


def interpolate(text: str, env: dict[str, str]) -> str:
    """Substitute variables as Compose does; a ``:?``/``?`` miss raises ``KeyError``."""

    def substitute(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group("name") or match.group("bare")
        op, arg = match.group("op"), match.group("arg") or ""
        value = env.get(name)
        unset_or_empty = value is None or value == ""
        if op == ":-":
            return arg if unset_or_empty else str(value)
        if op == "-":
            return arg if value is None else value
        if op in (":?", "?") and (unset_or_empty if op == ":?" else value is None):
            raise KeyError(f"{name}: {arg}")
        if op == ":+":
            return "" if unset_or_empty else arg
        if op == "+":
            return "" if value is None else arg
        return value or ""

    return _VARIABLE.sub(substitute, text)


def read_env_example() -> tuple[dict[str, str], set[str]]:
    """``(active assignments, every name mentioned incl. commented-out lines)``.

    Values follow Compose's ``.env`` syntax for what this file uses: a single-
    quoted value is literal, anything else is taken as written.
    """
    active: dict[str, str] = {}
    mentioned: set[str] = set()
    for raw in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = _ENV_LINE.match(raw.strip())
        if not match:
            continue
        name, value = match.group("name"), match.group("value")
        mentioned.add(name)
        if match.group("comment"):
            continue
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        active[name] = value
    return active, mentioned


def service_environment(service: dict[str, Any], env: dict[str, str]) -> dict[str, str]:
    """A service's container environment after interpolation.

    An entry without a value is passed through from ``env`` when set there and
    left out otherwise, as Compose does.
    """
    resolved: dict[str, str] = {}
    for key, value in (service.get("environment") or {}).items():
        if value is None:
            if key in env:
                resolved[key] = env[key]
            continue
        resolved[key] = interpolate(str(value), env)
    return resolved
