"""The Content-Security-Policy of every page, and the one exception it makes.

Pages take styles, scripts and images from this server only.  The monthly
report is a self-contained HTML file (archived and mailed as it is) with its
own ``<style>`` element; rather than rewriting an archived file, its answer
allows exactly those style blocks by their SHA-256 (CSP level 2 hashes).
"""

from __future__ import annotations

import base64
import hashlib
import re

POLICY: dict[str, str] = {
    "default-src": "'self'",
    "img-src": "'self' data: blob:",
    "style-src": "'self'",
    "script-src": "'self'",
    "frame-ancestors": "'self'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
}
_STYLE_BLOCK = re.compile(rb"<style>(.*?)</style>", re.DOTALL | re.IGNORECASE)


def policy(**changes: str) -> str:
    """The header value, with ``changes`` (directive with ``-`` as ``_``) replacing defaults."""
    merged = {**POLICY, **{k.replace("_", "-"): v for k, v in changes.items()}}
    return "; ".join(f"{name} {value}" for name, value in merged.items())


CSP = policy()


def style_hashes(page: bytes) -> list[str]:
    """``'sha256-…'`` of every ``<style>`` element's content in ``page``."""
    return [f"'sha256-{base64.b64encode(hashlib.sha256(css).digest()).decode()}'"
            for css in _STYLE_BLOCK.findall(page)]


def policy_for_page(page: bytes) -> str:
    """The policy, allowing ``page``'s own style elements and nothing else inline."""
    return policy(style_src=" ".join(["'self'", *style_hashes(page)]))
