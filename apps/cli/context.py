"""What every command needs: settings loaded once, the language, a console."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from rich.console import Console

from kernel.i18n import translate
from kernel.settings import Settings, UiLanguage, load_settings


@dataclass
class CommandContext:
    settings: Settings
    language: UiLanguage
    console: Console

    def t(self, key: str, **values: object) -> str:
        return translate(key, self.language, **values)


def command_context(args: argparse.Namespace) -> CommandContext:
    settings = load_settings(args.config)
    # argparse's choices and the settings' validation both allow only vi and en
    language: UiLanguage = "en" if (args.lang or settings.ui_language) == "en" else "vi"
    return CommandContext(settings=settings, language=language, console=Console(highlight=False))
