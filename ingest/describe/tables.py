"""What the describer knows about Vietnamese documents, as plain data.

Names and abbreviations follow Decree 30/2020/ND-CP (art. 7, appendix III)
and the Party's guidance 36-HD/VPTW; see
/work/shared/domain/vietnamese-official-documents.md.
"""

from __future__ import annotations

from collections.abc import Mapping

from kernel.text import strip_marks

# Canonical type name -> state abbreviation (None: the type has no abbreviation).
STATE_TYPES: dict[str, str | None] = {
    "Nghị quyết": "NQ",
    "Quyết định": "QĐ",
    "Chỉ thị": "CT",
    "Quy chế": "QC",
    "Quy định": "QyĐ",
    "Thông cáo": "TC",
    "Thông báo": "TB",
    "Hướng dẫn": "HD",
    "Chương trình": "CTr",
    "Kế hoạch": "KH",
    "Phương án": "PA",
    "Đề án": "ĐA",
    "Dự án": "DA",
    "Báo cáo": "BC",
    "Biên bản": "BB",
    "Tờ trình": "TTr",
    "Hợp đồng": "HĐ",
    "Công văn": None,
    "Công điện": "CĐ",
    "Bản ghi nhớ": "BGN",
    "Bản thỏa thuận": "BTT",
    "Giấy ủy quyền": "GUQ",
    "Giấy mời": "GM",
    "Giấy giới thiệu": "GGT",
    "Giấy nghỉ phép": "GNP",
    "Phiếu gửi": "PG",
    "Phiếu chuyển": "PC",
    "Phiếu báo": "PB",
    "Thư công": None,
    "Luật": None,
    "Lệnh": "L",  # the President's order promulgating a law (05/2013/L-CTN)
    "Nghị định": "NĐ",
    "Thông tư": "TT",
    "Bản sao y": "SY",
    "Bản trích sao": "TrS",
    "Bản sao lục": "SL",
    # A consolidated text prints the consolidated document's own type as its
    # title; only its symbol (01/VBHN-BTC) says what it is.
    "Văn bản hợp nhất": "VBHN",
}

# Party types and abbreviations (36-HD/VPTW).  ``QĐ`` is ambiguous there.
PARTY_TYPES: dict[str, str] = {
    "Nghị quyết": "NQ",
    "Quyết định": "QĐ",
    "Quy định": "QĐ",
    "Chỉ thị": "CT",
    "Kết luận": "KL",
    "Thông tri": "TT",
    "Quy chế": "QC",
    "Quy trình": "QTr",
    "Hướng dẫn": "HD",
    "Thông báo": "TB",
    "Báo cáo": "BC",
    "Kế hoạch": "KH",
    "Chương trình": "CTr",
    "Tờ trình": "TTr",
    "Đề án": "ĐA",
    "Biên bản": "BB",
    "Công văn": "CV",
    "Công điện": "CĐ",
    "Giấy mời": "GM",
    "Giấy giới thiệu": "GGT",
}

# Title lines, matched folded and upper case, longest first so that
# "QUY ĐỊNH" is not read as a prefix of something shorter.
TITLE_WORDS: tuple[tuple[str, str], ...] = tuple(
    sorted(
        ((strip_marks(name).upper(), name) for name in {**STATE_TYPES, **PARTY_TYPES}),
        key=lambda pair: -len(pair[0]),
    )
)


def _abbr_index(types: Mapping[str, str | None]) -> dict[str, str]:
    index: dict[str, str] = {}
    for name, abbr in types.items():
        if abbr is not None:
            index.setdefault(abbr, name)
    return index


STATE_ABBR: dict[str, str] = _abbr_index(STATE_TYPES)
PARTY_ABBR: dict[str, str] = _abbr_index(PARTY_TYPES)

# Every abbreviation a symbol may open with; any other first segment of a state
# symbol is an issuer, which makes the document a công văn.
TYPE_ABBRS: frozenset[str] = frozenset(STATE_ABBR) | frozenset(PARTY_ABBR)

# Copy forms (Decree 30, art. 25): the abbreviation opening a copy's symbol
# (folded, upper case) -> (canonical name, the form word printed in the block).
COPY_FORMS: dict[str, tuple[str, str]] = {
    "SY": ("Bản sao y", "SAO Y"),
    "TRS": ("Bản trích sao", "TRÍCH SAO"),
    "SL": ("Bản sao lục", "SAO LỤC"),
}

# Signature authority prefixes, folded upper form -> printed form.
AUTHORITY_PREFIXES: dict[str, str] = {
    "TM.": "TM.",
    "KT.": "KT.",
    "Q.": "Q.",
    "TL.": "TL.",
    "TUQ.": "TUQ.",
    "T/M": "T/M",
    "K/T": "K/T",
    "T/L": "T/L",
}

# Stamped marks: folded upper line -> (field, value as printed).
MARKS: dict[str, tuple[str, str]] = {
    "MAT": ("secrecy", "MẬT"),
    "TOI MAT": ("secrecy", "TỐI MẬT"),
    "TUYET MAT": ("secrecy", "TUYỆT MẬT"),
    "KHAN": ("urgency", "KHẨN"),
    "THUONG KHAN": ("urgency", "THƯỢNG KHẨN"),
    "HOA TOC": ("urgency", "HỎA TỐC"),
    "XEM XONG TRA LAI": ("circulation", "XEM XONG TRẢ LẠI"),
    "LUU HANH NOI BO": ("circulation", "LƯU HÀNH NỘI BỘ"),
}

# First words of a line that opens an issuing body (folded, upper case).
# Level words (TỈNH, XÃ, ...) only open a body when followed by ỦY (Party
# committees); otherwise they qualify the body on the line above.
BODY_OPENERS: tuple[str, ...] = (
    "UY BAN", "UBND", "HOI DONG", "HDND", "BO ", "SO ", "PHONG ", "BAN ", "VAN PHONG",
    "CUC ", "TONG CUC", "VU ", "CHI CUC", "TRUNG TAM", "TRUONG ", "BENH VIEN", "VIEN ",
    "CONG AN", "BO CHI HUY", "THANH TRA", "KHO BAC", "NGAN HANG", "TOA AN", "QUOC HOI",
    "CHINH PHU", "THU TUONG", "CHU TICH NUOC", "DANG BO", "DANG UY", "TINH UY", "THANH UY",
    "HUYEN UY", "QUAN UY", "THI UY", "BAN CHAP HANH", "CHI BO", "MAT TRAN", "DOAN ",
    "CONG TY", "TONG CONG TY", "DAI HOC", "BAO HIEM", "LIEN DOAN", "HOI ",
)  # fmt: skip

# Words of body names that have one spelling, whatever marks OCR put on them
# ("ĐÁNG ỦY" is "ĐẢNG ỦY"): no other word folds to the same letters in a header.
BODY_WORDS: tuple[str, ...] = (
    "ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "ĐẢNG ỦY", "ĐẢNG BỘ", "TỈNH ỦY", "THÀNH ỦY",
    "HUYỆN ỦY", "QUẬN ỦY", "THỊ ỦY", "BAN CHẤP HÀNH", "BAN THƯỜNG VỤ", "THƯỜNG TRỰC", "CHI BỘ",
    "VĂN PHÒNG",
    "CHÍNH PHỦ", "QUỐC HỘI", "TRUNG ƯƠNG", "MẶT TRẬN TỔ QUỐC", "THỦ TƯỚNG",
    # Words of state body names in the national closed list (the general
    # department of customs, social insurance, management boards, the
    # propaganda and the emulation-and-commendation boards).
    "TỔNG CỤC", "HẢI QUAN", "BẢO HIỂM XÃ HỘI", "QUẢN LÝ", "TUYÊN GIÁO", "THI ĐUA",
    "KHEN THƯỞNG",
    "TỈNH", "THÀNH PHỐ", "HUYỆN", "XÃ", "PHƯỜNG",  # levels: "TÍNH SƠN LA" is TỈNH
)  # fmt: skip

# Abbreviations that hold a Đ, as OCR returns them without the stroke.  Only
# unambiguous ones: "DA" (Dự án) and "HD" (Hướng dẫn) are real abbreviations too.
OCR_STROKE_REPAIRS: dict[str, str] = {
    abbr.replace("Đ", "D"): abbr
    for abbr in (
        "QĐ", "QyĐ", "NĐ", "CĐ", "HĐND", "BGDĐT", "SGDĐT", "ĐU", "CQĐP", "QLĐĐ", "VPĐU",
        "BTCĐ", "HĐTĐKT", "SGTVTĐ",
    )
}  # fmt: skip

# The closed list of national state bodies (Constitution 2013; Government
# organisation after Resolution 176/2025/QH15, and the ministries it merged,
# which older documents name): a header read by OCR is checked against it.
NATIONAL_BODIES: tuple[str, ...] = (
    "QUỐC HỘI", "ỦY BAN THƯỜNG VỤ QUỐC HỘI", "VĂN PHÒNG QUỐC HỘI", "CHỦ TỊCH NƯỚC",
    "VĂN PHÒNG CHỦ TỊCH NƯỚC", "CHÍNH PHỦ", "THỦ TƯỚNG CHÍNH PHỦ", "VĂN PHÒNG CHÍNH PHỦ",
    "HỘI ĐỒNG BỘ TRƯỞNG", "BỘ QUỐC PHÒNG", "BỘ CÔNG AN", "BỘ NGOẠI GIAO", "BỘ NỘI VỤ",
    "BỘ TƯ PHÁP", "BỘ TÀI CHÍNH", "BỘ CÔNG THƯƠNG", "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
    "BỘ XÂY DỰNG", "BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "BỘ KHOA HỌC VÀ CÔNG NGHỆ",
    "BỘ GIÁO DỤC VÀ ĐÀO TẠO", "BỘ Y TẾ", "BỘ DÂN TỘC VÀ TÔN GIÁO",
    "NGÂN HÀNG NHÀ NƯỚC VIỆT NAM", "THANH TRA CHÍNH PHỦ", "KIỂM TOÁN NHÀ NƯỚC",
    "BỘ KẾ HOẠCH VÀ ĐẦU TƯ", "BỘ GIAO THÔNG VẬN TẢI", "BỘ LAO ĐỘNG, THƯƠNG BINH VÀ XÃ HỘI",
    "BỘ THÔNG TIN VÀ TRUYỀN THÔNG", "BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG",
    "BỘ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN", "ỦY BAN DÂN TỘC", "TÒA ÁN NHÂN DÂN TỐI CAO",
    "VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO", "TỔNG CỤC HẢI QUAN",
    "TỔNG CỤC THUẾ", "KHO BẠC NHÀ NƯỚC", "ĐÀI TRUYỀN HÌNH VIỆT NAM", "ĐÀI TIẾNG NÓI VIỆT NAM",
    "THÔNG TẤN XÃ VIỆT NAM", "HỌC VIỆN CHÍNH TRỊ QUỐC GIA HỒ CHÍ MINH",
    "VIỆN HÀN LÂM KHOA HỌC VÀ CÔNG NGHỆ VIỆT NAM", "VIỆN HÀN LÂM KHOA HỌC XÃ HỘI VIỆT NAM",
    "BAN CHẤP HÀNH TRUNG ƯƠNG", "BỘ CHÍNH TRỊ", "BAN BÍ THƯ",
    # Ministries and committees of the 1992-2007 Governments merged or renamed
    # since (Resolutions 01/2007/QH12, 02/2002/QH11), which older documents name.
    "BỘ THƯƠNG MẠI", "BỘ CÔNG NGHIỆP", "BỘ THỦY SẢN", "BỘ BƯU CHÍNH, VIỄN THÔNG",
    "BỘ VĂN HÓA - THÔNG TIN", "BỘ KHOA HỌC, CÔNG NGHỆ VÀ MÔI TRƯỜNG",
    "ỦY BAN THỂ DỤC THỂ THAO", "ỦY BAN DÂN SỐ, GIA ĐÌNH VÀ TRẺ EM",
)  # fmt: skip
