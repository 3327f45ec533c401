"""Fixtures shared by every test package."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def demo_samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo sample set (about 40 documents with truth JSON), generated once."""
    from ingest.samples import generate_samples

    target = tmp_path_factory.mktemp("demo-samples")
    generate_samples(target, seed=0, profile="demo")
    return target
