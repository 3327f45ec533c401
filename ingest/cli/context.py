"""What every command needs: settings loaded once, the language, a console."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from rich.console import Console

from ingest.i18n import translate
from ingest.settings import Settings, load_settings


@dataclass
class CommandContext:
    settings: Settings
    language: str
    console: Console

    def t(self, key: str, **values: object) -> str:
        return translate(key, self.language, **values)


def command_context(args: argparse.Namespace) -> CommandContext:
    settings = load_settings(args.config)
    language = args.lang or settings.ui_language
    return CommandContext(settings=settings, language=language, console=Console(highlight=False))
