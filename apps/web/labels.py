"""The web pages' words in Vietnamese (default) and English.

Unknown keys fall back to ``kernel.i18n`` (shared CLI messages), then to the key.
"""

from __future__ import annotations

from apps.web.tracking_labels import TRACKING_LABELS
from kernel.i18n import Catalog, lookup, translate

LANGUAGES = ("vi", "en")

LABELS: Catalog = {
    "app_name": {"vi": "Tra cứu văn bản", "en": "Document search"},
    "login": {"vi": "Đăng nhập", "en": "Sign in"},
    "logout": {"vi": "Đăng xuất", "en": "Sign out"},
    "username": {"vi": "Tên đăng nhập", "en": "User name"},
    "password": {"vi": "Mật khẩu", "en": "Password"},
    "bad_login": {"vi": "Sai tên đăng nhập hoặc mật khẩu.", "en": "Wrong user name or password."},
    "account_locked": {"vi": "Tài khoản tạm khóa do đăng nhập sai nhiều lần. "
                             "Vui lòng thử lại sau {time} (khoảng {minutes} phút nữa).",
                       "en": "This account is locked after too many failed sign-ins. "
                             "Try again after {time} (in about {minutes} min)."},
    "address_locked": {"vi": "Máy này đã đăng nhập sai quá nhiều lần. "
                             "Vui lòng thử lại sau {time} (khoảng {minutes} phút nữa).",
                       "en": "Too many failed sign-ins from this computer. "
                             "Try again after {time} (in about {minutes} min)."},
    "search": {"vi": "Tìm kiếm", "en": "Search"},
    "search_hint": {"vi": "Nhập từ khóa, có dấu hoặc không dấu",
                    "en": "Words to find, diacritics optional"},
    # The search box's syntax (search.query_syntax), shown by _syntax_help.html.
    "syntax_help": {"vi": "Cách gõ từ khóa", "en": "How to search"},
    "syntax_all_words": {"vi": "Văn bản có đủ mọi từ", "en": "Documents holding every word"},
    "syntax_phrase": {"vi": "Đúng cụm từ, đúng thứ tự", "en": "The exact phrase, in this order"},
    "syntax_or": {"vi": "Có từ này hoặc từ kia (OR viết hoa)",
                  "en": "Either word (OR in capitals)"},
    "syntax_prefix": {"vi": "Từ bắt đầu bằng «huy»: huyện, huyết…",
                      "en": "Words starting with «huy»: huyện, huyết…"},
    "syntax_exclude": {"vi": "Bỏ các văn bản có từ «lụt»",
                       "en": "Leaving out documents with «lụt»"},
    "syntax_diacritics": {"vi": "Gõ có dấu hay không dấu đều được: «quyet dinh» tìm được "
                                "«Quyết định»; gõ có dấu thì văn bản đúng dấu đứng trước. AND, "
                                "NOT là từ bình thường; dấu câu và dấu ngoặc chỉ ngăn cách các từ.",
                          "en": "Diacritics are optional: «quyet dinh» finds «Quyết định»; typed "
                                "with diacritics, documents with the very same ones come first. "
                                "AND and NOT are ordinary words; punctuation and brackets only "
                                "separate words."},
    "reports": {"vi": "Báo cáo", "en": "Reports"},
    "upload": {"vi": "Tải lên", "en": "Upload"},
    "my_uploads": {"vi": "Văn bản tôi đã tải lên", "en": "My uploads"},
    "filters": {"vi": "Bộ lọc", "en": "Filters"},
    "direction": {"vi": "Chiều", "en": "Direction"},
    "doc_type": {"vi": "Loại văn bản", "en": "Type"},
    "issuing_body": {"vi": "Cơ quan ban hành", "en": "Issuing body"},
    "language": {"vi": "Ngôn ngữ", "en": "Language"},
    "folder": {"vi": "Phòng, ban", "en": "Folder"},
    "issued_from": {"vi": "Ngày ban hành từ", "en": "Issued from"},
    "issued_to": {"vi": "đến", "en": "to"},
    "sort": {"vi": "Sắp xếp", "en": "Sort"},
    "relevance": {"vi": "Liên quan nhất", "en": "Relevance"},
    "date_desc": {"vi": "Ngày ban hành mới nhất", "en": "Newest issued"},
    "date_asc": {"vi": "Ngày ban hành cũ nhất", "en": "Oldest issued"},
    "received_desc": {"vi": "Mới nhận", "en": "Newest received"},
    "number_asc": {"vi": "Số đăng ký", "en": "Register number"},
    "any": {"vi": "Tất cả", "en": "Any"},
    "results_more": {"vi": "Hơn {total} kết quả", "en": "More than {total} results"},
    "results_about": {"vi": "Khoảng {total} kết quả", "en": "About {total} results"},
    "apply": {"vi": "Lọc", "en": "Apply"},
    "clear": {"vi": "Xóa bộ lọc", "en": "Clear"},
    "export_csv": {"vi": "Xuất CSV", "en": "Export CSV"},
    "export_xlsx": {"vi": "Xuất Excel", "en": "Export Excel"},
    "previous": {"vi": "Trang trước", "en": "Previous"},
    "next": {"vi": "Trang sau", "en": "Next"},
    "page_of": {"vi": "Trang {page}/{pages}", "en": "Page {page} of {pages}"},
    "total_docs": {"vi": "Tổng số văn bản", "en": "Documents"},
    "reg_number": {"vi": "Số đăng ký", "en": "Register no."},
    "number_symbol": {"vi": "Số, ký hiệu", "en": "Number/symbol"},
    "issue_date": {"vi": "Ngày ban hành", "en": "Issue date"},
    "received_at": {"vi": "Ngày nhận", "en": "Received"},
    "subject": {"vi": "Trích yếu", "en": "Subject"},
    "signer": {"vi": "Người ký", "en": "Signed by"},
    "secrecy": {"vi": "Độ mật", "en": "Secrecy"},
    "urgency": {"vi": "Độ khẩn", "en": "Urgency"},
    "references": {"vi": "Văn bản dẫn chiếu", "en": "References"},
    "copy": {"vi": "Bản sao", "en": "Copy"},
    "original_name": {"vi": "Tên tệp gốc", "en": "Original file"},
    "pages": {"vi": "Số trang", "en": "Pages"},
    "metadata": {"vi": "Thông tin văn bản", "en": "Metadata"},
    "text": {"vi": "Nội dung", "en": "Text"},
    "original": {"vi": "Bản gốc", "en": "Original"},
    "download": {"vi": "Tải bản gốc", "en": "Download original"},
    "preview": {"vi": "Xem trước", "en": "Preview"},
    "back": {"vi": "Quay lại", "en": "Back"},
    "monthly_chart": {"vi": "Văn bản đến, đi theo tháng", "en": "Incoming and outgoing per month"},
    "by_type": {"vi": "Theo loại văn bản", "en": "By type"},
    "month": {"vi": "Tháng", "en": "Month"},
    "published": {"vi": "Báo cáo tháng đã lập", "en": "Published monthly reports"},
    "no_reports": {"vi": "Chưa có báo cáo tháng nào.", "en": "No monthly report yet."},
    "upload_title": {"vi": "Tải văn bản lên hộp thư", "en": "Drop a document into the inbox"},
    "file": {"vi": "Tệp", "en": "File"},
    "upload_done": {"vi": "Đã nhận tệp {name}; văn bản sẽ được đăng ký trong ít phút.",
                    "en": "Received {name}; it will be registered in a few minutes."},
    "not_found": {"vi": "Không tìm thấy.", "en": "Not found."},
    "no_document": {"vi": "Không tìm thấy văn bản.", "en": "No such document."},
    "bad_request": {"vi": "Yêu cầu không hợp lệ", "en": "Bad request"},
    "forbidden": {"vi": "Không có quyền thực hiện.", "en": "Not allowed."},
    "unavailable": {"vi": "Hệ thống tạm thời chưa sẵn sàng; vui lòng thử lại sau ít phút.",
                    "en": "A backend is unavailable; try again shortly."},
    "error": {"vi": "Lỗi", "en": "Error"},
    "method_not_allowed": {"vi": "Không hỗ trợ thao tác này.", "en": "Method not allowed."},
    "sign_in_first": {"vi": "Vui lòng đăng nhập.", "en": "Sign in first."},
    "csrf_failed": {
        "vi": "Phiên làm việc đã hết hạn hoặc không hợp lệ: "
              "vui lòng tải lại trang rồi thử lại.",
        "en": "Your session has expired or is not valid: reload the page and try again."},
    "api_docs": {"vi": "Tài liệu API", "en": "API documentation"},
    # The review queue and the correction form (apps.web.review).
    "review_queue": {"vi": "Cần kiểm tra", "en": "To check"},
    "review_count": {"vi": "Cần kiểm tra: {count} văn bản", "en": "To check: {count} documents"},
    "review_intro": {
        "vi": "Văn bản thiếu thông tin chính hoặc đọc tự động chưa chắc chắn, mới nhận "
              "trước. Mở văn bản để sửa hoặc xác nhận.",
        "en": "Documents with a key field missing or read without enough confidence, "
              "newest first. Open one to correct or confirm it."},
    "review_none": {"vi": "Không có văn bản nào cần kiểm tra.", "en": "Nothing to check."},
    "review_what": {"vi": "Cần kiểm tra", "en": "To check"},
    "review_missing": {"vi": "thiếu", "en": "missing"},
    "review_doubtful": {"vi": "chưa chắc ({percent}%)", "en": "doubtful ({percent}%)"},
    "review_moved": {
        "vi": "Đã đổi độ mật: văn bản chuyển sang sổ văn bản mật, tài khoản của bạn "
              "không còn mở được văn bản này.",
        "en": "Secrecy changed: the document has moved to the secret register and your "
              "account can no longer open it."},
    "correction_title": {"vi": "Kiểm tra, sửa thông tin", "en": "Check and correct"},
    "correction_hint": {"vi": "Trường tô vàng cần kiểm tra. Sửa giá trị, hoặc đánh dấu «Xác nhận "
                              "đúng» nếu giá trị đã đúng.",
                        "en": "Highlighted fields need a check. Correct the value, or tick "
                              "«Confirm» if it is right as read."},
    "correction_confirm": {"vi": "Xác nhận đúng", "en": "Confirm"},
    "correction_save": {"vi": "Lưu", "en": "Save"},
    "correction_saved": {"vi": "Đã lưu.", "en": "Saved."},
    "correction_none": {"vi": "— không —", "en": "— none —"},
    "correction_date_hint": {"vi": "dd/mm/yyyy", "en": "dd/mm/yyyy"},
    "secrecy_reason": {"vi": "Lý do đổi độ mật", "en": "Reason for a secrecy change"},
    "secrecy_raise_only": {"vi": "Chỉ quản trị viên được hạ độ mật.",
                           "en": "Only an admin may lower the secrecy mark."},
    "correction_history": {"vi": "Lịch sử sửa thông tin", "en": "Correction history"},
    "correction_when": {"vi": "Thời gian", "en": "When"},
    "correction_who": {"vi": "Người sửa", "en": "By"},
    "correction_action": {"vi": "Thao tác", "en": "Action"},
    "correction_old": {"vi": "Giá trị trước", "en": "Before"},
    "correction_new": {"vi": "Giá trị sau", "en": "After"},
    "correction_action_corrected": {"vi": "Sửa", "en": "Corrected"},
    "correction_action_confirmed": {"vi": "Xác nhận", "en": "Confirmed"},
    "correction_read_as": {"vi": "đọc tự động ({source}, {percent}%)",
                           "en": "as read ({source}, {percent}%)"},
    # Search parameters (apps.web.params.BadRequest).
    "bad_date": {"vi": "{name}: không phải là ngày (yyyy-mm-dd hoặc dd/mm/yyyy): {value}",
                 "en": "{name}: not a date (yyyy-mm-dd or dd/mm/yyyy): {value}"},
    "bad_number": {"vi": "{name}: không phải là số: {value}",
                   "en": "{name}: not a number: {value}"},
    "bad_range": {"vi": "{name}: phải từ {low} đến {high}",
                  "en": "{name}: must be between {low} and {high}"},
    "bad_query_length": {"vi": "q: tối đa {most} ký tự", "en": "q: at most {most} characters"},
    "bad_query_nul": {"vi": "q: có ký tự NUL", "en": "q: contains a NUL character"},
    "bad_filter": {"vi": "{name}: quá dài hoặc không phải văn bản",
                   "en": "{name}: too long or not text"},
    "bad_direction": {"vi": "direction: 'incoming' (đến) hoặc 'outgoing' (đi)",
                      "en": "direction: 'incoming' or 'outgoing'"},
    "bad_date_order": {"vi": "{low} sau {high}", "en": "{low} is after {high}"},
    "bad_sort": {"vi": "sort: một trong {sorts}", "en": "sort: one of {sorts}"},
    # Uploads (apps.web.service.UploadRefused).
    "upload_bad_folder": {"vi": "folder: chỉ gồm chữ, số, '-' và '_' (tối đa 64 ký tự)",
                          "en": "folder: letters, digits, '-' and '_' only (at most 64)"},
    "upload_too_large": {"vi": "Tệp lớn hơn {most} MB.",
                         "en": "The file is larger than {most} MB."},
    "upload_empty": {"vi": "Tệp rỗng.", "en": "The file is empty."},
    "upload_bad_name": {"vi": "Cần có tên tệp (không phải tệp ẩn hay tệp tạm).",
                        "en": "A file name is required (not hidden, not a temporary name)."},
    # Request validation (FastAPI): "<field>: <problem>".
    "invalid_missing": {"vi": "thiếu", "en": "missing"},
    "invalid_too_long": {"vi": "quá dài", "en": "too long"},
    "invalid_number": {"vi": "phải là số", "en": "must be a number"},
    "invalid_bool": {"vi": "phải là true hoặc false", "en": "must be true or false"},
    "invalid_value": {"vi": "không hợp lệ", "en": "not valid"},
    "signed_in_as": {"vi": "Người dùng", "en": "Signed in as"},
    "field": {"vi": "Trường", "en": "Field"},
    "value": {"vi": "Giá trị", "en": "Value"},
    "confidence": {"vi": "Độ tin cậy", "en": "Confidence"},
    "open": {"vi": "Công khai", "en": "Open"},
    "audit_log": {"vi": "Nhật ký truy cập", "en": "Audit log"},
    "audit_intro": {"vi": "Ai đã xem, tải về, xuất, sửa hoặc đổi độ mật văn bản nào, và mọi lần "
                          "đăng nhập. Mỗi mục được nối với mục trước bằng mã băm; kiểm tra bằng "
                          "lệnh «docket audit verify».",
                    "en": "Who viewed, downloaded, exported, corrected or changed the secrecy of "
                          "which document, and every sign-in. Each entry is chained to the one "
                          "before by a hash; check it with «docket audit verify»."},
    "audit_head": {"vi": "Mục cuối của chuỗi (ghi lại để kiểm tra sau: docket audit verify "
                         "--anchor)",
                   "en": "Head of the chain (record it to check later: docket audit "
                         "verify --anchor)"},
    "audit_seq": {"vi": "STT", "en": "No."},
    "audit_time": {"vi": "Thời gian", "en": "Time"},
    "audit_time_utc": {"vi": "Thời gian (UTC)", "en": "Time (UTC)"},
    "audit_user": {"vi": "Người dùng", "en": "User"},
    "audit_action": {"vi": "Thao tác", "en": "Action"},
    "audit_action_code": {"vi": "Mã thao tác", "en": "Action code"},
    "audit_document": {"vi": "Văn bản", "en": "Document"},
    "audit_detail": {"vi": "Chi tiết", "en": "Detail"},
    "audit_prev_hash": {"vi": "Mã băm mục trước", "en": "Previous hash"},
    "audit_hash": {"vi": "Mã băm", "en": "Hash"},
    "audit_from": {"vi": "Từ ngày", "en": "From"},
    "audit_to": {"vi": "Đến ngày", "en": "To"},
    "audit_none": {"vi": "Không có mục nào.", "en": "No entries."},
    "audit_entries": {"vi": "{total} mục", "en": "{total} entries"},
    "audit_action_view": {"vi": "Xem", "en": "Viewed"},
    "audit_action_download": {"vi": "Tải về", "en": "Downloaded"},
    "audit_action_export": {"vi": "Xuất dữ liệu", "en": "Exported"},
    "audit_action_upload": {"vi": "Tải lên", "en": "Uploaded"},
    "audit_action_correct": {"vi": "Sửa thông tin", "en": "Corrected"},
    "audit_action_secrecy": {"vi": "Đổi độ mật", "en": "Secrecy changed"},
    "audit_action_login": {"vi": "Đăng nhập", "en": "Signed in"},
    "audit_action_login_failed": {"vi": "Đăng nhập sai", "en": "Failed sign-in"},
    "audit_action_logout": {"vi": "Đăng xuất", "en": "Signed out"},
    "audit_action_chain_upgrade": {"vi": "Nối chuỗi nhật ký cũ", "en": "Old log chained"},
    # -- The archivists' and clerks' interface (issue 22, branch h/ui) ------------
    "ui_year": {"vi": "Năm", "en": "Year"},
    "ui_year_view": {"vi": "Năm {year}: 12 tháng", "en": "{year}: twelve months"},
    "ui_total": {"vi": "Cộng", "en": "Total"},
    "ui_type_cells": {"vi": "Theo loại văn bản: đến / đi.", "en": "By type: incoming / outgoing."},
    "ui_report_view": {"vi": "Xem trong ứng dụng", "en": "View in the app"},
    "ui_files": {"vi": "Tệp", "en": "Files"},
    "ui_open_report": {"vi": "Báo cáo tháng {month}", "en": "Report for {month}"},
    "ui_report_of": {"vi": "Báo cáo tháng {month}", "en": "Monthly report, {month}"},
    "ui_download_as": {"vi": "Tải {format}", "en": "Download {format}"},
    "ui_skip": {"vi": "Bỏ qua, đến nội dung chính", "en": "Skip to main content"},
    "ui_main_nav": {"vi": "Điều hướng chính", "en": "Main navigation"},
    "ui_show_filters": {"vi": "Hiện bộ lọc", "en": "Show filters"},
    "ui_no_preview": {"vi": "Không có bản xem trước cho định dạng này; hãy tải bản gốc.",
                      "en": "No preview for this format; download the original."},
    "ui_page_n": {"vi": "Trang {page}", "en": "Page {page}"},
    "ui_rendition": {"vi": "Bản PDF chuyển đổi", "en": "PDF rendition"},
    "ui_extracted_text": {"vi": "Văn bản trích xuất (giữ bố cục)",
                          "en": "Extracted text (layout kept)"},
    "ui_inbox": {"vi": "Hộp thư đến", "en": "Inbox"},
    "ui_inbox_intro": {"vi": "Tệp đang chờ, đang xử lý và bị cách ly. "
                             "Trang tự làm mới mỗi {seconds} giây.",
                       "en": "Files waiting, being processed and quarantined. This page refreshes "
                             "every {seconds} seconds."},
    "ui_waiting": {"vi": "Đang chờ", "en": "Waiting"},
    "ui_processing": {"vi": "Đang xử lý", "en": "Being processed"},
    "ui_quarantined": {"vi": "Bị cách ly", "en": "Quarantined"},
    "ui_reason": {"vi": "Lý do", "en": "Reason"},
    "ui_since": {"vi": "Từ lúc", "en": "Since"},
    "ui_size": {"vi": "Dung lượng", "en": "Size"},
    "ui_none_here": {"vi": "Không có tệp nào.", "en": "No files."},
    "ui_register_book": {"vi": "Sổ đăng ký", "en": "Register book"},
    "ui_book_incoming": {"vi": "Sổ đăng ký văn bản đến", "en": "Register of incoming documents"},
    "ui_book_outgoing": {"vi": "Sổ đăng ký văn bản đi", "en": "Register of outgoing documents"},
    "ui_book_secret": {"vi": "Sổ văn bản mật", "en": "Secret register"},
    "ui_book_ordinary": {"vi": "Sổ thường", "en": "Ordinary register"},
    "ui_all_months": {"vi": "Cả năm", "en": "Whole year"},
    "ui_print": {"vi": "In", "en": "Print"},
    "ui_export_pdf": {"vi": "Xuất PDF", "en": "Export PDF"},
    "ui_entries": {"vi": "{total} văn bản", "en": "{total} documents"},
    "ui_no_entries": {"vi": "Sổ chưa có văn bản nào trong thời gian này.",
                      "en": "No document in the book for this period."},
    "ui_show": {"vi": "Xem", "en": "Show"},
    "ui_files_many": {"vi": "Tệp (chọn được nhiều tệp)", "en": "Files (several at once)"},
    "ui_duplicate_registered": {"vi": "{name}: văn bản này đã được đăng ký ({number}).",
                                "en": "{name}: this document is already registered ({number})."},
    "ui_duplicate_inbox": {"vi": "{name}: tệp này đang chờ trong hộp thư.",
                           "en": "{name}: this file is already waiting in the inbox."},
    "ui_upload_new": {"vi": "{name}: tệp mới.", "en": "{name}: a new file."},
    "ui_upload_anyway": {"vi": "Vẫn tải lên", "en": "Upload anyway"},
    "ui_progress": {"vi": "Tiến độ tải lên", "en": "Upload progress"},
    "ui_saved_searches": {"vi": "Tìm kiếm đã lưu", "en": "Saved searches"},
    "ui_save_search": {"vi": "Lưu tìm kiếm này", "en": "Save this search"},
    "ui_search_name": {"vi": "Tên tìm kiếm", "en": "Name of the search"},
    "ui_delete": {"vi": "Xóa", "en": "Delete"},
    "ui_page_size": {"vi": "Số kết quả mỗi trang", "en": "Results per page"},
    "ui_received_from": {"vi": "Ngày nhận từ", "en": "Received from"},
    "ui_received_to": {"vi": "Ngày nhận đến", "en": "Received to"},
    "ui_issued_to": {"vi": "Ngày ban hành đến", "en": "Issued to"},
    "ui_languages": {"vi": "vi=Tiếng Việt|en=Tiếng Anh|fr=Tiếng Pháp|zh=Tiếng Trung|ru=Tiếng Nga|"
                           "de=Tiếng Đức|cs=Tiếng Séc|no=Tiếng Na Uy|ja=Tiếng Nhật|ko=Tiếng Hàn|"
                           "lo=Tiếng Lào|km=Tiếng Khmer|th=Tiếng Thái|es=Tiếng Tây Ban Nha|"
                           "und=Không xác định",
                     "en": "vi=Vietnamese|en=English|fr=French|zh=Chinese|ru=Russian|de=German|"
                           "cs=Czech|no=Norwegian|ja=Japanese|ko=Korean|lo=Lao|km=Khmer|th=Thai|"
                           "es=Spanish|und=Undetermined"},
    "ui_page_word": {"vi": "Trang", "en": "Page"},
    "ui_head_of_office": {"vi": "THỦ TRƯỞNG CƠ QUAN", "en": "HEAD OF OFFICE"},
    "ui_sign_hint": {"vi": "(Ký, ghi rõ họ tên, đóng dấu)", "en": "(Signature, full name, seal)"},
    "ui_book": {"vi": "Sổ", "en": "Book"},
    "ui_reference_filter": {"vi": "Dẫn chiếu số, ký hiệu", "en": "Cites number/symbol"},
    "ui_stop_refresh": {"vi": "Dừng tự làm mới", "en": "Stop refreshing"},
    "ui_refresh_stopped": {"vi": "Đã dừng tự làm mới", "en": "Refreshing stopped"},
    # -- end of issue 22's block --------------------------------------------------
    **TRACKING_LABELS,  # issue 21: document tracking
}


def action_label(action: str, language: str) -> str:
    """An audit action in ``language``; an action without a label shows as written."""
    return lookup(LABELS, f"audit_action_{action}", language) or action


def label(key: str, language: str, **values: object) -> str:
    """``key`` in ``language``; falls back to the CLI messages, then to the key."""
    text = lookup(LABELS, key, language, **values)
    return translate(key, language, **values) if text is None else text


def language_name(code: str, language: str) -> str:
    """The name of the language ``code`` (ISO 639-1) in ``language``; the code if unknown."""
    names = dict(pair.split("=", 1) for pair in label("ui_languages", language).split("|"))
    return names.get(code, code)


class LabelledMessage:
    """Mixin for errors a user reads: ``key`` names the message here, in every language.

    The exception's own text is the English one (for logs); pages and the API
    show ``text(language)``.
    """

    def __init__(self, key: str, **values: object) -> None:
        self.key = key
        self.values = values
        super().__init__(self.text("en"))  # type: ignore[call-arg]  # the exception base, by MRO

    def text(self, language: str) -> str:
        return label(self.key, language, **self.values)
