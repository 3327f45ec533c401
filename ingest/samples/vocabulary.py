"""Words the sample documents are made of: places, bodies, people, subjects.

Kept as plain data so the composer stays readable.  The provinces are the
34 provincial units after the 2025 merger; the bodies are the ones a provincial
People's Committee office really exchanges documents with.
"""

from __future__ import annotations

from dataclasses import dataclass

PROVINCES: tuple[str, ...] = (
    "Lâm Đồng", "Đắk Lắk", "Gia Lai", "Khánh Hòa", "Nghệ An", "Thanh Hóa", "Quảng Ninh",
    "Lào Cai", "Tuyên Quang", "Phú Thọ", "Ninh Bình", "Hưng Yên", "Đồng Nai", "Tây Ninh",
    "An Giang", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "Quảng Ngãi", "Quảng Trị", "Hà Tĩnh",
    "Bắc Ninh", "Thái Nguyên", "Lạng Sơn", "Cao Bằng", "Điện Biên", "Lai Châu", "Sơn La",
)  # fmt: skip

COMMUNES: tuple[str, ...] = (
    "Đức Trọng", "Lâm Hà", "Di Linh", "Bảo Lộc", "Xuân Hương - Đà Lạt", "Lang Biang",
    "Tân Hội", "Phú Sơn", "Hòa Bình", "Tân Thành", "Quảng Tín", "Nam Ban", "Đinh Văn",
    "Hiệp Thạnh", "Gia Hiệp", "Ninh Gia", "Tà Nung", "Đạ Huoai", "Cát Tiên", "Bảo Thuận",
)  # fmt: skip

FAMILY_NAMES = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
    "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương", "Lương", "Mai",
)  # fmt: skip
MIDDLE_NAMES = (
    "Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quốc", "Ngọc", "Thu", "Hoài",
    "Xuân", "Công", "Trọng", "Kim", "Hồng", "Anh",
)  # fmt: skip
GIVEN_NAMES = (
    "Hùng", "Lan", "Phương", "Tuấn", "Dũng", "Hương", "Hải", "Long", "Mai", "Sơn",
    "Thắng", "Hà", "Bình", "Cường", "Nga", "Khoa", "Quân", "Yến", "Thủy", "Trung",
    "Việt", "Hiếu", "Đông", "Châu", "Nhân", "Tâm", "Phúc", "Oanh", "Lực", "Hạnh",
)  # fmt: skip

# Topics (noun phrases) that subjects and body sentences are built from.
TOPICS: tuple[str, ...] = (
    "chuyển đổi số trong cơ quan hành chính nhà nước",
    "phòng, chống thiên tai và tìm kiếm cứu nạn",
    "cải cách thủ tục hành chính",
    "sắp xếp tổ chức bộ máy sau hợp nhất",
    "xây dựng nông thôn mới",
    "bảo đảm an toàn thực phẩm dịp Tết Nguyên đán",
    "phòng cháy, chữa cháy và cứu nạn, cứu hộ",
    "quản lý, sử dụng đất đai",
    "tuyển sinh vào lớp 10 trung học phổ thông",
    "giải ngân vốn đầu tư công",
    "phòng, chống dịch sốt xuất huyết",
    "bảo vệ rừng và phòng cháy, chữa cháy rừng mùa khô",
    "thu ngân sách nhà nước",
    "chi trả chế độ chính sách cho người có công",
    "lưu trữ hồ sơ, tài liệu điện tử",
    "xóa nhà tạm, nhà dột nát",
    "phát triển du lịch cộng đồng",
    "bảo đảm trật tự an toàn giao thông",
    "cấp căn cước cho công dân",
    "quản lý khai thác khoáng sản",
    "ứng dụng trí tuệ nhân tạo trong giải quyết thủ tục hành chính",
    "tổng kết công tác thi đua, khen thưởng",
    "phòng, chống tham nhũng, tiêu cực",
    "thực hiện dân chủ ở cơ sở",
    "nâng cao chất lượng nguồn nhân lực",
)

ACTIONS: tuple[str, ...] = (
    "triển khai thực hiện", "tăng cường công tác", "đẩy mạnh", "tổ chức thực hiện",
    "kiểm tra, đôn đốc", "hướng dẫn thực hiện", "tổng kết, đánh giá",
)  # fmt: skip

# Body sentences; "{topic}", "{province}" and "{year}" are filled in.
SENTENCES: tuple[str, ...] = (
    "Tăng cường công tác {topic}, bảo đảm đúng quy định của pháp luật và phù hợp với "
    "tình hình thực tế của địa phương.",
    "Các sở, ban, ngành, Ủy ban nhân dân các xã, phường chủ động rà soát, xây dựng kế hoạch "
    "cụ thể, phân công rõ người, rõ việc, rõ thời gian hoàn thành.",
    "Định kỳ hằng quý báo cáo kết quả thực hiện về Ủy ban nhân dân tỉnh (qua Sở Nội vụ) "
    "để tổng hợp, báo cáo theo quy định.",
    "Trong năm {year}, toàn tỉnh đã hoàn thành cơ bản các chỉ tiêu về {topic}; tuy nhiên "
    "vẫn còn một số khó khăn, vướng mắc cần tập trung tháo gỡ.",
    "Giao Sở Tài chính chủ trì, phối hợp với các cơ quan liên quan tham mưu bố trí kinh phí "
    "thực hiện từ nguồn ngân sách địa phương.",
    "Người đứng đầu cơ quan, đơn vị chịu trách nhiệm trước Chủ tịch Ủy ban nhân dân tỉnh nếu "
    "để xảy ra chậm trễ, thiếu trách nhiệm trong tổ chức thực hiện.",
    "Đẩy mạnh tuyên truyền, phổ biến để cán bộ, công chức và Nhân dân hiểu rõ mục đích, "
    "ý nghĩa của công tác {topic}.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, kịp thời phản ánh về Văn phòng "
    "Ủy ban nhân dân tỉnh để được hướng dẫn.",
    "Kết quả kiểm tra cho thấy việc thực hiện tại một số địa phương còn chậm, chất lượng "
    "hồ sơ chưa bảo đảm, cần khắc phục ngay trong quý tới.",
    "Bảo đảm kinh phí, nhân lực, trang thiết bị cần thiết để triển khai có hiệu quả, "
    "không để gián đoạn hoạt động của cơ quan, đơn vị.",
)


@dataclass(frozen=True)
class Body:
    """An issuing body: how it prints, its abbreviation and who signs for it."""

    lines: tuple[str, ...]  # issuing body as printed (upper case), one entry per line
    abbr: str
    parent: str | None  # parent body (plain caps) or None
    head: str  # title of the head, e.g. "CHỦ TỊCH"
    deputy: str  # e.g. "PHÓ CHỦ TỊCH"
    collective: str | None  # for TM./T/M, e.g. "ỦY BAN NHÂN DÂN"
    place: str  # place printed before the date
    units: tuple[str, ...]  # drafting units, for công văn symbols ("VX", "KT")
    party: bool = False
    full_name: str = ""  # how other documents cite it, e.g. "Ủy ban nhân dân tỉnh"

    @property
    def name(self) -> str:
        return " ".join(self.lines)


def state_bodies(province: str) -> list[Body]:
    """The state bodies of ``province`` and the central ones it deals with."""
    up = province.upper()
    p = province
    return [
        Body(("ỦY BAN NHÂN DÂN", f"TỈNH {up}"), "UBND", None, "CHỦ TỊCH", "PHÓ CHỦ TỊCH",
             "ỦY BAN NHÂN DÂN", p, ("VX", "KT", "NC", "TH"), full_name=f"Ủy ban nhân dân tỉnh {p}"),
        Body(("HỘI ĐỒNG NHÂN DÂN", f"TỈNH {up}"), "HĐND", None, "CHỦ TỊCH", "PHÓ CHỦ TỊCH",
             "HỘI ĐỒNG NHÂN DÂN", p, ("VP",), full_name=f"Hội đồng nhân dân tỉnh {p}"),
        Body(("SỞ NỘI VỤ",), "SNV", f"UBND TỈNH {up}", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", None, p,
             ("CCHC", "TCBC"), full_name="Sở Nội vụ"),
        Body(("SỞ TÀI CHÍNH",), "STC", f"UBND TỈNH {up}", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", None, p,
             ("NS", "ĐT"), full_name="Sở Tài chính"),
        Body(("SỞ GIÁO DỤC VÀ ĐÀO TẠO",), "SGDĐT", f"UBND TỈNH {up}", "GIÁM ĐỐC",
             "PHÓ GIÁM ĐỐC", None, p, ("GDTrH", "KTKĐ"), full_name="Sở Giáo dục và Đào tạo"),
        Body(("SỞ NÔNG NGHIỆP", "VÀ MÔI TRƯỜNG"), "SNNMT", f"UBND TỈNH {up}", "GIÁM ĐỐC",
             "PHÓ GIÁM ĐỐC", None, p, ("QLĐĐ", "TL"), full_name="Sở Nông nghiệp và Môi trường"),
        Body(("SỞ VĂN HÓA, THỂ THAO", "VÀ DU LỊCH"), "SVHTTDL", f"UBND TỈNH {up}", "GIÁM ĐỐC",
             "PHÓ GIÁM ĐỐC", None, p, ("QLDL",), full_name="Sở Văn hóa, Thể thao và Du lịch"),
        Body(("SỞ Y TẾ",), "SYT", f"UBND TỈNH {up}", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", None, p,
             ("NVY",), full_name="Sở Y tế"),
        Body(("VĂN PHÒNG",), "VP", f"UBND TỈNH {up}", "CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG",
             None, p, ("HCTC", "KSTT"), full_name=f"Văn phòng Ủy ban nhân dân tỉnh {p}"),
    ]  # fmt: skip


def commune_body(province: str, commune: str) -> Body:
    """A commune or ward People's Committee (two-level local government since 2025)."""
    kind = "PHƯỜNG" if " - " in commune or commune in ("Bảo Lộc", "Lang Biang") else "XÃ"
    return Body(
        ("ỦY BAN NHÂN DÂN", f"{kind} {commune.upper()}"), "UBND", f"TỈNH {province.upper()}",
        "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "ỦY BAN NHÂN DÂN", commune, ("VP",),
        full_name=f"Ủy ban nhân dân {kind.lower()} {commune}",
    )  # fmt: skip


CENTRAL_BODIES: tuple[Body, ...] = (
    Body(("CHÍNH PHỦ",), "CP", None, "THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "CHÍNH PHỦ", "Hà Nội", ("KGVX",),
         full_name="Chính phủ"),
    Body(("VĂN PHÒNG CHÍNH PHỦ",), "VPCP", None, "BỘ TRƯỞNG, CHỦ NHIỆM", "PHÓ CHỦ NHIỆM", None,
         "Hà Nội", ("KGVX", "KTTH", "NN", "V.I"), full_name="Văn phòng Chính phủ"),
    Body(("BỘ NỘI VỤ",), "BNV", None, "BỘ TRƯỞNG", "THỨ TRƯỞNG", None, "Hà Nội",
         ("CQĐP", "VTLTNN", "TCBC"), full_name="Bộ Nội vụ"),
    Body(("BỘ TÀI CHÍNH",), "BTC", None, "BỘ TRƯỞNG", "THỨ TRƯỞNG", None, "Hà Nội", ("NSNN", "ĐT"),
         full_name="Bộ Tài chính"),
    Body(("BỘ GIÁO DỤC VÀ ĐÀO TẠO",), "BGDĐT", None, "BỘ TRƯỞNG", "THỨ TRƯỞNG", None, "Hà Nội",
         ("GDTrH", "QLCL"), full_name="Bộ Giáo dục và Đào tạo"),
    Body(("BỘ Y TẾ",), "BYT", None, "BỘ TRƯỞNG", "THỨ TRƯỞNG", None, "Hà Nội", ("DP", "KCB"),
         full_name="Bộ Y tế"),
)  # fmt: skip


# Laws are passed by the National Assembly; its symbol carries the legislature
# ("45/2024/QH15"): the sample dates (2023-2025) all fall in the 15th (2021-2026).
NATIONAL_ASSEMBLY = Body(("QUỐC HỘI",), "QH15", None, "CHỦ TỊCH QUỐC HỘI", "PHÓ CHỦ TỊCH QUỐC HỘI",
                         None, "Hà Nội", ("VPQH",), full_name="Quốc hội")  # fmt: skip

# Names of laws ("Luật <name>"), printed in capitals under the title line LUẬT.
LAW_NAMES: tuple[str, ...] = (
    "Lưu trữ", "Dữ liệu", "Đất đai", "Tổ chức chính quyền địa phương", "Đầu tư công",
    "Ban hành văn bản quy phạm pháp luật", "Phòng cháy, chữa cháy và cứu nạn, cứu hộ",
    "Cán bộ, công chức", "Căn cước", "Thủ đô",
)  # fmt: skip


def party_bodies(province: str, commune: str) -> list[Body]:
    """Party committees a provincial office receives documents from."""
    up = province.upper()
    return [
        Body(("BAN CHẤP HÀNH TRUNG ƯƠNG",), "TW", None, "TỔNG BÍ THƯ", "THƯỜNG TRỰC BAN BÍ THƯ",
             "BAN BÍ THƯ", "Hà Nội", ("VPTW",), party=True, full_name="Ban Chấp hành Trung ương"),
        Body(("TỈNH ỦY",), "TU", f"ĐẢNG BỘ TỈNH {up}", "BÍ THƯ", "PHÓ BÍ THƯ", "BAN THƯỜNG VỤ",
             province, ("VPTU",), party=True, full_name=f"Tỉnh ủy {province}"),
        Body(("BAN TỔ CHỨC",), "BTCTU", f"TỈNH ỦY {up}", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", None,
             province, ("TC",), party=True, full_name="Ban Tổ chức Tỉnh ủy"),
        Body((f"ĐẢNG ỦY XÃ {commune.upper()}",), "ĐU", f"ĐẢNG BỘ TỈNH {up}", "BÍ THƯ",
             "PHÓ BÍ THƯ", "BAN THƯỜNG VỤ", commune, ("VP",), party=True,
             full_name=f"Đảng ủy xã {commune}"),
    ]  # fmt: skip
