"""``docket assign``, ``docket tracking`` and ``docket register-book --tracking``, run for real."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.apps.cli.test_commands import docket
from tests.ingest.test_secrecy import cong_van

UNITS = json.dumps([{"code": "so-tai-chinh", "name": "Sở Tài chính", "members": ["lan"]},
                    {"code": "so-noi-vu", "name": "Sở Nội vụ", "members": ["minh"]}],
                   ensure_ascii=False)
ENV = (f"DOCKET_TRACKING_UNITS={UNITS}",)


def run(data_dir: Path, *args: str) -> str:
    result = docket(data_dir, *args, env=ENV)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """One document dropped in a unit's folder, one in incoming/, one outgoing answer."""
    data_dir = tmp_path_factory.mktemp("cli-tracking")
    for relative, number in {"incoming/so-tai-chinh/mot.txt": 1, "incoming/hai.txt": 2,
                             "outgoing/tra-loi.txt": 7}.items():
        target = data_dir / "inbox" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(cong_van(number), encoding="utf-8")
    files = json.loads(run(data_dir, "--lang", "en", "ingest", "--json"))["files"]
    return data_dir, {f["original_name"]: f["doc_id"] for f in files}


def test_routing_assigning_and_handling_through_the_command_line(
    office: tuple[Path, dict[str, str]],
) -> None:
    data_dir, docs = office
    listed = json.loads(run(data_dir, "tracking", "--json"))["assignments"]
    assert [(a["doc_id"], a["unit"], a["assigned_by"]) for a in listed] == [
        (docs["mot.txt"], "so-tai-chinh", "docket")]  # routed by its folder
    said = run(data_dir, "assign", docs["hai.txt"], "--unit", "so-noi-vu", "--cooperate",
               "so-tai-chinh", "--deadline", "02/03/2026", "--note", "Tham mưu trả lời",
               "--by", "Văn thư")
    assert "Sở Nội vụ (chủ trì), chờ xử lý, hạn 02/03/2026" in said
    assert "Sở Tài chính (phối hợp)" in said
    overdue = json.loads(run(data_dir, "tracking", "--overdue", "--json"))["assignments"]
    assert {(a["unit"], a["role"]) for a in overdue} == {("so-noi-vu", "lead"),
                                                         ("so-tai-chinh", "cooperating")}
    assert all(a["overdue_working_days"] > 100 for a in overdue)
    table = run(data_dir, "tracking", "--unit", "so-noi-vu")
    assert "VĂN BẢN ĐẾN ĐANG XỬ LÝ" in table and "quá hạn" in table
    assert "overdue" in run(data_dir, "--lang", "en", "tracking", "--overdue")
    run(data_dir, "assign", docs["hai.txt"], "--unit", "so-noi-vu", "--start", "--by", "minh")
    done = run(data_dir, "assign", docs["hai.txt"], "--unit", "so-noi-vu", "--done",
               "Đã có văn bản trả lời", "--answer", docs["tra-loi.txt"], "--by", "minh")
    assert "đã xử lý" in done
    year = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).year
    book = run(data_dir, "register-book", str(year), "--tracking")
    assert "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN" in book
    assert "7/SNV-VP" in book  # answered by the outgoing letter
    run(data_dir, "register-book", str(year), "--tracking", "--csv", str(data_dir / "t.csv"))
    rows = (data_dir / "t.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("Số đến,Ngày đến,Tác giả")
    [answered] = [row for row in rows if "2/SNV-VP" in row]  # hai.txt, whatever its number
    assert "(quá hạn)" in answered and "Sở Nội vụ" in answered and "Sở Tài chính" in answered
    english = run(data_dir, "--lang", "en", "register-book", str(year), "--tracking")
    assert "INCOMING DOCUMENTS TRACKING REGISTER" in english and "Lead unit" in english
    audited = run(data_dir, "audit", "list", "--doc", docs["hai.txt"])
    assert "Văn thư" in audited and "minh" in audited
    found = {name: searched(data_dir, *filters) for name, filters in {
        "done": ("--status", "done"), "unit": ("--unit", "so-tai-chinh"),
        "overdue": ("--overdue",), "open+unit": ("--status", "open", "--unit", "so-noi-vu"),
        "none": ()}.items()}
    hai, mot = docs["hai.txt"], docs["mot.txt"]
    assert found["none"] == set(docs.values())  # without a tracking filter: every one
    assert found["done"] == {hai}
    assert found["unit"] == {hai, mot}  # hai cooperating, mot routed by its folder
    assert found["overdue"] == {hai}  # Sở Tài chính's part of hai is still open, and late
    assert found["open+unit"] == set()  # Sở Nội vụ handled hai


def searched(data_dir: Path, *filters: str) -> set[str]:
    """The ids ``docket search --json`` finds with these filters."""
    hits = json.loads(run(data_dir, "search", "--json", *filters))["hits"]
    return {hit["doc_id"] for hit in hits}


@pytest.mark.parametrize(("args", "words"), [
    (("assign", "{hai}", "--unit", "so-xay-dung"), "Không có đơn vị"),
    (("assign", "{tra}", "--unit", "so-noi-vu"), "Chỉ văn bản đến"),
    (("assign", "{hai}", "--unit", "so-noi-vu", "--deadline", "31/02/2026"), "31/02/2026"),
    (("assign", "0123456789abcdef", "--unit", "so-noi-vu"), "0123456789abcdef"),
    (("tracking", "--unit", "so-xay-dung"), "Không có đơn vị"),
])
def test_mistakes_are_one_line_in_vietnamese(office: tuple[Path, dict[str, str]],
                                             args: tuple[str, ...], words: str) -> None:
    data_dir, docs = office
    result = docket(data_dir, *(a.format(hai=docs["hai.txt"], tra=docs["tra-loi.txt"])
                                for a in args), env=ENV)
    assert result.returncode != 0
    last = result.stderr.splitlines()[-1]  # after argparse's usage line, for a bad date
    assert last.startswith("docket: ") and "Traceback" not in result.stderr
    assert words in last


def test_the_digest_of_a_day_is_written_per_unit(office: tuple[Path, dict[str, str]]) -> None:
    data_dir, docs = office
    routed_deadline = next(a["deadline"] for a in json.loads(run(data_dir, "tracking", "--json"))
                           ["assignments"] if a["doc_id"] == docs["mot.txt"])
    day = datetime.strptime(routed_deadline, "%Y-%m-%d")
    said = json.loads(run(data_dir, "tracking", "--digest", "--date", f"{day:%d/%m/%Y}",
                          "--json"))
    # so-tai-chinh: the routed letter falls due that day; it still cooperates on hai.txt,
    # overdue since 02/03/2026 (only the lead unit handled it).
    assert (said["day"], said["units"], said["overdue"], said["due_soon"]) == (
        routed_deadline, 2, 1, 1)
    folder = data_dir / "digests" / routed_deadline
    assert sorted(p.name for p in folder.iterdir()) == [
        "so-noi-vu.json", "so-noi-vu.md", "so-tai-chinh.json", "so-tai-chinh.md"]
    assert "1/SNV-VP" in (folder / "so-tai-chinh.md").read_text(encoding="utf-8")
    printed = run(data_dir, "tracking", "--digest", "--date", f"{day:%d/%m/%Y}")
    assert f"Sở Tài chính: 1 quá hạn, 1 sắp đến hạn: {folder / 'so-tai-chinh.md'}" in printed
