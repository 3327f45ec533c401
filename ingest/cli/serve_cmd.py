"""``docket serve``: the search web service (REST API and pages) under uvicorn."""

from __future__ import annotations

import argparse

from ingest.cli import Command
from ingest.cli.context import command_context


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="address to listen on (default settings.web_host)")
    parser.add_argument("--port", type=int, help="port (default settings.web_port)")


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from search.web import create_app

    ctx = command_context(args)
    settings = ctx.settings
    app = create_app(settings)
    uvicorn.run(app, host=args.host or settings.web_host, port=args.port or settings.web_port,
                proxy_headers=True, forwarded_allow_ips="127.0.0.1", log_level="info")
    return 0


COMMAND = Command("serve", "chạy dịch vụ tra cứu trên web (search web service)", configure, run)
