"""Benchmark the embedded search index (SQLite FTS5) at scale.

    .venv/bin/python bench/search.py --docs 100000
    .venv/bin/python bench/search.py --docs 1000000 --keep /tmp/docket-bench

Synthesises N realistic Vietnamese documents (subject, ~1-2 KB body, metadata),
indexes them into a ``SqliteIndex`` in a temporary folder, merges its FTS
segments (``SqliteIndex.optimize``, unless ``--no-optimize``), then prints
median and 95th-percentile latency of typical archivist queries, the average
number of matches (totals stop at ``TOTAL_CAP``: "capped" says how many
results only know "more than"), and whether facet counts were estimated ("~").  Target: p95 under
100 ms at 1,000,000 documents.  Nothing is written inside the repository.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named like the ``search`` package: make sure the package wins.
_ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _ROOT / "bench"]
sys.path.insert(0, str(_ROOT))

import argparse  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import sqlite3  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from datetime import date, datetime, timedelta  # noqa: E402

from search.model import (  # noqa: E402
    FACET_FIELDS,
    IndexDocument,
    SearchFilters,
    SearchQuery,
    SearchResult,
)
from search.sqlite_index import SqliteIndex  # noqa: E402

TYPES = {
    "Quyết định": "QĐ",
    "Công văn": "",
    "Kế hoạch": "KH",
    "Báo cáo": "BC",
    "Tờ trình": "TTr",
    "Thông báo": "TB",
    "Nghị quyết": "NQ",
    "Chỉ thị": "CT",
    "Giấy mời": "GM",
    "Công điện": "CĐ",
}
BODIES = [
    ("ỦY BAN NHÂN DÂN TỈNH {p}", "UBND"),
    ("SỞ TÀI CHÍNH TỈNH {p}", "STC"),
    ("SỞ NỘI VỤ TỈNH {p}", "SNV"),
    ("SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH {p}", "SGDĐT"),
    ("SỞ Y TẾ TỈNH {p}", "SYT"),
    ("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG TỈNH {p}", "STNMT"),
    ("HỘI ĐỒNG NHÂN DÂN TỈNH {p}", "HĐND"),
    ("BỘ NỘI VỤ", "BNV"),
    ("VĂN PHÒNG CHÍNH PHỦ", "VPCP"),
    ("BỘ TÀI CHÍNH", "BTC"),
]
PLACES = [
    "Lâm Đồng", "Đắk Lắk", "Quảng Nam", "Nghệ An", "Thanh Hóa", "Hà Tĩnh", "Bình Định",
    "Cà Mau", "Sơn La", "Lào Cai", "Khánh Hòa", "Đồng Tháp", "An Giang", "Thái Nguyên",
    "Bắc Ninh", "Hải Dương", "Quảng Ninh", "Phú Yên", "Gia Lai", "Kon Tum",
]  # fmt: skip
TOPICS = [
    "phòng chống thiên tai và tìm kiếm cứu nạn", "quản lý đất đai", "giải phóng mặt bằng",
    "xây dựng nông thôn mới", "chuyển đổi số", "cải cách hành chính", "phòng chống dịch bệnh",
    "tuyển dụng viên chức", "thi đua khen thưởng", "dự toán ngân sách nhà nước",
    "đầu tư công trung hạn", "bảo vệ môi trường", "an toàn giao thông", "phòng cháy chữa cháy",
    "giảm nghèo bền vững", "bảo hiểm xã hội", "quy hoạch sử dụng đất", "sắp xếp đơn vị hành chính",
    "kiểm tra công tác văn thư lưu trữ", "tổ chức kỳ thi tốt nghiệp trung học phổ thông",
    "tiêm chủng mở rộng", "phát triển du lịch", "hỗ trợ doanh nghiệp nhỏ và vừa",
    "thu hồi đất để thực hiện dự án", "công nhận xã đạt chuẩn", "bồi dưỡng cán bộ công chức",
    "thanh tra công vụ", "phòng chống tham nhũng", "quản lý chất thải rắn", "cấp nước sạch",
    "trồng rừng thay thế", "hạn hán và xâm nhập mặn", "bão số 3 và mưa lũ", "sạt lở đất",
]  # fmt: skip
ACTIONS = [
    "Về việc {t} trên địa bàn tỉnh {p}", "V/v triển khai {t} năm {y}",
    "Phê duyệt kế hoạch {t} giai đoạn {y}-{y2}", "Báo cáo kết quả {t} quý {q} năm {y}",
    "Về việc tăng cường {t}", "V/v góp ý dự thảo quy định về {t}",
]  # fmt: skip
SENTENCES = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015.",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư.",
    "Theo đề nghị của Giám đốc Sở {b} tại Tờ trình số {n}/TTr-S ngày {d}.",
    "Ủy ban nhân dân tỉnh {p} yêu cầu các sở, ban, ngành và Ủy ban nhân dân các huyện triển khai {t}.",  # noqa: E501
    "Giao Sở Tài chính chủ trì, phối hợp với các đơn vị liên quan hướng dẫn thực hiện {t}.",
    "Các cơ quan, đơn vị báo cáo kết quả thực hiện trước ngày {d} để tổng hợp.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, kịp thời báo cáo để xem xét giải quyết.",  # noqa: E501
    "Kinh phí thực hiện từ nguồn ngân sách địa phương năm {y} và các nguồn hợp pháp khác.",
    "Tổng số hộ bị ảnh hưởng là {n} hộ, thiệt hại ước tính {n} triệu đồng.",
    "Đề nghị Ủy ban nhân dân cấp xã tăng cường kiểm tra, giám sát việc {t}.",
    "Quyết định này có hiệu lực kể từ ngày ký.",
    "Chánh Văn phòng, Thủ trưởng các sở, ngành và Chủ tịch Ủy ban nhân dân các huyện chịu trách nhiệm thi hành.",  # noqa: E501
    "Tình hình mưa lũ diễn biến phức tạp, nhiều tuyến đường bị ngập sâu và chia cắt.",
    "Sở Nội vụ tổng hợp danh sách cán bộ, công chức, viên chức đủ điều kiện.",
    "Thực hiện chỉ đạo của Thủ tướng Chính phủ tại Công điện số {n}/CĐ-TTg ngày {d}.",
    "Kết quả giải ngân vốn đầu tư công đạt {n}% kế hoạch được giao.",
    "Hội đồng thẩm định đã họp và thống nhất thông qua hồ sơ đề nghị.",
    "Người dân được hỗ trợ {n} nghìn đồng mỗi tháng trong thời gian {n} tháng.",
    "Các trường học bố trí phòng thi, giám thị và bảo đảm an ninh, an toàn tuyệt đối.",
    "Đoàn kiểm tra làm việc trực tiếp tại trụ sở cơ quan từ ngày {d}.",
]  # fmt: skip


def synthesise(n: int, seed: int = 7) -> Iterator[IndexDocument]:
    """``n`` plausible incoming/outgoing documents spread over five years."""
    rng = random.Random(seed)
    start = datetime(2021, 1, 1, 7, 30)
    for i in range(n):
        kind = rng.choice(list(TYPES))
        place = rng.choice(PLACES)
        body_name, body_abbr = rng.choice(BODIES)
        issuer = body_name.format(p=place.upper())
        topic = rng.choice(TOPICS)
        received = start + timedelta(minutes=rng.randrange(5 * 365 * 24 * 60))
        year = received.year
        number = rng.randrange(1, 3000)
        symbol = f"{TYPES[kind]}-{body_abbr}" if TYPES[kind] else f"{body_abbr}-VP"

        def fill(template: str, topic: str = topic, place: str = place,
                 body_abbr: str = body_abbr, year: int = year) -> str:  # fmt: skip
            return template.format(
                t=rng.choice(TOPICS) if rng.random() < 0.3 else topic,
                p=place,
                b=body_abbr,
                y=year,
                y2=year + 4,
                q=rng.randrange(1, 5),
                n=rng.randrange(1, 9999),
                d=f"{rng.randrange(1, 29):02d}/{rng.randrange(1, 13):02d}/{year}",
            )

        body = " ".join(fill(rng.choice(SENTENCES)) for _ in range(rng.randrange(10, 20)))
        yield IndexDocument(
            doc_id=f"doc-{i:08d}",
            direction=rng.choice(("incoming", "incoming", "outgoing")),
            folder=rng.choice(("inbox/van-thu", "inbox/so-noi-vu", "inbox/scan")),
            original_name=f"scan_{i:08d}.pdf",
            detected_type="application/pdf",
            doc_type=kind,
            issuing_body=issuer,
            number_symbol=f"{number}/{symbol}",
            issue_date=(received - timedelta(days=rng.randrange(0, 10))).date(),
            received_at=received,
            registration_year=year,
            registration_number=i + 1,
            language="vi",
            secrecy=rng.choice((0,) * 17 + (1, 2, 3)),
            signer_name=rng.choice(("Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường")),
            references=[f"{rng.randrange(1, 400)}/2020/NĐ-CP"] if rng.random() < 0.2 else [],
            subject=fill(rng.choice(ACTIONS)),
            body=body,
            page_count=rng.randrange(1, 12),
        )


def index_all(index: SqliteIndex, n: int, batch: int = 2000) -> float:
    """Index ``n`` synthetic documents; documents per second."""
    began = time.perf_counter()
    pending: list[IndexDocument] = []
    for i, doc in enumerate(synthesise(n), 1):
        pending.append(doc)
        if len(pending) >= batch:
            index.index_documents(pending)
            pending = []
        if i % 100_000 == 0:
            print(f"  indexed {i:,} ({i / (time.perf_counter() - began):,.0f}/s)", flush=True)
    index.index_documents(pending)
    return n / (time.perf_counter() - began)


def _scenarios() -> dict[str, list[Callable[[SqliteIndex], object]]]:
    words = ["lũ", "viên chức", "ngân sách", "sạt", "tham nhũng", "giải ngân", "hạn hán"]
    plain = ["dat dai", "thien tai", "chuyen doi so", "nong thon", "tuyen dung", "du lich"]
    phrases = ['"phòng cháy chữa cháy"', '"xâm nhập mặn"', '"cấp nước sạch"', '"trồng rừng"']
    no_facets: tuple[str, ...] = ()
    year = SearchFilters(
        direction="incoming", received_from=date(2023, 1, 1), received_to=date(2023, 12, 31)
    )

    def q(text: str, filters: SearchFilters | None = None, facets: tuple[str, ...] = no_facets,
          sort: str = "relevance") -> Callable[[SqliteIndex], object]:  # fmt: skip
        query = SearchQuery(text=text, filters=filters or SearchFilters(), facets=facets, sort=sort)
        return lambda index: index.search(query)

    return {
        "one word": [q(w) for w in words],
        "two words, no diacritics": [q(w) for w in plain],
        "phrase": [q(p) for p in phrases],
        "query + filters": [q(w, year) for w in words],
        # Most staff may see open documents only: the secrecy filter is on.
        "query, open clearance": [q(w, SearchFilters(max_secrecy=0)) for w in words],
        "filter-only browse": [
            q("", SearchFilters(doc_type=t, issued_from=date(2022, 1, 1))) for t in TYPES
        ],
        "query + facets": [q(w, facets=("direction", "doc_type", "issuing_body")) for w in words],
        "browse + facets": [
            q("", SearchFilters(doc_type=t), facets=("direction", "issuing_body")) for t in TYPES
        ],
        # The archivist's first page: no text, no filter, the whole filter panel,
        # for each clearance (a user's counts cover only what they may open).
        "first page, each clearance": [
            q("", SearchFilters(max_secrecy=level), facets=FACET_FIELDS, sort="date_desc")
            for level in range(4)
        ],
        "browse + facets, open only": [
            q("", SearchFilters(doc_type=t, max_secrecy=0), facets=FACET_FIELDS) for t in TYPES
        ],
        "monthly counts (a year)": [
            (lambda index, y=y: index.monthly_counts(
                SearchFilters(received_from=date(y, 1, 1), received_to=date(y, 12, 31))))
            for y in range(2021, 2026)
        ],  # fmt: skip
    }


def measure(index: SqliteIndex, rounds: int) -> None:
    """Print median and p95 latency per scenario, and the p95 of the CPU time spent.

    On a shared machine the wall-clock figures grow with the load; the CPU
    time of this process shows what a query costs by itself.
    """
    print(
        f"{'scenario':28} {'median ms':>10} {'p95 ms':>10} {'max ms':>10} {'p95 cpu':>8}"
        f" {'avg total':>10} {'capped':>8} {'facets':>8}"
    )
    for name, calls in _scenarios().items():
        timings: list[float] = []
        cpu: list[float] = []
        totals: list[int] = []
        estimated = 0  # results whose facet counts are estimates ("about")
        capped = 0  # results whose total is only "more than" (TOTAL_CAP)
        for _ in range(rounds):
            for call in calls:
                began, began_cpu = time.perf_counter(), time.process_time()
                result = call(index)
                timings.append((time.perf_counter() - began) * 1000)
                cpu.append((time.process_time() - began_cpu) * 1000)
                # How many documents matched: costs still grow with it.
                totals.append(getattr(result, "total", None) or 0)
                exact = getattr(result, "facets_exact", True)  # older SearchResults: exact
                if isinstance(result, SearchResult) and result.facets and not exact:
                    estimated += 1
                if not getattr(result, "total_exact", True):
                    capped += 1
        facets = f"{estimated}/{len(timings)} ~" if estimated else "exact"
        more = f"{capped}/{len(timings)}" if capped else "-"
        print(
            f"{name:28} {statistics.median(timings):10.1f} {_p95(timings):10.1f}"
            f" {max(timings):10.1f} {_p95(cpu):8.1f} {statistics.mean(totals):10,.0f}"
            f" {more:>8} {facets:>8}"
        )


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def describe_machine() -> str:
    """The machine, its load and the code measured: what a reader needs to reproduce a figure."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(_ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(_ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit, dirty = "unknown", ""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info
                        if line.startswith("model name")), cpu)  # fmt: skip
    except OSError:
        pass
    return (
        f"machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()},"
        f" Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}\n"
        f"commit: {commit}{' (with uncommitted changes)' if dirty else ''}"
    )


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def report_size(path: Path, docs: int, text_bytes: int) -> None:
    """Bytes per document, the ratio to the raw text, and what each table costs."""
    db = sqlite3.connect(path)
    # The write-ahead log holds pages the file will take back: fold it in first.
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (free,) = db.execute("SELECT freelist_count * page_size FROM pragma_freelist_count,"
                         " pragma_page_size").fetchone()  # fmt: skip
    files = sum(f.stat().st_size for f in path.parent.glob(path.name + "*"))
    per_doc, ratio = files / max(docs, 1), files / max(text_bytes, 1)
    text_per_doc = text_bytes / max(docs, 1)
    print(
        f"index size: {files / 1e6:,.0f} MB for {docs:,} documents: {per_doc:,.0f} bytes/document,"
        f" {ratio:.2f}x the raw text ({text_per_doc:,.0f} bytes/document of subject and body)"
    )
    print(f"  {'free pages (reused by later writes)':44} {free / 1e6:10,.1f} MB")
    try:
        rows = db.execute(
            "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"
        ).fetchall()
    except sqlite3.Error:  # SQLite built without the dbstat table
        rows = []
    finally:
        db.close()
    groups: dict[str, int] = {}
    for name, size in rows:
        groups[_part(name)] = groups.get(_part(name), 0) + size
    for part, size in sorted(groups.items(), key=lambda item: -item[1]):
        print(f"  {part:44} {size / 1e6:10,.1f} MB {size / max(docs, 1):8,.0f} B/doc")


def _part(table: str) -> str:
    """What a table or index of the file is for, as the size report names it."""
    if table.startswith("fts_"):
        # The folded text columns (what every query matches) and the tags.
        return "fts (full-text index, folded columns + tags)"
    if table.startswith("written_"):
        # The words with diacritics as written, no positions: relevance only.
        return "written (words as written, for relevance)"
    if table == "doc_data":
        return "doc_data (stored documents, zlib JSON)"
    if table.startswith(("ix_", "sqlite_autoindex_docs")) or table == "docs":
        return "docs (filter/sort columns + their indexes)"
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="index folder to create or reuse")
    parser.add_argument(
        "--no-optimize",
        action="store_true",
        help="measure the index as loaded, without merging its FTS segments first",
    )
    args = parser.parse_args()
    print(describe_machine())
    print(f"load average before: {load_average()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="docket-bench-") as tmp:
        folder = args.keep or Path(tmp)
        index = SqliteIndex(folder / "index.sqlite")
        if index.count() != args.docs:
            print(f"indexing {args.docs:,} documents into {folder} ...", flush=True)
            rate = index_all(index, args.docs)
            print(f"indexing: {rate:,.0f} documents/s")
        if not args.no_optimize:
            began = time.perf_counter()
            index.optimize()  # as rebuild() does, and a nightly task should
            print(f"optimize: {time.perf_counter() - began:,.1f} s")
        text_bytes = sum(len(d.subject.encode()) + len(d.body.encode())
                         for d in synthesise(args.docs))  # fmt: skip
        report_size(folder / "index.sqlite", index.count(), text_bytes)
        # Searched through a connection of its own, as the web server's: the one
        # that wrote a million documents answered browse + facets 100x slower.
        index.close()
        index = SqliteIndex(folder / "index.sqlite")
        measure(index, args.rounds)
        index.close()
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
