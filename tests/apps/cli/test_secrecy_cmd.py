"""``docket secrecy`` and ``docket register-book --secret``, run as an administrator would."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.apps.cli.test_commands import docket
from tests.ingest.test_secrecy import cong_van


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict]]:
    """Two open incoming documents and one MẬT, ingested by ``docket ingest``."""
    data_dir = tmp_path_factory.mktemp("cli-secrecy")
    for name, (number, mark) in {"mot.txt": (1, ""), "hai.txt": (2, ""),
                                 "mat.txt": (3, "MẬT")}.items():
        target = data_dir / "inbox" / "incoming" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(cong_van(number, mark), encoding="utf-8")
    result = docket(data_dir, "--lang", "en", "ingest", "--json")
    assert result.returncode == 0, result.stderr
    files = {f["original_name"]: f for f in json.loads(result.stdout)["files"]}
    return data_dir, files


def test_marking_moves_the_document_to_the_secret_book(
    ingested: tuple[Path, dict[str, dict]],
) -> None:
    data_dir, files = ingested
    year = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).year
    assert files["mat.txt"]["registration"] == f"1/{year}-M"
    doc_id = files["hai.txt"]["doc_id"]
    old = files["hai.txt"]["registration"]
    marked = docket(data_dir, "secrecy", doc_id, "mật", "--by", "Trần Thị C",
                    "--reason", "Quyết định 15/QĐ-SNV")
    assert marked.returncode == 0, marked.stderr
    assert f"không mật → MẬT, số {old} → 2/{year}-M" in marked.stdout
    shown = json.loads(docket(data_dir, "show", doc_id, "--json").stdout)
    assert shown["registration"]["book"] == "secret"
    assert shown["secrecy_changes"][0]["old_registration"]["number"] == int(old.split("/")[0])
    ordinary = docket(data_dir, "register-book", str(year))
    secret = docket(data_dir, "register-book", str(year), "--direction", "incoming", "--secret")
    assert ordinary.returncode == secret.returncode == 0
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in ordinary.stdout and "Độ mật" not in ordinary.stdout
    assert ordinary.stdout.count("SNV-VP") == 1  # only mot.txt is left in it
    assert "SỔ ĐĂNG KÝ VĂN BẢN MẬT ĐẾN" in secret.stdout
    assert secret.stdout.count("SNV-VP") == 2
    audited = docket(data_dir, "audit", "list", "--action", "secrecy", "--doc", doc_id)
    assert audited.returncode == 0 and "Trần Thị C" in audited.stdout, audited.stdout
    assert "Quyết định 15/QĐ-SNV" in audited.stdout
    nothing = docket(data_dir, "--lang", "en", "secrecy", "--separate-existing",
                     "--by", "admin", "--reason", "upgrade")
    assert nothing.returncode == 0 and "No secret document" in nothing.stdout


@pytest.mark.parametrize("args", [
    ("0123456789abcdef", "MẬT"),  # no such document
    ("{doc}", "bí mật"),  # no such mark
    ("{doc}",),  # no mark
    ("--separate-existing", "{doc}", "MẬT"),  # both at once
])
def test_mistakes_are_one_line_and_change_nothing(
    ingested: tuple[Path, dict[str, dict]], args: tuple[str, ...]
) -> None:
    data_dir, files = ingested
    doc_id = files["mot.txt"]["doc_id"]
    result = docket(data_dir, "secrecy", *(a.format(doc=doc_id) for a in args),
                    "--by", "a", "--reason", "b")
    assert result.returncode != 0
    assert result.stderr.startswith("docket: ") and "Traceback" not in result.stderr
    shown = json.loads(docket(data_dir, "show", doc_id, "--json").stdout)
    assert shown["secrecy_changes"] == []
