"""Plain text extraction."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.extract import extract_content
from kernel.errors import PermanentError, QuarantineReason


def test_utf16_text(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes("Kính gửi: Sở Nội vụ tỉnh Lâm Đồng\r\nNội dung".encode("utf-16"))
    content = extract_content(path)
    assert content.detected_type == "text" and content.mime == "text/plain"
    assert content.pages[0].text == "Kính gửi: Sở Nội vụ tỉnh Lâm Đồng\nNội dung"
    assert content.pages[0].source == "text"


def test_whitespace_only_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(b"  \n\n  ")
    with pytest.raises(PermanentError) as caught:
        extract_content(path)
    assert caught.value.reason is QuarantineReason.EMPTY
