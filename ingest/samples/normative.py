"""The body and closing of legal-normative documents: Luật, Nghị định, Thông tư.

They open with their legal bases (``Căn cứ ...``, italic) and an enacting
formula (``Chính phủ ban hành Nghị định ...``), run in chapters and articles,
and end on who executes them.  A law has no place and date under the motto:
its date is the day the National Assembly passed it, printed at the end
(``Luật này đã được Quốc hội ... thông qua ngày 27 tháng 6 năm 2024.``), and
only the Chairman of the Assembly signs it, without Nơi nhận.
"""

from __future__ import annotations

import random
from datetime import date

from ingest.samples.doctypes import DocType
from ingest.samples.spec import Para
from ingest.samples.vocabulary import LAW_NAMES, Body

BODY_SIZE = 13.5
SESSIONS = {2023: (5, 6), 2024: (7, 8), 2025: (9, 10)}  # 15th legislature, by year


def law_name(rng: random.Random) -> str:
    """A law's name, as in "Luật Lưu trữ"."""
    return rng.choice(LAW_NAMES)


def normative_subject(rng: random.Random, doc_type: DocType, topic: str) -> str:
    """The subject (trích yếu) of a Nghị định or Thông tư; a law's is its name."""
    if doc_type.name == "Luật":
        return law_name(rng).upper()
    if doc_type.name == "Thông tư" and rng.random() < 0.5:
        return f"Hướng dẫn thực hiện một số nội dung về {topic}"
    return rng.choice((f"Quy định chi tiết về {topic}", f"Quy định về {topic}"))


def _para(text: str, *, italic: bool = False, bold: bool = False, center: bool = False) -> Para:
    if center:
        return Para(text, bold=bold, size=BODY_SIZE, align="center", space_before=2)
    return Para(text, italic=italic, bold=bold, size=BODY_SIZE, indent=10, align="justify")


def _bases(rng: random.Random, doc_type: DocType, body: Body, subject: str, year: int
           ) -> tuple[list[str], list[str]]:  # fmt: skip
    """The preamble lines and the number/symbols they cite."""
    if doc_type.name == "Luật":
        name = subject.capitalize() if subject.isupper() else subject
        return ["Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;",
                f"Quốc hội ban hành Luật {name}."], []  # fmt: skip
    law = f"{rng.randrange(10, 90):02d}/{year - rng.randrange(0, 2)}/QH15"
    lower = subject[0].lower() + subject[1:]
    if doc_type.name == "Nghị định":
        return [f"Căn cứ Luật Tổ chức Chính phủ số {law};",
                f"Theo đề nghị của Bộ trưởng Bộ {rng.choice(('Nội vụ', 'Tài chính', 'Y tế'))};",
                f"Chính phủ ban hành Nghị định {lower}."], [law]  # fmt: skip
    decree = f"{rng.randrange(10, 360)}/{year - rng.randrange(0, 2)}/NĐ-CP"
    ministry = body.full_name
    return [f"Căn cứ Luật Ban hành văn bản quy phạm pháp luật số {law};",
            f"Căn cứ Nghị định số {decree} của Chính phủ quy định chức năng, nhiệm vụ, "
            f"quyền hạn và cơ cấu tổ chức của {ministry};",
            "Theo đề nghị của Vụ trưởng Vụ Pháp chế;",
            f"Bộ trưởng {ministry} ban hành Thông tư {lower}."], [law, decree]  # fmt: skip


def normative_body(
    rng: random.Random,
    doc_type: DocType,
    body: Body,
    sentences: list[str],
    subject: str,
    passed: date,
) -> tuple[list[Para], list[str]]:
    """Body paragraphs of a Luật, Nghị định or Thông tư and the number/symbols they cite.

    ``sentences`` fill the articles (one each); ``passed`` is a law's date.
    """
    bases, cited = _bases(rng, doc_type, body, subject, passed.year)
    out = [_para(line, italic=True) for line in bases]
    out += [_para("Chương I", bold=True, center=True), _para("NHỮNG QUY ĐỊNH CHUNG", bold=True,
                                                             center=True)]  # fmt: skip
    headings = ("Phạm vi điều chỉnh", "Đối tượng áp dụng", "Nguyên tắc thực hiện",
                "Trách nhiệm của cơ quan, tổ chức")  # fmt: skip
    for number, sentence in enumerate(sentences, start=1):
        out.append(_para(f"Điều {number}. {headings[(number - 1) % len(headings)]}", bold=True))
        out.append(_para(sentence))
    last = len(sentences) + 1
    out.append(_para(f"Điều {last}. Hiệu lực thi hành", bold=True))
    short = doc_type.name.lower() if doc_type.name != "Luật" else "luật"
    if doc_type.name == "Luật":
        effective = f"ngày 01 tháng 7 năm {passed.year + 1}"
        out.append(_para(f"Luật này có hiệu lực thi hành từ {effective}."))
        first, second = SESSIONS.get(passed.year, (9, 10))
        session = first if passed.month <= 7 else second
        out.append(_para("Luật này đã được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam "
                         f"khóa XV, kỳ họp thứ {session} thông qua {_day(passed)}.",
                         italic=True))  # fmt: skip
        return out, cited
    out.append(_para(f"{doc_type.name} này có hiệu lực thi hành kể từ ngày ký ban hành. Các bộ, "
                     f"cơ quan ngang bộ, Ủy ban nhân dân các tỉnh, thành phố chịu trách nhiệm "
                     f"thi hành {short} này./."))  # fmt: skip
    return out, cited


def _day(day: date) -> str:
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def normative_signature(rng: random.Random, doc_type: DocType, body: Body
                        ) -> tuple[list[str], str | None, str]:  # fmt: skip
    """Signature lines, authority prefix and signer title of a legal-normative document."""
    if doc_type.name == "Luật":
        return [body.head], None, body.head
    choices: list[tuple[str | None, list[str]]] = [("KT.", [f"KT. {body.head}", body.deputy]),
                                                   (None, [body.head])]  # fmt: skip
    if body.collective:
        choices.append(("TM.", [f"TM. {body.collective}", body.head]))
    authority, lines = rng.choice(choices)
    return lines, authority, lines[-1]


def normative_recipients(rng: random.Random, unit: str) -> list[str]:
    """Nơi nhận of a Nghị định or Thông tư: the central bodies, then ``Lưu``."""
    pool = ["Ban Bí thư Trung ương Đảng;", "Thủ tướng, các Phó Thủ tướng Chính phủ;",
            "Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ;",
            "HĐND, UBND các tỉnh, thành phố trực thuộc trung ương;", "Văn phòng Quốc hội;",
            "Công báo, Cổng thông tin điện tử Chính phủ;", "Kiểm toán nhà nước;"]  # fmt: skip
    return [*rng.sample(pool, k=rng.randint(3, 5)), f"Lưu: VT, {unit}."]
