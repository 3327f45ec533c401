"""Messages in Vietnamese (the default) and English.

Every table of words in Docket (these messages, the web pages' labels, the
monthly report's) is a ``Catalog``: key -> {language: text}, read through
``lookup``.  A text missing in one language falls back to English; an unknown
key to the key itself, so a missing translation never breaks a command.
"""

from __future__ import annotations

from collections.abc import Mapping

Catalog = Mapping[str, Mapping[str, str]]  # key -> {"vi": ..., "en": ...}


def lookup(catalog: Catalog, key: str, language: str, **values: object) -> str | None:
    """``key``'s text in ``language`` (English if it has none), ``values`` filled in;
    None when ``catalog`` does not know ``key``."""
    texts = catalog.get(key)
    if texts is None:
        return None
    text = texts.get(language) or texts.get("en") or key
    return text.format(**values) if values else text


MESSAGES: Catalog = {
    "error": {"vi": "lỗi", "en": "error"},
    "archived": {"vi": "đã lưu trữ", "en": "archived"},
    "duplicate": {"vi": "trùng lặp", "en": "duplicate"},
    "quarantined": {"vi": "cách ly", "en": "quarantined"},
    "returned": {"vi": "trả lại hộp thư", "en": "returned to inbox"},
    "indexed": {"vi": "đã đánh chỉ mục", "en": "indexed"},
    "waiting_for_index": {"vi": "chờ đánh chỉ mục", "en": "waiting for the index"},
    "settling": {"vi": "đang được chép vào, để lần sau", "en": "still being written, left"},
    "recovered": {"vi": "lấy lại từ lần chạy trước", "en": "taken back from an earlier run"},
    "held": {"vi": "đang do lần chạy khác xử lý", "en": "held by a run in progress"},
    "left_for_next_run": {"vi": "còn trong hàng chờ, lần chạy sau xử lý tiếp",
                          "en": "left in the pool for the next run"},
    "held_elsewhere": {"vi": "{count} tệp đang do một lần chạy khác xử lý.",
                       "en": "{count} files are being processed by another run."},
    "run_stopped": {
        "vi": "Lần chạy đã dừng giữa chừng. Đã lưu trữ {archived} tệp; {returned} tệp đã trả lại "
              "hộp thư và {waiting} tệp chờ trong vùng làm việc, lần chạy sau sẽ xử lý; "
              "không mất tệp nào.",
        "en": "The run stopped before the end. {archived} files were archived; {returned} "
              "went back to the inbox and {waiting} wait in the work area for the next run; "
              "nothing was lost."},
    "same_content": {"vi": "cùng nội dung với {doc_id} (văn bản {direction} số {registration})",
                     "en": "same content as {doc_id} ({direction} no. {registration})"},
    "returned_for_next_run": {"vi": "đã trả lại hộp thư, lần chạy sau sẽ xử lý",
                              "en": "returned to the inbox for the next run"},
    "detail": {"vi": "chi tiết kỹ thuật", "en": "technical detail"},
    "summary": {"vi": "Tổng kết", "en": "Summary"},
    "progress": {"vi": "Đang xử lý", "en": "Processing"},
    "no_files": {"vi": "Không có tệp mới trong hộp thư.", "en": "No new files in the inbox."},
    "incoming": {"vi": "đến", "en": "incoming"},
    "outgoing": {"vi": "đi", "en": "outgoing"},
    "results": {"vi": "{total} kết quả", "en": "{total} results"},
    "results_more": {"vi": "Hơn {total} kết quả", "en": "More than {total} results"},
    "results_about": {"vi": "Khoảng {total} kết quả", "en": "About {total} results"},
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
    "index_unavailable": {
        "vi": "Chỉ mục tìm kiếm chưa sẵn sàng: các văn bản đã được lưu trữ và sẽ được "
              "đánh chỉ mục ở lần sau (docket index).",
        "en": "The search index is not available: the documents are archived and will be "
              "indexed later (docket index)."},
    "serve_without_tls": {
        "vi": "cảnh báo: đang nghe trên {address} không có TLS; mật khẩu và phiên đăng nhập "
              "đi qua mạng không mã hóa. Hãy đặt một reverse proxy có TLS phía trước "
              "(docs/reverse-proxy.md) hoặc đặt web_tls_certfile và web_tls_keyfile.",
        "en": "warning: listening on {address} without TLS; passwords and sessions cross "
              "the network in clear. Put a TLS reverse proxy in front "
              "(docs/reverse-proxy.md) or set web_tls_certfile and web_tls_keyfile.",
    },
    "audit_ok": {"vi": "Nhật ký truy cập nguyên vẹn: {count} mục; mục cuối #{seq} {hash}",
                 "en": "Audit chain intact: {count} entries; head #{seq} {hash}"},
    "audit_empty": {"vi": "Nhật ký truy cập chưa có mục nào.", "en": "The audit chain is empty."},
    "audit_broken": {"vi": "Nhật ký truy cập bị sửa đổi: {count} mục đầu nguyên vẹn; "
                           "mục #{seq}: {why}",
                     "en": "Audit chain broken: the first {count} entries hold; "
                           "entry #{seq}: {why}"},
    "audit_break_edited": {"vi": "nội dung không khớp mã băm của nó (bị sửa hoặc giả mạo)",
                           "en": "its content does not match its hash (edited or forged)"},
    "audit_break_missing": {"vi": "thiếu các mục #{expected} đến #{before} (bị xóa)",
                            "en": "entries #{expected} to #{before} are missing (deleted)"},
    "audit_break_relinked": {"vi": "mã băm mục trước ghi trong mục ({found}) không phải mã "
                                   "băm của mục trước ({expected}): có mục bị chèn, thay "
                                   "hoặc viết lại",
                             "en": "its previous-hash {found} is not the hash {expected} of "
                                   "the entry before (an entry was inserted, replaced or "
                                   "rewritten)"},
    "audit_break_out_of_sequence": {"vi": "số thứ tự không thể đứng sau #{expected} (bị chèn)",
                                    "en": "this number cannot follow #{expected} (inserted)"},
    "audit_break_truncated": {"vi": "chuỗi dừng ở #{found}: các mục từ #{seq} trở đi đã bị "
                                    "cắt bỏ",
                              "en": "the chain ends at #{found}: entries from #{seq} on were "
                                    "cut off"},
    "audit_break_anchor_mismatch": {"vi": "mã băm là {found}, mục cuối đã ghi nhận là "
                                          "{expected}",
                                    "en": "its hash is {found}, the recorded head says "
                                          "{expected}"},
    "reindex_refused": {
        "vi": "Chỉ mục tìm kiếm từ chối {count} văn bản: chỉ mục cũ vẫn được dùng, "
              "các văn bản này vẫn chờ đánh chỉ mục.",
        "en": "The search index refused {count} documents: the old index stays in use "
              "and these documents are still waiting for the index.",
    },
    "secrecy_moved": {"vi": "{doc_id}: {old} → {new}, số {old_number} → {new_number} "
                            "(chuyển sổ; số cũ không dùng lại)",
                      "en": "{doc_id}: {old} → {new}, number {old_number} → {new_number} "
                            "(moved between books; the old number is never reused)"},
    "secrecy_kept": {"vi": "{doc_id}: {old} → {new}, giữ số {old_number}",
                     "en": "{doc_id}: {old} → {new}, keeps number {old_number}"},
    "not_secret": {"vi": "không mật", "en": "not secret"},
    "nothing_to_separate": {"vi": "Không có văn bản mật nào nằm trong sổ thường.",
                            "en": "No secret document is in the ordinary book."},
    # Corrections of a document's metadata (ingest.corrections.CorrectionRefused).
    "field_number_symbol": {"vi": "Số, ký hiệu", "en": "Number/symbol"},
    "field_issue_date": {"vi": "Ngày ban hành", "en": "Issue date"},
    "field_doc_type": {"vi": "Loại văn bản", "en": "Type"},
    "field_issuing_body": {"vi": "Cơ quan ban hành", "en": "Issuing body"},
    "field_signer_name": {"vi": "Người ký", "en": "Signed by"},
    "field_subject": {"vi": "Trích yếu", "en": "Subject"},
    "field_urgency": {"vi": "Độ khẩn", "en": "Urgency"},
    "field_secrecy": {"vi": "Độ mật", "en": "Secrecy"},
    "correction_unknown_field": {"vi": "Không sửa được trường {field}.",
                                 "en": "The field {field} cannot be corrected."},
    "correction_bad_text": {"vi": "{field}: có ký tự điều khiển.",
                            "en": "{field}: contains control characters."},
    "correction_too_long": {"vi": "{field}: tối đa {most} ký tự.",
                            "en": "{field}: at most {most} characters."},
    "correction_bad_date": {"vi": "Ngày ban hành: không phải là ngày (dd/mm/yyyy): {value}",
                            "en": "Issue date: not a date (dd/mm/yyyy): {value}"},
    "correction_date_range": {"vi": "Ngày ban hành {value}: không được sau hôm nay hay trước "
                                    "năm 1900.",
                              "en": "Issue date {value}: cannot be after today or before 1900."},
    "correction_bad_type": {"vi": "Loại văn bản không có trong danh mục: {value}",
                            "en": "Not a known document type: {value}"},
    "correction_bad_urgency": {"vi": "Độ khẩn: một trong {marks}, hoặc để trống.",
                               "en": "Urgency: one of {marks}, or empty."},
    "correction_bad_symbol": {"vi": "Số, ký hiệu phải có số văn bản: {value}",
                              "en": "A number/symbol carries a number: {value}"},
    "correction_stale": {"vi": "Văn bản vừa được người khác sửa; vui lòng tải lại trang và "
                               "kiểm tra lại.",
                         "en": "Someone else has just changed this document; reload the page "
                               "and check again."},
    "correction_bad_secrecy": {"vi": "Độ mật: MẬT, TỐI MẬT, TUYỆT MẬT hoặc để trống.",
                               "en": "Secrecy: MẬT, TỐI MẬT, TUYỆT MẬT or empty."},
    "secrecy_lower_admin_only": {"vi": "Chỉ quản trị viên được hạ hoặc bỏ độ mật.",
                                 "en": "Only an admin may lower or lift a secrecy mark."},
    "secrecy_reason_needed": {"vi": "Đổi độ mật cần ghi lý do (ví dụ số văn bản quyết định).",
                              "en": "A secrecy change needs a reason (a decision's number, say)."},
    "correction_nothing": {"vi": "Không có gì thay đổi: sửa một trường hoặc đánh dấu xác nhận.",
                           "en": "Nothing changed: correct a field or tick a confirmation."},
    # Document tracking (ingest.tracking): assignment status and its refusals.
    "tracking_status_waiting": {"vi": "chờ xử lý", "en": "waiting"},
    "tracking_status_in_progress": {"vi": "đang xử lý", "en": "in progress"},
    "tracking_status_done": {"vi": "đã xử lý", "en": "handled"},
    "tracking_status_returned": {"vi": "trả lại", "en": "returned"},
    "tracking_move_refused": {"vi": "Không thể chuyển văn bản từ “{old}” sang “{new}”.",
                              "en": "A document cannot move from “{old}” to “{new}”."},
    "tracking_closed": {"vi": "Việc xử lý đã kết thúc (“{old}”): không đổi được nữa; cần thì "
                              "phân công lại.",
                        "en": "This assignment is closed (“{old}”) and cannot change; assign "
                              "the document again if needed."},
    "tracking_note_needed": {"vi": "Cần ghi kết quả xử lý.",
                             "en": "Write what was done (a result note)."},
    "tracking_reason_needed": {"vi": "Trả lại văn bản cần ghi lý do.",
                               "en": "Returning a document needs a reason."},
    "tracking_not_member": {"vi": "{user} không thuộc đơn vị {unit}.",
                            "en": "{user} is not a member of the unit {unit}."},
    "tracking_already_assigned": {"vi": "Văn bản đã giao cho đơn vị {unit} và đang chờ xử lý.",
                                  "en": "The document is already assigned to {unit}, still "
                                        "open."},
    "tracking_not_incoming": {"vi": "Chỉ văn bản đến mới được giao xử lý.",
                              "en": "Only incoming documents are assigned for handling."},
    "tracking_answer_not_outgoing": {"vi": "Văn bản trả lời phải là văn bản đi đã đăng ký.",
                                     "en": "The answer must be a registered outgoing "
                                           "document."},
    "tracking_changed": {"vi": "Văn bản số đến {label}: {unit} ({role}), {status}, hạn {deadline}.",
                         "en": "Document no. {label}: {unit} ({role}), {status}, due {deadline}."},
    "tracking_role_lead": {"vi": "chủ trì", "en": "lead"},
    "tracking_role_cooperating": {"vi": "phối hợp", "en": "cooperating"},
    "tracking_nothing_open": {"vi": "Không có văn bản nào đang chờ xử lý.",
                              "en": "No open assignments."},
    "tracking_overdue_days": {"vi": "quá hạn {days} ngày làm việc",
                              "en": "{days} working days overdue"},
    "tracking_list_title": {"vi": "VĂN BẢN ĐẾN ĐANG XỬ LÝ", "en": "OPEN INCOMING DOCUMENTS"},
    "tracking_unknown_unit": {"vi": "Không có đơn vị “{unit}” trong cấu hình "
                                    "([[tracking.units]]).",
                              "en": "No unit “{unit}” is configured ([[tracking.units]])."},
    "tracking_no_assignment": {"vi": "Văn bản {doc_id} chưa giao cho đơn vị {unit}.",
                               "en": "The document {doc_id} has no open assignment to {unit}."},
    "tracking_digest_written": {"vi": "{unit}: {overdue} quá hạn, {due} sắp đến hạn: {path}",
                                "en": "{unit}: {overdue} overdue, {due} due soon: {path}"},
    "tracking_unit_needed": {"vi": "Văn bản đã giao cho nhiều đơn vị: ghi rõ --unit.",
                             "en": "The document is assigned to several units: give --unit."},
}


# Why a file was quarantined, as a clerk reads it: the reason code's meaning,
# never a library's words (those go in the separate technical detail).
REASONS: Catalog = {
    "corrupt": {"vi": "tệp bị hỏng hoặc không đọc được",
                "en": "the file is damaged or cannot be read"},
    "encrypted": {"vi": "tệp có mật khẩu, không mở được",
                  "en": "the file is password-protected"},
    "empty": {"vi": "tệp rỗng, không có nội dung", "en": "the file is empty"},
    "too_large": {"vi": "tệp quá lớn, vượt giới hạn cho phép",
                  "en": "the file is larger than the limit allows"},
    "timeout": {"vi": "xử lý tệp quá lâu, đã dừng", "en": "the file took too long to process"},
    "unsupported": {"vi": "loại tệp không được hỗ trợ", "en": "the file type is not supported"},
    "hostile": {"vi": "tệp có dấu hiệu nguy hiểm (ví dụ bom nén)",
                "en": "the file looks hostile (e.g. a zip bomb)"},
    "crashed": {"vi": "chương trình đọc tệp bị lỗi khi mở tệp này",
                "en": "the reader crashed on this file"},
    "killed": {"vi": "tiến trình xử lý bị dừng từ bên ngoài hai lần (máy hết bộ nhớ?)",
               "en": "its processing was killed from outside twice (the machine out of memory?)"},
    "ocr_failed": {"vi": "không nhận dạng được chữ trên trang nào",
                   "en": "no page could be read by OCR"},
    "not_a_regular_file": {"vi": "không phải tệp thông thường (liên kết, đường ống…), không mở",
                           "en": "not a regular file (a link, a pipe…), not opened"},
}


def reason_text(reason: str, language: str) -> str:
    """What quarantine reason code ``reason`` means, in ``language``."""
    return lookup(REASONS, reason, language) or reason


def reason_sentence(reason: str, language: str) -> str:
    """``reason_text`` as a sentence, for a reason file."""
    text = reason_text(reason, language)
    return text[:1].upper() + text[1:] + "."


def translate(key: str, language: str, **values: object) -> str:
    """The message ``key`` in ``language`` ("vi" or "en"), formatted with ``values``."""
    return lookup(MESSAGES, key, language, **values) or key
