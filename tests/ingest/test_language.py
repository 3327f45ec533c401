"""detect_language(): ISO 639-1, deterministic, None when unsure."""

from __future__ import annotations

import pytest

from ingest.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ủy ban nhân dân tỉnh Lâm Đồng quyết định công nhận xã, phường miền núi.", "vi"),
        ("QUYẾT ĐỊNH VỀ VIỆC BAN HÀNH QUY CHẾ LÀM VIỆC CỦA ỦY BAN NHÂN DÂN", "vi"),
        ("The ministry has the honour to inform you that the meeting will take place.", "en"),
        ("Le ministère a l'honneur de vous informer que la réunion aura lieu lundi.", "fr"),
        ("Министерство иностранных дел сообщает о проведении совещания.", "ru"),
        ("Ministerstvo zahraničních věcí České republiky sděluje, že jednání se uskuteční.", "cs"),
    ],
)
def test_languages(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_short_text_is_none() -> None:
    assert detect_language("Số 12") is None
    assert detect_language("") is None


def test_deterministic() -> None:
    text = "Kính gửi Sở Nội vụ, Sở Tài chính và các đơn vị liên quan"
    assert len({detect_language(text) for _ in range(5)}) == 1
