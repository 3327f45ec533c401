"""The web pages' words in Vietnamese (default) and English.

Unknown keys fall back to ``kernel.i18n`` (shared CLI messages), then to the key.
"""

from __future__ import annotations

from kernel.i18n import translate

LANGUAGES = ("vi", "en")

LABELS: dict[str, tuple[str, str]] = {
    "app_name": ("Tra cứu văn bản", "Document search"),
    "login": ("Đăng nhập", "Sign in"),
    "logout": ("Đăng xuất", "Sign out"),
    "username": ("Tên đăng nhập", "User name"),
    "password": ("Mật khẩu", "Password"),
    "bad_login": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong user name or password."),
    "account_locked": ("Tài khoản tạm khóa do đăng nhập sai nhiều lần. "
                       "Vui lòng thử lại sau {time} (khoảng {minutes} phút nữa).",
                       "This account is locked after too many failed sign-ins. "
                       "Try again after {time} (in about {minutes} min)."),
    "address_locked": ("Máy này đã đăng nhập sai quá nhiều lần. "
                       "Vui lòng thử lại sau {time} (khoảng {minutes} phút nữa).",
                       "Too many failed sign-ins from this computer. "
                       "Try again after {time} (in about {minutes} min)."),
    "search": ("Tìm kiếm", "Search"),
    "search_hint": ("Nhập từ khóa, có dấu hoặc không dấu", "Words to find, diacritics optional"),
    # The search box's syntax (search.query_syntax), shown by _syntax_help.html.
    "syntax_help": ("Cách gõ từ khóa", "How to search"),
    "syntax_all_words": ("Văn bản có đủ mọi từ", "Documents holding every word"),
    "syntax_phrase": ("Đúng cụm từ, đúng thứ tự", "The exact phrase, in this order"),
    "syntax_or": ("Có từ này hoặc từ kia (OR viết hoa)", "Either word (OR in capitals)"),
    "syntax_prefix": ("Từ bắt đầu bằng «huy»: huyện, huyết…",
                      "Words starting with «huy»: huyện, huyết…"),
    "syntax_exclude": ("Bỏ các văn bản có từ «lụt»", "Leaving out documents with «lụt»"),
    "syntax_diacritics": ("Gõ có dấu hay không dấu đều được: «quyet dinh» tìm được "
                          "«Quyết định»; gõ có dấu thì văn bản đúng dấu đứng trước. AND, "
                          "NOT là từ bình thường; dấu câu và dấu ngoặc chỉ ngăn cách các từ.",
                          "Diacritics are optional: «quyet dinh» finds «Quyết định»; typed "
                          "with diacritics, documents with the very same ones come first. "
                          "AND and NOT are ordinary words; punctuation and brackets only "
                          "separate words."),
    "reports": ("Báo cáo", "Reports"),
    "upload": ("Tải lên", "Upload"),
    "my_uploads": ("Văn bản tôi đã tải lên", "My uploads"),
    "filters": ("Bộ lọc", "Filters"),
    "direction": ("Chiều", "Direction"),
    "doc_type": ("Loại văn bản", "Type"),
    "issuing_body": ("Cơ quan ban hành", "Issuing body"),
    "language": ("Ngôn ngữ", "Language"),
    "folder": ("Phòng, ban", "Folder"),
    "issued_from": ("Ngày ban hành từ", "Issued from"),
    "issued_to": ("đến", "to"),
    "sort": ("Sắp xếp", "Sort"),
    "relevance": ("Liên quan nhất", "Relevance"),
    "date_desc": ("Ngày ban hành mới nhất", "Newest issued"),
    "date_asc": ("Ngày ban hành cũ nhất", "Oldest issued"),
    "received_desc": ("Mới nhận", "Newest received"),
    "number_asc": ("Số đăng ký", "Register number"),
    "any": ("Tất cả", "Any"),
    "results_more": ("Hơn {total} kết quả", "More than {total} results"),
    "apply": ("Lọc", "Apply"),
    "clear": ("Xóa bộ lọc", "Clear"),
    "export_csv": ("Xuất CSV", "Export CSV"),
    "export_xlsx": ("Xuất Excel", "Export Excel"),
    "previous": ("Trang trước", "Previous"),
    "next": ("Trang sau", "Next"),
    "page_of": ("Trang {page}/{pages}", "Page {page} of {pages}"),
    "total_docs": ("Tổng số văn bản", "Documents"),
    "reg_number": ("Số đăng ký", "Register no."),
    "number_symbol": ("Số, ký hiệu", "Number/symbol"),
    "issue_date": ("Ngày ban hành", "Issue date"),
    "received_at": ("Ngày nhận", "Received"),
    "subject": ("Trích yếu", "Subject"),
    "signer": ("Người ký", "Signed by"),
    "secrecy": ("Độ mật", "Secrecy"),
    "urgency": ("Độ khẩn", "Urgency"),
    "references": ("Văn bản dẫn chiếu", "References"),
    "copy": ("Bản sao", "Copy"),
    "original_name": ("Tên tệp gốc", "Original file"),
    "pages": ("Số trang", "Pages"),
    "metadata": ("Thông tin văn bản", "Metadata"),
    "text": ("Nội dung", "Text"),
    "original": ("Bản gốc", "Original"),
    "download": ("Tải bản gốc", "Download original"),
    "preview": ("Xem trước", "Preview"),
    "back": ("Quay lại", "Back"),
    "monthly_chart": ("Văn bản đến, đi theo tháng", "Incoming and outgoing per month"),
    "by_type": ("Theo loại văn bản", "By type"),
    "month": ("Tháng", "Month"),
    "published": ("Báo cáo tháng đã lập", "Published monthly reports"),
    "no_reports": ("Chưa có báo cáo tháng nào.", "No monthly report yet."),
    "upload_title": ("Tải văn bản lên hộp thư", "Drop a document into the inbox"),
    "file": ("Tệp", "File"),
    "upload_done": ("Đã nhận tệp {name}; văn bản sẽ được đăng ký trong ít phút.",
                    "Received {name}; it will be registered in a few minutes."),
    "not_found": ("Không tìm thấy.", "Not found."),
    "no_document": ("Không tìm thấy văn bản.", "No such document."),
    "bad_request": ("Yêu cầu không hợp lệ", "Bad request"),
    "forbidden": ("Không có quyền thực hiện.", "Not allowed."),
    "unavailable": ("Hệ thống tạm thời chưa sẵn sàng; vui lòng thử lại sau ít phút.",
                    "A backend is unavailable; try again shortly."),
    "error": ("Lỗi", "Error"),
    "method_not_allowed": ("Không hỗ trợ thao tác này.", "Method not allowed."),
    "sign_in_first": ("Vui lòng đăng nhập.", "Sign in first."),
    "csrf_failed": ("Phiên làm việc đã hết hạn hoặc không hợp lệ: "
                    "vui lòng tải lại trang rồi thử lại.",
                    "Your session has expired or is not valid: reload the page and try again."),
    "api_docs": ("Tài liệu API", "API documentation"),
    # The review queue and the correction form (apps.web.review).
    "review_queue": ("Cần kiểm tra", "To check"),
    "review_count": ("Cần kiểm tra: {count} văn bản", "To check: {count} documents"),
    "review_intro": ("Văn bản thiếu thông tin chính hoặc đọc tự động chưa chắc chắn, mới nhận "
                     "trước. Mở văn bản để sửa hoặc xác nhận.",
                     "Documents with a key field missing or read without enough confidence, "
                     "newest first. Open one to correct or confirm it."),
    "review_none": ("Không có văn bản nào cần kiểm tra.", "Nothing to check."),
    "review_what": ("Cần kiểm tra", "To check"),
    "review_missing": ("thiếu", "missing"),
    "review_doubtful": ("chưa chắc ({percent}%)", "doubtful ({percent}%)"),
    "review_moved": ("Đã đổi độ mật: văn bản chuyển sang sổ văn bản mật, tài khoản của bạn "
                     "không còn mở được văn bản này.",
                     "Secrecy changed: the document has moved to the secret register and your "
                     "account can no longer open it."),
    "correction_title": ("Kiểm tra, sửa thông tin", "Check and correct"),
    "correction_hint": ("Trường tô vàng cần kiểm tra. Sửa giá trị, hoặc đánh dấu «Xác nhận "
                        "đúng» nếu giá trị đã đúng.",
                        "Highlighted fields need a check. Correct the value, or tick "
                        "«Confirm» if it is right as read."),
    "correction_confirm": ("Xác nhận đúng", "Confirm"),
    "correction_save": ("Lưu", "Save"),
    "correction_saved": ("Đã lưu.", "Saved."),
    "correction_none": ("— không —", "— none —"),
    "correction_date_hint": ("dd/mm/yyyy", "dd/mm/yyyy"),
    "secrecy_reason": ("Lý do đổi độ mật", "Reason for a secrecy change"),
    "secrecy_raise_only": ("Chỉ quản trị viên được hạ độ mật.",
                           "Only an admin may lower the secrecy mark."),
    "correction_history": ("Lịch sử sửa thông tin", "Correction history"),
    "correction_when": ("Thời gian", "When"),
    "correction_who": ("Người sửa", "By"),
    "correction_action": ("Thao tác", "Action"),
    "correction_old": ("Giá trị trước", "Before"),
    "correction_new": ("Giá trị sau", "After"),
    "correction_action_corrected": ("Sửa", "Corrected"),
    "correction_action_confirmed": ("Xác nhận", "Confirmed"),
    "correction_read_as": ("đọc tự động ({source}, {percent}%)", "as read ({source}, {percent}%)"),
    # Search parameters (apps.web.params.BadRequest).
    "bad_date": ("{name}: không phải là ngày (yyyy-mm-dd hoặc dd/mm/yyyy): {value}",
                 "{name}: not a date (yyyy-mm-dd or dd/mm/yyyy): {value}"),
    "bad_number": ("{name}: không phải là số: {value}", "{name}: not a number: {value}"),
    "bad_range": ("{name}: phải từ {low} đến {high}", "{name}: must be between {low} and {high}"),
    "bad_query_length": ("q: tối đa {most} ký tự", "q: at most {most} characters"),
    "bad_query_nul": ("q: có ký tự NUL", "q: contains a NUL character"),
    "bad_filter": ("{name}: quá dài hoặc không phải văn bản", "{name}: too long or not text"),
    "bad_direction": ("direction: 'incoming' (đến) hoặc 'outgoing' (đi)",
                      "direction: 'incoming' or 'outgoing'"),
    "bad_date_order": ("{low} sau {high}", "{low} is after {high}"),
    "bad_sort": ("sort: một trong {sorts}", "sort: one of {sorts}"),
    # Uploads (apps.web.service.UploadRefused).
    "upload_bad_folder": ("folder: chỉ gồm chữ, số, '-' và '_' (tối đa 64 ký tự)",
                          "folder: letters, digits, '-' and '_' only (at most 64)"),
    "upload_too_large": ("Tệp lớn hơn {most} MB.", "The file is larger than {most} MB."),
    "upload_empty": ("Tệp rỗng.", "The file is empty."),
    "upload_bad_name": ("Cần có tên tệp (không phải tệp ẩn hay tệp tạm).",
                        "A file name is required (not hidden, not a temporary name)."),
    # Request validation (FastAPI): "<field>: <problem>".
    "invalid_missing": ("thiếu", "missing"),
    "invalid_too_long": ("quá dài", "too long"),
    "invalid_number": ("phải là số", "must be a number"),
    "invalid_bool": ("phải là true hoặc false", "must be true or false"),
    "invalid_value": ("không hợp lệ", "not valid"),
    "signed_in_as": ("Người dùng", "Signed in as"),
    "field": ("Trường", "Field"),
    "value": ("Giá trị", "Value"),
    "confidence": ("Độ tin cậy", "Confidence"),
    "open": ("Công khai", "Open"),
    "audit_log": ("Nhật ký truy cập", "Audit log"),
    "audit_intro": ("Ai đã xem, tải về, xuất, sửa hoặc đổi độ mật văn bản nào, và mọi lần "
                    "đăng nhập. Mỗi mục được nối với mục trước bằng mã băm; kiểm tra bằng "
                    "lệnh «docket audit verify».",
                    "Who viewed, downloaded, exported, corrected or changed the secrecy of "
                    "which document, and every sign-in. Each entry is chained to the one "
                    "before by a hash; check it with «docket audit verify»."),
    "audit_head": ("Mục cuối của chuỗi (ghi lại để kiểm tra sau: docket audit verify "
                   "--anchor)", "Head of the chain (record it to check later: docket audit "
                   "verify --anchor)"),
    "audit_seq": ("STT", "No."),
    "audit_time": ("Thời gian", "Time"),
    "audit_time_utc": ("Thời gian (UTC)", "Time (UTC)"),
    "audit_user": ("Người dùng", "User"),
    "audit_action": ("Thao tác", "Action"),
    "audit_action_code": ("Mã thao tác", "Action code"),
    "audit_document": ("Văn bản", "Document"),
    "audit_detail": ("Chi tiết", "Detail"),
    "audit_prev_hash": ("Mã băm mục trước", "Previous hash"),
    "audit_hash": ("Mã băm", "Hash"),
    "audit_from": ("Từ ngày", "From"),
    "audit_to": ("Đến ngày", "To"),
    "audit_none": ("Không có mục nào.", "No entries."),
    "audit_entries": ("{total} mục", "{total} entries"),
    "audit_action_view": ("Xem", "Viewed"),
    "audit_action_download": ("Tải về", "Downloaded"),
    "audit_action_export": ("Xuất dữ liệu", "Exported"),
    "audit_action_upload": ("Tải lên", "Uploaded"),
    "audit_action_correct": ("Sửa thông tin", "Corrected"),
    "audit_action_secrecy": ("Đổi độ mật", "Secrecy changed"),
    "audit_action_login": ("Đăng nhập", "Signed in"),
    "audit_action_login_failed": ("Đăng nhập sai", "Failed sign-in"),
    "audit_action_logout": ("Đăng xuất", "Signed out"),
    "audit_action_chain_upgrade": ("Nối chuỗi nhật ký cũ", "Old log chained"),
    # -- The archivists' and clerks' interface (issue 22, branch h/ui) ------------
    "ui_year": ("Năm", "Year"),
    "ui_year_view": ("Năm {year}: 12 tháng", "{year}: twelve months"),
    "ui_total": ("Cộng", "Total"),
    "ui_type_cells": ("Theo loại văn bản: đến / đi.", "By type: incoming / outgoing."),
    "ui_report_view": ("Xem trong ứng dụng", "View in the app"),
    "ui_files": ("Tệp", "Files"),
    "ui_open_report": ("Báo cáo tháng {month}", "Report for {month}"),
    "ui_report_of": ("Báo cáo tháng {month}", "Monthly report, {month}"),
    "ui_download_as": ("Tải {format}", "Download {format}"),
    "ui_skip": ("Bỏ qua, đến nội dung chính", "Skip to main content"),
    "ui_main_nav": ("Điều hướng chính", "Main navigation"),
    "ui_show_filters": ("Hiện bộ lọc", "Show filters"),
    "ui_no_preview": ("Không có bản xem trước cho định dạng này; hãy tải bản gốc.",
                      "No preview for this format; download the original."),
    "ui_page_n": ("Trang {page}", "Page {page}"),
    "ui_rendition": ("Bản PDF chuyển đổi", "PDF rendition"),
    "ui_extracted_text": ("Văn bản trích xuất (giữ bố cục)", "Extracted text (layout kept)"),
    "ui_inbox": ("Hộp thư đến", "Inbox"),
    "ui_inbox_intro": ("Tệp đang chờ, đang xử lý và bị cách ly. "
                       "Trang tự làm mới mỗi {seconds} giây.",
                       "Files waiting, being processed and quarantined. This page refreshes "
                       "every {seconds} seconds."),
    "ui_waiting": ("Đang chờ", "Waiting"),
    "ui_processing": ("Đang xử lý", "Being processed"),
    "ui_quarantined": ("Bị cách ly", "Quarantined"),
    "ui_reason": ("Lý do", "Reason"),
    "ui_since": ("Từ lúc", "Since"),
    "ui_size": ("Dung lượng", "Size"),
    "ui_none_here": ("Không có tệp nào.", "No files."),
    "ui_register_book": ("Sổ đăng ký", "Register book"),
    "ui_book_incoming": ("Sổ đăng ký văn bản đến", "Register of incoming documents"),
    "ui_book_outgoing": ("Sổ đăng ký văn bản đi", "Register of outgoing documents"),
    "ui_book_secret": ("Sổ văn bản mật", "Secret register"),
    "ui_book_ordinary": ("Sổ thường", "Ordinary register"),
    "ui_all_months": ("Cả năm", "Whole year"),
    "ui_print": ("In", "Print"),
    "ui_export_pdf": ("Xuất PDF", "Export PDF"),
    "ui_entries": ("{total} văn bản", "{total} documents"),
    "ui_no_entries": ("Sổ chưa có văn bản nào trong thời gian này.",
                      "No document in the book for this period."),
    "ui_show": ("Xem", "Show"),
    "ui_files_many": ("Tệp (chọn được nhiều tệp)", "Files (several at once)"),
    "ui_duplicate_registered": ("{name}: văn bản này đã được đăng ký ({number}).",
                                "{name}: this document is already registered ({number})."),
    "ui_duplicate_inbox": ("{name}: tệp này đang chờ trong hộp thư.",
                           "{name}: this file is already waiting in the inbox."),
    "ui_upload_new": ("{name}: tệp mới.", "{name}: a new file."),
    "ui_upload_anyway": ("Vẫn tải lên", "Upload anyway"),
    "ui_progress": ("Tiến độ tải lên", "Upload progress"),
    "ui_saved_searches": ("Tìm kiếm đã lưu", "Saved searches"),
    "ui_save_search": ("Lưu tìm kiếm này", "Save this search"),
    "ui_search_name": ("Tên tìm kiếm", "Name of the search"),
    "ui_delete": ("Xóa", "Delete"),
    "ui_page_size": ("Số kết quả mỗi trang", "Results per page"),
    "ui_received_from": ("Ngày nhận từ", "Received from"),
    "ui_received_to": ("Ngày nhận đến", "Received to"),
    "ui_issued_to": ("Ngày ban hành đến", "Issued to"),
    "ui_languages": ("vi=Tiếng Việt|en=Tiếng Anh|fr=Tiếng Pháp|zh=Tiếng Trung|ru=Tiếng Nga|"
                     "de=Tiếng Đức|cs=Tiếng Séc|no=Tiếng Na Uy|ja=Tiếng Nhật|ko=Tiếng Hàn|"
                     "lo=Tiếng Lào|km=Tiếng Khmer|th=Tiếng Thái|es=Tiếng Tây Ban Nha|"
                     "und=Không xác định",
                     "vi=Vietnamese|en=English|fr=French|zh=Chinese|ru=Russian|de=German|"
                     "cs=Czech|no=Norwegian|ja=Japanese|ko=Korean|lo=Lao|km=Khmer|th=Thai|"
                     "es=Spanish|und=Undetermined"),
    "ui_page_word": ("Trang", "Page"),
    "ui_head_of_office": ("THỦ TRƯỞNG CƠ QUAN", "HEAD OF OFFICE"),
    "ui_sign_hint": ("(Ký, ghi rõ họ tên, đóng dấu)", "(Signature, full name, seal)"),
    "ui_book": ("Sổ", "Book"),
    "ui_reason_corrupt": ("Tệp hỏng, không đọc được", "Corrupt file, cannot be read"),
    "ui_reason_encrypted": ("Tệp có mật khẩu (mã hóa)", "Password-protected (encrypted)"),
    "ui_reason_empty": ("Tệp rỗng", "Empty file"),
    "ui_reason_too_large": ("Tệp quá lớn hoặc quá nhiều trang", "Too large or too many pages"),
    "ui_reason_timeout": ("Xử lý quá thời gian cho phép", "Processing took too long"),
    "ui_reason_unsupported": ("Định dạng không được hỗ trợ", "Unsupported format"),
    "ui_reason_hostile": ("Tệp có nội dung nguy hiểm", "Hostile content"),
    "ui_reason_crashed": ("Chương trình xử lý bị lỗi", "The extractor crashed"),
    "ui_reason_ocr_failed": ("Không nhận dạng được chữ (OCR)", "Text recognition (OCR) failed"),
    "ui_reference_filter": ("Dẫn chiếu số, ký hiệu", "Cites number/symbol"),
    "ui_stop_refresh": ("Dừng tự làm mới", "Stop refreshing"),
    "ui_refresh_stopped": ("Đã dừng tự làm mới", "Refreshing stopped"),
    # -- end of issue 22's block --------------------------------------------------
}


def action_label(action: str, language: str) -> str:
    """An audit action in ``language``; an action without a label shows as written."""
    pair = LABELS.get(f"audit_action_{action}")
    if pair is None:
        return action
    return pair[1] if language == "en" else pair[0]


def label(key: str, language: str, **values: object) -> str:
    """``key`` in ``language``; falls back to the CLI messages, then to the key."""
    pair = LABELS.get(key)
    if pair is None:
        return translate(key, language, **values)
    text = pair[1] if language == "en" else pair[0]
    return text.format(**values) if values else text


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
