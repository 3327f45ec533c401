"""The search page's list of hits, built in Python.

Twenty hits of a dozen escaped fields each were a third of the search page's
rendering in Jinja (a call per label and date, an escape per value).  Built
here instead, and kept for the same hit in the same language: the newest
documents and those of common words come back request after request.  What a
hit shows depends only on the key (its document's shown fields, its snippet,
the language), so a kept hit is only ever shown for the same document.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from markupsafe import Markup, escape

from apps.web.deps import safe_snippet
from apps.web.labels import label
from search.model import SearchHit

SECRECY_MARKS = ("", "MẬT", "TỐI MẬT", "TUYỆT MẬT")
HitKey = tuple[str, str, str, int | None, int | None, str, str | None, str | None,
               date | None, int, str | None, str, str]


def hit_list(hits: Sequence[SearchHit], lang: str) -> Markup:
    """The ``<li class="hit">`` of each hit, in order."""
    return Markup("\n  ".join(_hit(_key(hit, lang)) for hit in hits))


def _key(hit: SearchHit, lang: str) -> HitKey:
    d = hit.document
    return (d.doc_id, d.subject or d.original_name, d.direction, d.registration_number,
            d.registration_year, d.registration_book, d.number_symbol, d.doc_type,
            d.issue_date, d.secrecy, d.issuing_body, hit.snippet, lang)


@lru_cache(maxsize=4096)  # a kilobyte or two each
def _hit(key: HitKey) -> str:
    (doc_id, title, direction, reg_number, reg_year, book, number_symbol, doc_type,
     issue_date, secrecy, issuing_body, snippet, lang) = key
    badge = escape(label(direction, lang))
    if reg_number:
        badge += escape(f" {reg_number}/{reg_year}{'-M' if book == 'secret' else ''}")
    meta = [f'<span class="badge {escape(direction)}">{badge}</span>']
    meta += [f"<span>{escape(value)}</span>" for value in (number_symbol, doc_type) if value]
    if issue_date:
        meta.append(f"<span>{issue_date.strftime('%d/%m/%Y')}</span>")
    if secrecy:
        meta.append(f'<span class="secret">{SECRECY_MARKS[secrecy]}</span>')
    lines = [
        '<li class="hit">',
        f'  <a class="title" href="/documents/{escape(doc_id)}">{escape(title)}</a>',
        '  <div class="meta">' + "\n    ".join(meta) + "</div>",
    ]
    if issuing_body:
        lines.append(f'  <div class="issuer">{escape(issuing_body)}</div>')
    if snippet:
        lines.append(f'  <p class="snippet">{safe_snippet(snippet)}</p>')
    lines.append("</li>")
    return "\n".join(lines)
