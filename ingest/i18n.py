"""Messages in Vietnamese (the default) and English.

A message is looked up by key; unknown keys fall back to English, then to the
key itself, so a missing translation never breaks a command.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "error": {"vi": "lỗi", "en": "error"},
    "archived": {"vi": "đã lưu trữ", "en": "archived"},
    "duplicate": {"vi": "trùng lặp", "en": "duplicate"},
    "quarantined": {"vi": "cách ly", "en": "quarantined"},
    "returned": {"vi": "trả lại hộp thư", "en": "returned to inbox"},
    "indexed": {"vi": "đã đánh chỉ mục", "en": "indexed"},
    "waiting_for_index": {"vi": "chờ đánh chỉ mục", "en": "waiting for the index"},
    "settling": {"vi": "đang được chép vào, để lần sau", "en": "still being written, left"},
    "recovered": {"vi": "lấy lại từ lần chạy bị ngắt", "en": "taken back from a run that died"},
    "held": {"vi": "đang do lần chạy khác xử lý", "en": "held by a run in progress"},
    "held_elsewhere": {"vi": "{count} tệp đang do một lần chạy khác xử lý.",
                       "en": "{count} files are being processed by another run."},
    "run_stopped": {
        "vi": "Lần chạy đã dừng giữa chừng. Đã lưu trữ {archived} tệp; {returned} tệp đã trả lại "
              "hộp thư và {waiting} tệp chờ trong vùng làm việc, lần chạy sau sẽ xử lý; "
              "không mất tệp nào.",
        "en": "The run stopped before the end. {archived} files were archived; {returned} "
              "went back to the inbox and {waiting} wait in the work area for the next run; "
              "nothing was lost."},
    "detail": {"vi": "chi tiết kỹ thuật", "en": "technical detail"},
    "summary": {"vi": "Tổng kết", "en": "Summary"},
    "progress": {"vi": "Đang xử lý", "en": "Processing"},
    "no_files": {"vi": "Không có tệp mới trong hộp thư.", "en": "No new files in the inbox."},
    "incoming": {"vi": "đến", "en": "incoming"},
    "outgoing": {"vi": "đi", "en": "outgoing"},
    "results": {"vi": "{total} kết quả", "en": "{total} results"},
    "no_results": {"vi": "Không tìm thấy văn bản nào.", "en": "No documents found."},
    "reindexed": {"vi": "Đã dựng lại chỉ mục: {count} văn bản.",
                  "en": "Index rebuilt: {count} documents."},
    "samples_written": {"vi": "Đã tạo {count} tệp mẫu trong {path}",
                        "en": "Wrote {count} sample files to {path}"},
    "staged": {"vi": "Đã chép {count} tệp vào hộp thư {path}",
               "en": "Copied {count} files into the inbox {path}"},
    "watching": {"vi": "Đang theo dõi {path} (Ctrl+C để dừng)",
                 "en": "Watching {path} (Ctrl+C to stop)"},
    "col_reg": {"vi": "Số đăng ký", "en": "Reg. no."},
    "col_direction": {"vi": "Chiều", "en": "Direction"},
    "col_file": {"vi": "Tệp", "en": "File"},
    "col_result": {"vi": "Kết quả", "en": "Result"},
    "col_symbol": {"vi": "Số, ký hiệu", "en": "Number/symbol"},
    "col_type": {"vi": "Loại", "en": "Type"},
    "col_date": {"vi": "Ngày VB", "en": "Date"},
    "col_issuer": {"vi": "Cơ quan ban hành", "en": "Issuing body"},
    "col_subject": {"vi": "Trích yếu", "en": "Subject"},
    "col_id": {"vi": "Mã", "en": "ID"},
    "possible_duplicate": {"vi": "có thể trùng với {ids}", "en": "possible duplicate of {ids}"},
    "index_pending_done": {"vi": "Đã đánh chỉ mục {count} văn bản; còn chờ {pending}.",
                           "en": "Indexed {count} documents; {pending} still waiting."},
    "index_damaged": {
        "vi": "Tệp chỉ mục tìm kiếm {path} bị hỏng ({detail}): hãy chuyển nó sang chỗ khác "
              "(mv {path} {path}.damaged) rồi chạy `docket index` để đánh chỉ mục lại mọi "
              "văn bản, hoặc `docket reindex` để dựng lại từ hồ sơ.",
        "en": "The search index file {path} is damaged ({detail}): move it aside "
              "(mv {path} {path}.damaged) and run `docket index` to index every document "
              "again, or `docket reindex` to rebuild it from the records."},
    "index_unavailable": {"vi": "Chỉ mục tìm kiếm không sẵn sàng: {message}",
                          "en": "Search index unavailable: {message}"},
}


def translate(key: str, language: str, **values: object) -> str:
    """The message ``key`` in ``language`` ("vi" or "en"), formatted with ``values``."""
    entry = MESSAGES.get(key)
    text = key if entry is None else entry.get(language) or entry.get("en") or key
    return text.format(**values) if values else text
