"""The web application as each worker process of ``docket serve --workers N`` builds it.

uvicorn starts every worker by importing ``worker_app`` and calling it.  The
settings reach it from the command that started the server, through the
environment variable ``SETTINGS_ENV``, as the command loaded them (config
file, options, and the one session key every worker signs cookies with), so
no worker loads them differently.  What the workers share lives in the
accounts database: sessions and the login throttle's counts.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from apps.web.app import create_app
from kernel.settings import Settings

SETTINGS_ENV = "SERVE_DOCKET_SETTINGS"


def settings_for_workers(settings: Settings) -> dict[str, str]:
    """The environment a worker needs to build the same application."""
    return {SETTINGS_ENV: settings.model_dump_json()}


def worker_app() -> FastAPI:
    """The application of one worker (uvicorn's factory)."""
    return create_app(Settings.model_validate_json(os.environ[SETTINGS_ENV]))
