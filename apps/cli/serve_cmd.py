"""``docket serve``: the search web service (REST API and pages) under uvicorn."""

from __future__ import annotations

import argparse
import ipaddress
import os
import secrets
import sys

from apps.cli import Command
from apps.cli.context import command_context
from kernel.errors import ExitCode


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="address to listen on (default settings.web_host)")
    parser.add_argument("--port", type=int, help="port (default settings.web_port)")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1,
        help="server processes answering at once (default: the number of cores)",
    )


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: assume the network can reach it


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from apps.web import create_app
    from apps.web.serving import settings_for_workers, warmed_up

    ctx = command_context(args)
    settings = ctx.settings
    host = args.host or settings.web_host
    port = args.port or settings.web_port
    tls = settings.web_tls_certfile is not None
    if not tls and not is_loopback(host):
        print(f"docket: {ctx.t('serve_without_tls', address=f'{host}:{port}')}", file=sys.stderr)
    # No proxy_headers: the app itself believes X-Forwarded-* only from
    # settings.web_trusted_proxies (apps/web/origin.py); uvicorn's own handling
    # would rewrite the client address from any local process's headers.
    options = dict(host=host, port=port, proxy_headers=False, log_level="info",
                   ssl_certfile=settings.web_tls_certfile, ssl_keyfile=settings.web_tls_keyfile)
    if args.workers <= 1:
        uvicorn.run(warmed_up(create_app(settings)), **options)  # type: ignore[arg-type]
        return ExitCode.OK
    if not settings.web_secret_key:
        # Every worker must sign cookies with the same key (still lost on restart).
        settings = settings.model_copy(update={"web_secret_key": secrets.token_urlsafe(32)})
    # The tables are created (or upgraded) once here, not by workers racing at start.
    create_app(settings)
    os.environ.update(settings_for_workers(settings))
    uvicorn.run("apps.web.serving:worker_app", factory=True, workers=args.workers,
                **options)  # type: ignore[arg-type]
    return ExitCode.OK


COMMAND = Command("serve", "chạy dịch vụ tra cứu trên web (search web service)", configure, run)
