"""The options of the search page's filter lists, built in Python.

The filter panel lists up to ``FACET_LIMIT`` values of each field with their
counts: some seventy options of five escaped values each, which a Jinja macro
rendered in about a third of the page's time.  Built here, and kept for the
same values: the first page of every user of one clearance level shows the
same lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from markupsafe import Markup, escape

from apps.web.labels import label, language_name
from search.model import FacetValue


def facet_options(name: str, values: Sequence[FacetValue], current: str | None, about: bool,
                  lang: str) -> Markup:
    """The ``<option>`` of each value of facet ``name`` with its count (``≈`` before it
    when ``about``), the ``current`` one selected (listed last when it has no count)."""
    counted = tuple((facet.value, facet.count) for facet in values)
    return Markup(_options(name, counted, current or "", about, lang))


@lru_cache(maxsize=512)
def _options(name: str, counted: tuple[tuple[str, int], ...], current: str, about: bool,
             lang: str) -> str:
    def shown(value: str) -> str:
        if name == "direction":
            return label(value, lang)
        return language_name(value, lang) if name == "language" else value

    lines = [
        f'<option value="{escape(value)}"{" selected" if value == current else ""}>'
        f'{escape(shown(value))} ({"≈" if about else ""}{count})</option>'
        for value, count in counted
    ]
    if current and current not in (value for value, _ in counted):
        shown_current = language_name(current, lang) if name == "language" else current
        lines.append(f'<option value="{escape(current)}" selected>{escape(shown_current)}</option>')
    return "\n    ".join(lines)
