"""The one stand-in for a search index that is down: ``DeferredIndex``."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.backends import DeferredIndex, open_backends
from kernel.errors import IndexUnavailable
from kernel.settings import load_settings
from search.index import SearchIndex
from search.model import SearchQuery
from search.sqlite_index import SqliteIndex


def test_an_index_that_cannot_be_opened_fails_each_call_until_it_can(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the index folder should be")
    place = {"path": blocked / "index.sqlite"}
    index = DeferredIndex(lambda: SqliteIndex(place["path"]))
    assert isinstance(index, SearchIndex)

    for _ in range(2):  # each call tries again, and says why it cannot
        with pytest.raises(IndexUnavailable):
            index.count()

    place["path"] = tmp_path / "index.sqlite"  # the index is back
    assert index.count() == 0
    assert index.search(SearchQuery(text="quyết định")).total == 0
    index.close()
    index.close()  # closing twice, or never opened, is fine


def test_backends_open_with_the_index_down(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    settings = load_settings(data_dir=tmp_path / "var", index_path=blocked / "index.sqlite")
    with open_backends(settings) as backends:  # the store and register work meanwhile
        assert backends.register.stats()["documents"] == 0
        with pytest.raises(IndexUnavailable):
            backends.index.count()
