"""The words of the monthly report, in Vietnamese (the default) and English."""

from __future__ import annotations

from kernel.i18n import Catalog, lookup

LABELS: Catalog = {
    "title": {"vi": "Báo cáo thống kê văn bản tháng {month}",
              "en": "Document statistics for {month}"},
    "generated": {"vi": "Lập lúc {at}", "en": "Generated {at}"},
    "incoming": {"vi": "Văn bản đến", "en": "Incoming documents"},
    "outgoing": {"vi": "Văn bản đi", "en": "Outgoing documents"},
    "totals": {"vi": "Tổng hợp", "en": "Totals"},
    "doc_type": {"vi": "Theo loại văn bản", "en": "By document type"},
    "issuing_body": {"vi": "Theo cơ quan ban hành", "en": "By issuing body"},
    "folder": {"vi": "Theo đơn vị nhận", "en": "By receiving department"},
    "col_section": {"vi": "Mục", "en": "Section"},
    "col_direction": {"vi": "Chiều", "en": "Direction"},
    "col_value": {"vi": "Giá trị", "en": "Value"},
    "current": {"vi": "Tháng {month}", "en": "{month}"},
    "previous": {"vi": "Tháng trước ({month})", "en": "Previous month ({month})"},
    "last_year": {"vi": "Cùng kỳ năm trước ({month})", "en": "Same month last year ({month})"},
    "year_to_date": {"vi": "Lũy kế từ đầu năm", "en": "Year to date"},
    "change": {"vi": "Tăng/giảm so với tháng trước", "en": "Change on previous month"},
    "not_stated": {"vi": "(không xác định)", "en": "(not stated)"},
    "all": {"vi": "Tổng số", "en": "All"},
    "trend": {"vi": "Số văn bản 13 tháng gần nhất", "en": "Documents over the last 13 months"},
    "none": {"vi": "Không có văn bản.", "en": "No documents."},
    "tracking": {"vi": "Theo dõi giải quyết văn bản đến, theo đơn vị chủ trì",
                 "en": "Handling of incoming documents, by lead unit"},
    "col_unit": {"vi": "Đơn vị", "en": "Unit"},
    "received": {"vi": "Nhận trong tháng", "en": "Received"},
    "on_time": {"vi": "Đã xử lý đúng hạn", "en": "Handled on time"},
    "late": {"vi": "Đã xử lý quá hạn", "en": "Handled late"},
    "still_open": {"vi": "Còn đang xử lý cuối tháng", "en": "Still open at month end"},
    "overdue": {"vi": "Trong đó quá hạn", "en": "Of which overdue"},
    "no_tracking": {"vi": "Chưa giao văn bản nào cho đơn vị xử lý.",
                    "en": "No documents were assigned to units."},
    # Which clearance a report is for: printed at its head, so a manager knows
    # which of the four files they hold.  Index = the highest secrecy counted.
    "scope_0": {"vi": "Phạm vi: văn bản thường, không gồm văn bản mật. "
                      "Bản dành cho người không được xem văn bản mật.",
                "en": "Scope: ordinary documents only, no secret documents. "
                      "For readers not cleared for secret documents."},
    "scope_1": {"vi": "Phạm vi: văn bản thường và văn bản độ MẬT. "
                      "Chỉ dành cho người được xem văn bản độ MẬT.",
                "en": "Scope: ordinary documents and those marked MẬT (secret). "
                      "Only for readers cleared for MẬT."},
    "scope_2": {"vi": "Phạm vi: văn bản thường và văn bản mật đến độ TỐI MẬT. "
                      "Chỉ dành cho người được xem văn bản độ TỐI MẬT.",
                "en": "Scope: ordinary and secret documents up to TỐI MẬT (top secret). "
                      "Only for readers cleared for TỐI MẬT."},
    "scope_3": {"vi": "Phạm vi: mọi văn bản, gồm văn bản mật đến độ TUYỆT MẬT. "
                      "Chỉ dành cho người được xem văn bản độ TUYỆT MẬT.",
                "en": "Scope: every document, secret ones up to TUYỆT MẬT (absolutely secret). "
                      "Only for readers cleared for TUYỆT MẬT."},
}


def label(key: str, language: str, **values: object) -> str:
    """The label ``key`` in ``language`` (English if missing), with ``values`` filled in."""
    return lookup(LABELS, key, language, **values) or key
