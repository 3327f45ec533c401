"""The CPU a text search nobody asked before costs, by component, on an existing index.

    .venv/bin/python bench/search_cpu.py INDEX [--queries 150] [--code DIR]

Runs distinct two-word queries (the topic words of ``bench/search.py``,
paired as ``bench/load.py --queries distinct`` pairs them, for open and
cleared users) through ``SqliteIndex.search`` with every facet and
snippets, as the search page asks, and prints the mean and p95 of the CPU
time (``time.process_time``: what a shared machine's load changes least)
of the whole search; then, per component, the same queries through the
search modules' own functions: the facet sample, ranking, counting, loading
the page's documents, snippets.  Each query is new to the index object
(its kept answers never help).  The index is opened as the server opens it
(an older schema is upgraded in place): give it a copy.  ``--set`` changes a
module's number for the run (``search.sqlite_query.RANK_CANDIDATES=500``).

``--code DIR`` imports ``search`` and ``kernel`` from DIR instead (e.g. an
export of another commit): run twice, A and B, for an A/B in one session.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent


def _paths(code: Path | None) -> None:
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _ROOT / "bench"]
    sys.path.insert(0, str(_ROOT))
    if code is not None:
        sys.path.insert(0, str(code))


def queries(count: int) -> list[tuple[str, int]]:
    """``count`` distinct two-word queries, each with the asking user's clearance."""
    kept = list(sys.path)
    sys.path.insert(0, str(_ROOT / "bench"))
    from load import requests_of, topic_words  # type: ignore[import-not-found]

    sys.path[:] = kept  # load.py puts the repository first: the code asked for stays first
    vocabulary = topic_words()
    seen: dict[str, int] = {}
    for user in range(200):
        for _, path in requests_of(30, user, vocabulary):
            if "q=" in path:
                from urllib.parse import unquote

                text = unquote(path.split("q=", 1)[1])
                seen.setdefault(text, 2 if user % 5 == 0 else 0)
    return list(seen.items())[:count]


# The functions timed inside each search, where the code has them (module, name):
# a nested one's time is inside its caller's too.
COMPONENTS = [
    ("search.sqlite_index", "fts_totals"),  # facets and counting
    ("search.sqlite_facets", "capped_total"),  # counting (inside fts_totals)
    ("search.sqlite_facets", "NewestMatches.ids"),  # the walk relevance and facets share
    ("search.sqlite_facets", "_older_sample"),  # the slices of older matches
    ("search.sqlite_facets", "sampled_values"),  # their facet values
    ("search.sqlite_facet_codes", "CombinationNames.of"),  # inside sampled_values
    ("search.sqlite_index", "ranked_page"),
    ("search.sqlite_query", "score_rows"),  # inside ranked_page
    ("search.sqlite_cache", "ReadCache.documents"),
    ("search.sqlite_index", "_snippet"),
    ("search.sqlite_index", "hit_snippet"),
]
SPENT: dict[str, float] = {}


def _time_components() -> None:
    import importlib

    for module_name, name in COMPONENTS:
        module = importlib.import_module(module_name)
        owner: object = module
        *outer, attr = name.split(".")
        for part in outer:
            owner = getattr(owner, part, None)
        function = getattr(owner, attr, None)
        if function is None:
            continue
        setattr(owner, attr, _timed(name, function))


def _timed(name: str, function: Callable[..., object]) -> Callable[..., object]:
    def timed(*args: object, **kwargs: object) -> object:
        began = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[name] = SPENT.get(name, 0.0) + (time.process_time() - began) * 1000

    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--queries", type=int, default=150)
    parser.add_argument("--skip", type=int, default=0, help="start at this query")
    parser.add_argument("--code", type=Path)
    parser.add_argument("--set", action="append", default=[], metavar="MODULE.NAME=N",
                        help="set a module's number first (search.sqlite_facets.FACET_SAMPLE=1000)")
    args = parser.parse_args()
    _paths(args.code)
    import search
    from search.model import FACET_FIELDS, SearchFilters, SearchQuery
    from search.sqlite_index import SqliteIndex

    _time_components()
    for setting in args.set:
        name, value = setting.split("=", 1)
        module, attribute = name.rsplit(".", 1)
        setattr(sys.modules[module], attribute, int(value))
    print(f"code: {Path(search.__file__).parent.parent}, load average {os.getloadavg()[0]:.2f}")
    asked = queries(args.skip + args.queries)[args.skip:]
    index = SqliteIndex(args.index)
    index.search(SearchQuery(text="warm up", facets=FACET_FIELDS))
    SPENT.clear()
    totals: list[float] = []
    estimated = capped = about = 0
    for text, ceiling in asked:
        query = SearchQuery(text=text, filters=SearchFilters(max_secrecy=ceiling))
        began = time.process_time()
        result = index.search(query)
        totals.append((time.process_time() - began) * 1000)
        estimated += not result.facets_exact
        capped += not result.total_exact and not getattr(result, "total_estimated", False)
        about += getattr(result, "total_estimated", False)
    print(f"search, {len(asked)} distinct queries: mean {statistics.mean(totals):.1f} ms CPU,"
          f" median {statistics.median(totals):.1f}, p95 {_p95(totals):.1f}; facets about"
          f" {estimated}/{len(asked)}, total 'more than' {capped}/{len(asked)},"
          f" 'about' {about}/{len(asked)}")
    for name, spent in sorted(SPENT.items()):
        per_query = spent / len(asked)
        print(f"  {name:34} {per_query:6.2f} ms CPU a search")
    index.close()


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


if __name__ == "__main__":
    main()
