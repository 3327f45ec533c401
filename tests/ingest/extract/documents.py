"""Small real documents built for the extraction tests (fpdf2, Pillow, python-docx).

Each builder writes a file the way an office produces it: a text PDF with an
embedded DejaVu font, a scan (a rendered page image) inside a PDF or a TIFF,
a DOCX with the Vietnamese two-column header table.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import docx
from fpdf import FPDF
from fpdf.enums import TextMode
from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = FONT_DIR / "DejaVuSans.ttf"
SERIF = FONT_DIR / "DejaVuSerif.ttf"

VIETNAMESE_LINES = (
    "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
    "QUYẾT ĐỊNH",
    "Về việc công nhận xã, phường miền núi",
    "Chủ tịch Ủy ban nhân dân tỉnh quyết định",
    "công nhận các xã trên địa bàn tỉnh.",
)
RUSSIAN_LINES = (
    "Министерство иностранных дел",
    "Уважаемые коллеги, сообщаем вам",
    "о проведении совещания по вопросам",
    "сотрудничества между нашими странами.",
)


def page_image(
    lines: Sequence[str], width: int = 1240, height: int = 820, font_size: int = 34
) -> Image.Image:
    """A clean grayscale scan (about 150 dpi) of ``lines`` of text."""
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(SERIF), font_size)
    y = 80
    for line in lines:
        draw.text((90, y), line, font=font, fill=0)
        y += int(font_size * 1.9)
    return image


def _pdf() -> FPDF:
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=12)
    pdf.set_auto_page_break(False)
    return pdf


def write_text_pdf(path: Path, pages: Sequence[Sequence[str]]) -> Path:
    """A PDF with a real text layer: one list of lines per page, top of page first."""
    pdf = _pdf()
    for lines in pages:
        pdf.add_page()
        for i, line in enumerate(lines):
            pdf.text(60, 80 + i * 20, line)
    pdf.output(str(path))
    return path


def write_image_pdf(
    path: Path, images: Sequence[Image.Image], hidden_text: Sequence[str | None] | None = None
) -> Path:
    """A scanned PDF: each image fills a page, with an optional invisible text layer."""
    pdf = _pdf()
    for index, image in enumerate(images):
        pdf.add_page()
        page_height = pdf.w * image.height / image.width
        pdf.image(image, x=0, y=0, w=pdf.w, h=page_height)
        text = hidden_text[index] if hidden_text else None
        if text:
            pdf.text_mode = TextMode.INVISIBLE
            pdf.text(40, 60, text)
            pdf.text_mode = TextMode.FILL
    pdf.output(str(path))
    return path


def write_docx(
    path: Path,
    header: tuple[str, str] | None = None,
    body: Sequence[str] = (),
    closing: tuple[str, str] | None = None,
    page_header: str | None = None,
    page_footer: str | None = None,
    data_table: Sequence[Sequence[str]] = (),
) -> Path:
    """A Word document laid out like a Vietnamese office's."""
    document = docx.Document()
    if header:
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = header
    for paragraph in body:
        document.add_paragraph(paragraph)
    if data_table:
        table = document.add_table(rows=len(data_table), cols=len(data_table[0]))
        for r, row in enumerate(data_table):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
        document.add_paragraph("Sau bảng.")
    if closing:
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = closing
    section = document.sections[0]
    if page_header:
        section.header.paragraphs[0].text = page_header
    if page_footer:
        section.footer.paragraphs[0].text = page_footer
    document.save(str(path))
    return path
