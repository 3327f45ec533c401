"""The archivists' search service: REST API and server-rendered pages.

``create_app(settings, backends=None)`` builds the FastAPI application;
``docket serve`` runs it with uvicorn, ``docket users`` manages its accounts.
"""

from __future__ import annotations

from apps.web.app import create_app

__all__ = ["create_app"]
