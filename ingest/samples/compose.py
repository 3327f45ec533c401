"""Compose Vietnamese state (Decree 30/2020) and Party documents as ``DocumentSpec``.

Every random choice comes from the ``random.Random`` passed in, so a seed gives
the same documents.  ``Variant`` carries the real-world irregularities the
extractor must survive (no colon after ``Số``, a wrapped date line, ...).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from ingest.samples.doctypes import DocType
from ingest.samples.normative import (
    normative_body,
    normative_recipients,
    normative_signature,
    normative_subject,
)
from ingest.samples.spec import DocumentSpec, Para
from ingest.samples.vocabulary import (
    ACTIONS,
    CENTRAL_BODIES,
    FAMILY_NAMES,
    GIVEN_NAMES,
    MIDDLE_NAMES,
    SENTENCES,
    TOPICS,
    Body,
)

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
PARTY_NAME = "ĐẢNG CỘNG SẢN VIỆT NAM"
HEADER_SIZE = 12.5
BODY_SIZE = 13.5


@dataclass(frozen=True)
class Variant:
    """Irregularities and marks of one document."""

    number_style: str = "colon"  # "colon" | "no_colon" | "no_space"
    padded: bool = False  # "0204"
    wrap_date: bool = False  # place and date on two lines
    no_comma: bool = False  # "Hà Nội ngày 01 tháng 12 năm 2023"
    khan_title: bool = False  # subject in caps containing KHẨN, which is not a mark
    secrecy: str | None = None
    urgency: str | None = None
    circulation: str | None = None
    paragraphs: int = 3  # body length; more paragraphs give more pages


def person_name(rng: random.Random) -> str:
    """A Vietnamese full name."""
    return f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"


def random_date(rng: random.Random, start: date = date(2023, 1, 3), days: int = 1050) -> date:
    """A working day between ``start`` and ``start + days``."""
    day = start + timedelta(days=rng.randrange(days))
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def vn_date(day: date) -> str:
    """``ngày 05 tháng 01 năm 2025``: days below 10 and months 1-2 take a zero (Decree 30)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def format_number(value: int, *, padded: bool) -> str:
    """Numbers below 10 take a leading zero; some offices pad to four digits."""
    return f"{value:04d}" if padded else f"{value:02d}"


def _symbol(doc_type: DocType, body: Body, number: str, year: int, unit: str) -> dict[str, str]:
    """The number/symbol and its parts, for a state or Party document."""
    if body.party:
        return {
            "number_symbol": f"{number}-{doc_type.abbr}/{body.abbr}",
            "number": number,
            "type_abbr": str(doc_type.abbr),
            "issuer_abbr": body.abbr,
        }
    parts: dict[str, str] = {"number": number, "issuer_abbr": body.abbr}
    if doc_type.abbr is None and doc_type.legal:  # a law: 45/2024/QH15, no type part
        parts["number_symbol"] = f"{number}/{year}/{body.abbr}"
        parts["number_year"] = str(year)
    elif doc_type.abbr is None:  # công văn: issuer plus drafting unit, no type
        parts["number_symbol"] = f"{number}/{body.abbr}-{unit}"
    elif doc_type.legal:
        parts["number_symbol"] = f"{number}/{year}/{doc_type.abbr}-{body.abbr}"
        parts["number_year"] = str(year)
        parts["type_abbr"] = doc_type.abbr
    else:
        parts["number_symbol"] = f"{number}/{doc_type.abbr}-{body.abbr}"
        parts["type_abbr"] = doc_type.abbr
    return parts


def _subject(rng: random.Random, doc_type: DocType, topic: str, year: int, party: bool) -> str:
    if doc_type.body in ("normative", "law"):
        return normative_subject(rng, doc_type, topic)
    action = rng.choice(ACTIONS)
    if doc_type.titled is False:
        return f"V/v {action} {topic}"
    decisions = ("Quyết định", "Nghị quyết", "Nghị định", "Thông tư")
    if doc_type.name in decisions and rng.random() < 0.5:
        text = f"Ban hành Quy định về {topic}"
    elif doc_type.name in ("Kế hoạch", "Chương trình", "Phương án", "Đề án", "Dự án"):
        text = f"{action.capitalize()} {topic} năm {year}"
    elif doc_type.name == "Báo cáo":
        text = f"Kết quả {topic} năm {year}"
    elif doc_type.name in ("Giấy mời", "Biên bản"):
        text = f"Hội nghị sơ kết công tác {topic}"
    else:
        text = f"Về việc {action} {topic}"
    return text[0].lower() + text[1:] if party else text


def _references(rng: random.Random, year: int) -> list[tuple[str, str]]:
    """Cited documents: (number/symbol, sentence citing it)."""
    decree_year = year - rng.randrange(0, 2)
    decree = f"{rng.randrange(100, 360)}/{decree_year}/NĐ-CP"
    law_year = rng.choice((2015, 2019, 2025))
    legislature = 13 if law_year < 2016 else 14 + (law_year > 2020)
    law = f"{rng.randrange(20, 90)}/{law_year}/QH{legislature}"
    central = rng.choice(CENTRAL_BODIES)
    letter = f"{rng.randrange(100, 12000)}/{central.abbr}-{rng.choice(central.units)}"
    decree_day = vn_date(date(decree_year, 1, 1) + timedelta(days=rng.randrange(200)))
    return [
        (law, f"Căn cứ Luật Tổ chức chính quyền địa phương số {law};"),
        (
            decree,
            f"Căn cứ Nghị định số {decree} {decree_day} của Chính phủ quy định chức năng, "
            "nhiệm vụ, quyền hạn và cơ cấu tổ chức;",
        ),
        (
            letter,
            f"Thực hiện Công văn số {letter} của {central.full_name} về việc {rng.choice(TOPICS)};",
        ),
    ]


def _sentence(rng: random.Random, topic: str, year: int) -> str:
    return rng.choice(SENTENCES).format(topic=topic, year=year)


def _body(
    rng: random.Random, doc_type: DocType, body: Body, topic: str, year: int, paragraphs: int
) -> tuple[list[Para], list[str]]:
    """Body paragraphs and the number/symbols they cite."""
    refs = _references(rng, year)
    chosen = sorted(rng.sample(refs, k=rng.randint(1, len(refs))), key=refs.index)
    cited = [symbol for symbol, _ in chosen]
    italic = doc_type.body == "decision"
    out = [Para(text, size=BODY_SIZE, italic=italic, indent=10, align="justify")
           for _, text in chosen]  # fmt: skip
    if doc_type.body == "decision":
        proposal = f"{rng.randrange(10, 900)}/TTr-{rng.choice(('SNV', 'STC', 'SNNMT', 'SYT'))}"
        cited.append(proposal)
        out.append(Para(f"Theo đề nghị tại Tờ trình số {proposal}.", size=BODY_SIZE, italic=True,
                        indent=10, align="justify"))  # fmt: skip
        verb = "QUYẾT NGHỊ:" if doc_type.name == "Nghị quyết" else f"{doc_type.title}:"
        out.append(Para(verb, bold=True, size=BODY_SIZE + 0.5, align="center", space_before=2))
        articles = max(paragraphs, 2)
        for i in range(1, articles):
            out.append(Para(f"Điều {i}. {_sentence(rng, topic, year)}", size=BODY_SIZE, indent=10,
                            align="justify"))  # fmt: skip
        out.append(
            Para(
                f"Điều {articles}. Chánh Văn phòng, Giám đốc các sở, ban, ngành và Chủ "
                f"tịch Ủy ban nhân dân các xã, phường chịu trách nhiệm thi hành "
                f"{doc_type.name} này./.",
                size=BODY_SIZE,
                indent=10,
                align="justify",
            )
        )
        return out, cited
    for i in range(1, paragraphs + 1):
        prefix = f"{i}. " if doc_type.body in ("letter", "report") else ""
        out.append(Para(prefix + " ".join(_sentence(rng, topic, year) for _ in range(2)),
                        size=BODY_SIZE, indent=10, align="justify"))  # fmt: skip
    out.append(Para("Đề nghị các cơ quan, đơn vị nghiêm túc triển khai thực hiện./.",
                    size=BODY_SIZE, indent=10, align="justify"))  # fmt: skip
    return out, cited


def signature_lines(rng: random.Random, body: Body) -> tuple[list[str], str | None, str]:
    """Signature lines (caps), the authority prefix and the signer's title."""
    choices: list[tuple[str | None, list[str]]] = []
    slash = body.party
    tm, kt, tl = ("T/M", "K/T", "T/L") if slash else ("TM.", "KT.", "TL.")
    if body.collective:
        choices.append((tm, [f"{tm} {body.collective}", body.head]))
    choices.append((kt, [f"{kt} {body.head}", body.deputy]))
    choices.append((tl, [f"{tl} {body.collective or body.head}", "CHÁNH VĂN PHÒNG"]))
    if not slash:
        choices.append(("TUQ.", [f"TUQ. {body.head}", "CHÁNH VĂN PHÒNG"]))
        choices.append(("Q.", [f"Q. {body.head}"]))
        choices.append((None, [body.head]))
    authority, lines = rng.choice(choices)
    title = lines[-1].removeprefix(f"{authority} ") if authority else lines[-1]
    return lines, authority, title


def _recipients(rng: random.Random, body: Body, doc_type: DocType, unit: str) -> list[str]:
    first = "Như Điều 3;" if doc_type.body == "decision" else "Như trên;"
    pool = ["Bộ Nội vụ;", "TT Tỉnh ủy, TT HĐND tỉnh;", "CT, các PCT UBND tỉnh;",
            "Các sở, ban, ngành;", "UBND các xã, phường;", "Báo và Đài PT-TH tỉnh;",
            "Cổng thông tin điện tử tỉnh;"]  # fmt: skip
    if body.party:
        pool = ["Ban Bí thư (để b/c);", "Các đảng bộ trực thuộc;", "Các ban đảng Tỉnh ủy;",
                "Các đồng chí Tỉnh ủy viên;"]  # fmt: skip
        first = "Như trên;"
    return [first, *rng.sample(pool, k=rng.randint(2, 4)), f"Lưu: VT, {unit}."]


def _header(spec: DocumentSpec, body: Body) -> None:
    """Issuing body on the left; national motto or Party name on the right."""
    size = HEADER_SIZE
    if body.parent:
        spec.header_left.append(Para(body.parent, size=size, align="center"))
    spec.header_left += [Para(line, bold=True, size=size, align="center") for line in body.lines]
    if body.party:
        spec.header_left.append(Para("*", bold=True, size=size, align="center"))
        spec.header_right.append(Para(PARTY_NAME, bold=True, size=size + 0.5, align="center"))
        spec.header_right.append(Para("", rule=60))
    else:
        spec.header_left.append(Para("", rule=25))
        spec.header_right.append(Para(MOTTO[0], bold=True, size=size, align="center"))
        spec.header_right.append(Para(MOTTO[1], bold=True, size=size + 0.5, align="center"))
        spec.header_right.append(Para("", rule=50))


def compose_vietnamese(
    rng: random.Random,
    doc_type: DocType,
    body: Body,
    variant: Variant,
    *,
    issue_date: date,
    number: int,
) -> DocumentSpec:
    """A state or Party document of ``doc_type`` issued by ``body``."""
    spec = DocumentSpec(language="vi")
    meta: dict[str, Any] = {"format": "party" if body.party else "state"}
    _header(spec, body)
    unit = rng.choice(body.units)
    parts = _symbol(doc_type, body, format_number(number, padded=variant.padded),
                    issue_date.year, unit)  # fmt: skip
    meta.update(parts)
    sep = {"colon": "Số: ", "no_colon": "Số ", "no_space": "Số:"}[variant.number_style]
    if body.party:
        sep = "Số " if variant.number_style != "no_space" else "Số:"
    if doc_type.body == "law":
        sep = f"Luật s{sep[1:]}"  # "Luật số: 45/2024/QH15", lower-case số
    spec.number_block.append(Para(f"{sep}{parts['number_symbol']}", size=HEADER_SIZE,
                                  align="center", wrap=False))  # fmt: skip
    topic = rng.choice(TOPICS)
    subject = _subject(rng, doc_type, topic, issue_date.year, body.party)
    if variant.khan_title:
        subject = f"VỀ VIỆC KHẨN TRƯƠNG TRIỂN KHAI CÁC BIỆN PHÁP {topic.upper()}"
    if not doc_type.titled:
        spec.number_block.append(Para(subject, size=HEADER_SIZE - 0.5, align="center"))
    for mark in (variant.urgency, variant.secrecy, variant.circulation):
        if mark:
            spec.number_block.append(Para(mark, bold=True, size=HEADER_SIZE + 1, align="center",
                                          boxed=True, space_before=2))  # fmt: skip
    comma = "" if variant.no_comma else ","
    when = vn_date(issue_date)
    if doc_type.body == "law":
        pass  # no place and date under the motto: the date closes the law
    elif variant.wrap_date:
        head, _, tail = when.rpartition(" năm ")
        spec.date_block += [
            Para(
                f"{body.place}{comma} {head}",
                italic=True,
                size=HEADER_SIZE,
                align="center",
                wrap=False,
            ),
            Para(f"năm {tail}", italic=True, size=HEADER_SIZE, align="center"),
        ]
    else:
        spec.date_block.append(Para(f"{body.place}{comma} {when}", italic=True, size=HEADER_SIZE,
                                    align="center"))  # fmt: skip
    if doc_type.body != "law":
        meta["issue_place"] = body.place
    meta["issue_date"] = issue_date.isoformat()
    meta["issuing_body"] = body.name
    if body.parent:
        meta["parent_body"] = body.parent
    meta["doc_type"] = doc_type.name
    meta["subject"] = subject
    if doc_type.titled:
        spec.title.append(Para(doc_type.title, bold=True, size=15, align="center", space_before=6))
        spec.title.append(Para(subject, bold=True, size=14, align="center"))
        spec.title.append(Para("", rule=40))
        meta["title"] = doc_type.title
    if doc_type.addressed:
        to = rng.sample(_addressee_pool(body), k=rng.randint(1, 3))
        if len(to) == 1:
            spec.addressees.append(Para(f"Kính gửi: {to[0]}.", size=BODY_SIZE, align="center",
                                        space_before=4))  # fmt: skip
            meta["recipients_to"] = [f"{to[0]}."]
        else:
            lines = [f"- {t};" for t in to[:-1]] + [f"- {to[-1]}."]
            spec.addressees.append(Para("Kính gửi:", size=BODY_SIZE, space_before=4, indent=25))
            spec.addressees += [Para(line, size=BODY_SIZE, indent=45) for line in lines]
            meta["recipients_to"] = [line[2:] for line in lines]
    if doc_type.body in ("normative", "law"):
        sentences = [_sentence(rng, topic, issue_date.year) for _ in range(variant.paragraphs)]
        paras, cited = normative_body(rng, doc_type, body, sentences, subject, issue_date)
    else:
        paras, cited = _body(rng, doc_type, body, topic, issue_date.year, variant.paragraphs)
    spec.body = paras
    if cited:
        meta["references"] = cited
    recipients = (
        [] if doc_type.body == "law"
        else normative_recipients(rng, unit) if doc_type.body == "normative"
        else _recipients(rng, body, doc_type, unit)
    )  # fmt: skip
    if recipients:
        spec.recipients.append(Para("Nơi nhận:", bold=True, italic=True, size=12, space_before=6))
        spec.recipients += [Para(f"- {line}", size=11) for line in recipients]
        meta["recipients"] = recipients
    name = person_name(rng)
    if doc_type.body in ("normative", "law"):
        lines, authority, title = normative_signature(rng, doc_type, body)
    else:
        lines, authority, title = signature_lines(rng, body)
    spec.signature += [Para(line, bold=True, size=13, align="center", space_before=6 if i == 0
                            else 0) for i, line in enumerate(lines)]  # fmt: skip
    spec.signature.append(Para(name, bold=True, size=13.5, align="center", space_before=24))
    meta.update(signer_name=name, signer_title=title)
    if authority:
        meta["signer_authority"] = authority
    for key in ("secrecy", "urgency", "circulation"):
        if getattr(variant, key):
            meta[key] = getattr(variant, key)
    spec.metadata = meta
    return spec


def _addressee_pool(body: Body) -> list[str]:
    if body.party:
        return ["Các đảng bộ trực thuộc Tỉnh ủy", "Các ban đảng, Văn phòng Tỉnh ủy",
                "Đảng ủy Ủy ban nhân dân tỉnh", "Ban Thường vụ Tỉnh ủy"]  # fmt: skip
    return ["Ủy ban nhân dân tỉnh", "Các sở, ban, ngành tỉnh", "Ủy ban nhân dân các xã, phường",
            "Bộ Nội vụ", "Văn phòng Chính phủ", "Thường trực Hội đồng nhân dân tỉnh",
            "Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh"]  # fmt: skip


def with_paragraphs(variant: Variant, paragraphs: int) -> Variant:
    """``variant`` with a different body length."""
    return replace(variant, paragraphs=paragraphs)
