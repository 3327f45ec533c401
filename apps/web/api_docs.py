"""The OpenAPI schema and Swagger UI, behind login and served from this server.

Offices run on closed networks: Swagger UI's files come from the
``swagger-ui-bundle`` package (mounted at /docs/assets), the page that starts
it is a template and its start-up script a static file, so /docs runs under a
Content-Security-Policy that allows scripts from this server only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import swagger_ui_bundle
from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, Response

from apps.web.deps import CurrentUser, Language, State
from apps.web.pages import render

ASSETS = Path(swagger_ui_bundle.swagger_ui_path)
DOCS_PATH = "/docs"
# Swagger UI needs its own script (from this server) and reads the schema with fetch.
DOCS_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "connect-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'")

router = APIRouter(include_in_schema=False)


def openapi_schema(app: FastAPI) -> dict[str, Any]:
    """The schema of the API, built once."""
    if app.openapi_schema is None:
        app.openapi_schema = get_openapi(title=app.title, version=app.version,
                                         description=app.description, routes=app.routes)
    return app.openapi_schema


@router.get("/openapi.json")
def openapi(request: Request, _user: CurrentUser) -> dict[str, Any]:
    return openapi_schema(request.app)


@router.get(DOCS_PATH, response_class=HTMLResponse)
def docs(request: Request, state: State, user: CurrentUser, lang: Language) -> Response:
    return render(request, state, lang, "api_docs.html", user)
