"""The web application as each worker process of ``docket serve --workers N`` builds it.

uvicorn starts every worker by importing ``worker_app`` and calling it.  The
settings reach it from the command that started the server, through the
environment variable ``SETTINGS_ENV``, as the command loaded them (config
file, options, and the one session key every worker signs cookies with), so
no worker loads them differently.  What the workers share lives in the
accounts database: sessions and the login throttle's counts.
"""

from __future__ import annotations

import contextlib
import os

from fastapi import FastAPI

from apps.web.app import create_app
from apps.web.deps import WebState
from kernel.errors import TransientError
from kernel.settings import Settings
from search.query_syntax import parse_query

SETTINGS_ENV = "SERVE_DOCKET_SETTINGS"


def settings_for_workers(settings: Settings) -> dict[str, str]:
    """The environment a worker needs to build the same application."""
    return {SETTINGS_ENV: settings.model_dump_json()}


def worker_app() -> FastAPI:
    """The application of one worker (uvicorn's factory)."""
    return warmed_up(create_app(Settings.model_validate_json(os.environ[SETTINGS_ENV])))


def warmed_up(app: FastAPI) -> FastAPI:
    """``app`` with what its first pages would otherwise build ready: every template
    compiled, the table of letters a snippet pattern is made of, the index opened
    (about 0.3 s of CPU a worker, paid by the first users' requests before).  An
    index that cannot be opened yet is opened at the first search, as before."""
    state: WebState = app.state.web
    environment = state.templates.env
    for name in environment.list_templates(extensions=["html"]):
        environment.get_template(name)
    _ = parse_query("a").term_pattern
    with contextlib.suppress(TransientError):
        state.service.backends.index.count()
    return app
