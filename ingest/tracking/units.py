"""Units (đơn vị) that handle incoming documents, and routing by inbox folder.

Units are configured once in ``config/docket.toml``::

    [[tracking.units]]
    code = "so-tai-chinh"
    name = "Sở Tài chính"
    members = ["lan.nguyen", "minh.tran"]
    folder = "so-tai-chinh"        # optional: the subfolder of incoming/ (default: code)
    emails = ["stc@example.gov.vn"]  # optional: where the daily deadline digest goes

A document dropped in ``incoming/so-tai-chinh/...`` is pre-assigned to that unit.

Overseers (the office's managers) follow every unit's assignments read-only::

    [tracking]
    overseers = ["giam.doc", "chanh.van.phong"]
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath
from typing import Any

from kernel.errors import ConfigError
from kernel.settings import Settings

UNIT_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
# An address as a person types it: something@domain, no spaces or brackets.
EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")
INCOMING = "incoming"
# Prefixes under the inbox root that still hold an incoming/ tree below them.
_MOVED = ("processed", "quarantine")


@dataclass(frozen=True)
class Unit:
    """A unit: ``code`` (ascii, stable), ``name`` (shown), member user names."""

    code: str
    name: str
    members: frozenset[str] = frozenset()
    folder: str = ""
    emails: tuple[str, ...] = ()  # the daily deadline digest's recipients

    @property
    def inbox_folder(self) -> str:
        """The subfolder of ``incoming/`` that routes documents to this unit."""
        return self.folder or self.code

    def has_member(self, user: str) -> bool:
        return user in self.members


def _folder_key(name: str) -> str:
    # macOS writes folder names decomposed; clerks type them in any case.
    return unicodedata.normalize("NFC", name).casefold()


@dataclass(frozen=True)
class UnitDirectory:
    """The configured units, looked up by code, member or inbox folder, and the
    overseers, who follow every unit's assignments without belonging to one."""

    units: tuple[Unit, ...] = ()
    overseers: frozenset[str] = frozenset()
    leaders: frozenset[str] = frozenset()  # direct documents to units, and follow every unit

    def __post_init__(self) -> None:
        seen: dict[str, str] = {}
        for unit in self.units:
            for key in {f"code {unit.code}", f"folder {_folder_key(unit.inbox_folder)}"}:
                if key in seen:
                    raise ConfigError(f"two units share the {key}: {seen[key]} and {unit.code}")
                seen[key] = unit.code

    def get(self, code: str) -> Unit | None:
        return next((u for u in self.units if u.code == code), None)

    def oversees(self, user: str) -> bool:
        """Whether ``user`` follows every unit's assignments (overseers read only)."""
        return user in self.overseers or user in self.leaders

    def leads(self, user: str) -> bool:
        """Whether ``user`` is one of the office's leaders, who assign as clerks do."""
        return user in self.leaders

    def of_member(self, user: str) -> list[Unit]:
        """The units ``user`` belongs to (one person may sit in several)."""
        return [u for u in self.units if u.has_member(user)]

    def by_folder(self, folder: str) -> Unit | None:
        key = _folder_key(folder)
        return next((u for u in self.units if _folder_key(u.inbox_folder) == key), None)

    def route(self, inbox_path: str | PurePath) -> Unit | None:
        """The unit an incoming file's folder pre-assigns, or None.

        ``inbox_path`` is relative to the inbox root: ``incoming/so-tai-chinh/a.pdf``
        and ``incoming/so-tai-chinh/2026/a.pdf`` route to ``so-tai-chinh``;
        ``processed/incoming/...`` too.  A file directly in ``incoming/``, an
        outgoing file or an unknown folder routes nowhere.
        """
        parts = PurePosixPath(str(inbox_path).replace("\\", "/")).parts
        if parts[:1] and parts[0] in _MOVED:
            parts = parts[1:]
        if len(parts) < 3 or parts[0] != INCOMING:  # incoming/<unit>/<file>
            return None
        return self.by_folder(parts[1])


def _line_of(text: str, needle: str) -> int:
    return next((n for n, line in enumerate(text.splitlines(), 1) if needle in line), 1)


Failure = Callable[[str, str], ConfigError]  # (message, text near the mistake)


def _in_file(text: str, origin: str) -> Failure:
    def fail(message: str, needle: str) -> ConfigError:
        return ConfigError(f"{origin}, line {_line_of(text, needle)}: {message}")
    return fail


def _unit(entry: Any, fail: Failure) -> Unit:
    if not isinstance(entry, dict):
        raise fail("each [[tracking.units]] is a table", "[[tracking.units]]")
    code, name = entry.get("code"), entry.get("name")
    if not isinstance(code, str) or not UNIT_CODE.match(code):
        raise fail(f"a unit code is lower-case ascii letters, digits and hyphens "
                   f"(so-tai-chinh), not {code!r}", f"code = {code!r}".replace("'", '"'))
    if not isinstance(name, str) or not name.strip():
        raise fail(f"the unit {code} needs a name", f'"{code}"')
    members = entry.get("members", [])
    if not isinstance(members, list) or not all(isinstance(m, str) and m for m in members):
        raise fail(f"the members of {code} are a list of user names", f'"{code}"')
    folder = entry.get("folder", "")
    if not isinstance(folder, str) or "/" in folder or folder in {".", ".."}:
        raise fail(f"the folder of {code} is one folder name", f'"{code}"')
    emails = entry.get("emails", [])
    if not isinstance(emails, list) or not all(isinstance(e, str) and EMAIL.match(e.strip())
                                               for e in emails):
        raise fail(f"the emails of {code} are a list of addresses (name@example.gov.vn)",
                   f'"{code}"')
    unknown = set(entry) - {"code", "name", "members", "folder", "emails"}
    if unknown:
        raise fail(f"unknown keys in the unit {code}: {', '.join(sorted(unknown))}", f'"{code}"')
    return Unit(code, name.strip(), frozenset(members), folder,
                tuple(e.strip() for e in emails))


def parse_units(text: str, origin: str = "docket.toml") -> UnitDirectory:
    """The ``[[tracking.units]]`` of a TOML text (top level or under ``[docket]``)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin}: {exc}") from exc
    if isinstance(data.get("docket"), dict):
        data = data["docket"]
    tracking = data.get("tracking", {})
    entries = tracking.get("units", []) if isinstance(tracking, Mapping) else None
    if not isinstance(entries, list):
        raise ConfigError(f"{origin}: units are [[tracking.units]] tables")
    fail = _in_file(text, origin)
    return units_from((_unit(entry, fail) for entry in entries),
                      _overseers(tracking.get("overseers", []), fail),
                      _overseers(tracking.get("leaders", []), fail, "leaders"))


def _overseers(names: Any, fail: Failure, key: str = "overseers") -> frozenset[str]:
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip()
                                              for n in names):
        raise fail(f"the tracking {key} are a list of user names", key)
    return frozenset(n.strip() for n in names)


def units_from(units: Iterable[Unit], overseers: Iterable[str] = (),
               leaders: Iterable[str] = ()) -> UnitDirectory:
    """A directory of ``units``; ``ConfigError`` when two share a code or folder."""
    return UnitDirectory(tuple(units), frozenset(overseers), frozenset(leaders))


def load_units(path: Path) -> UnitDirectory:
    """The units configured in the TOML file at ``path`` (none if it has no table)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    return parse_units(text, str(path))


def units_of(settings: Settings) -> UnitDirectory:
    """The units of ``settings.tracking_units`` (``[[tracking.units]]`` of docket.toml,
    or ``DOCKET_TRACKING_UNITS`` as JSON), checked as ``parse_units`` checks them, and
    the overseers of ``settings.tracking_overseers``."""
    def failing_at(index: int) -> Failure:
        def fail(message: str, _needle: str) -> ConfigError:
            return ConfigError(f"tracking units, #{index + 1}: {message}")
        return fail

    def failing(message: str, needle: str) -> ConfigError:
        return ConfigError(f"tracking_{needle}: {message}")

    return units_from((_unit(entry.model_dump(), failing_at(i))
                       for i, entry in enumerate(settings.tracking_units)),
                      _overseers(list(settings.tracking_overseers), failing),
                      _overseers(list(settings.tracking_leaders), failing, "leaders"))
