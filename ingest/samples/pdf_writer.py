"""Write laid-out pages as a born-digital PDF with a real text layer (fpdf2)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

from ingest.samples.layout import PAGE_H, PAGE_W, PT_MM, PageLayout, font_path, text_width

FAMILY = "DejaVuSerif"
STAMP_RED = (200, 20, 20)


def write_text_pdf(
    pages: list[PageLayout], path: Path, *, title: str | None, created: datetime
) -> None:
    """Draw ``pages`` into ``path``; ``created`` fixes the PDF dates so output is reproducible."""
    pdf = FPDF(unit="mm", format=(PAGE_W, PAGE_H))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_creation_date(created.replace(tzinfo=UTC))
    pdf.set_creator("Docket sample generator")
    if title:
        pdf.set_title(title)
    for style in sorted({line.style for page in pages for line in page.lines}):
        pdf.add_font(FAMILY, style, str(font_path(style)))
    for page in pages:
        pdf.add_page()
        pdf.set_draw_color(0, 0, 0)
        pdf.set_line_width(0.3)
        for rule in page.rules:
            pdf.line(rule.x0, rule.y, rule.x1, rule.y)
        for seal in page.seals:
            # A seal on a signed PDF is ink, not text: two red rings, nothing to extract.
            pdf.set_draw_color(*STAMP_RED)
            pdf.set_line_width(0.8)
            for radius in (seal.radius, seal.radius * 0.62):
                pdf.ellipse(seal.x - radius, seal.y - radius, 2 * radius, 2 * radius)
            pdf.set_draw_color(0, 0, 0)
            pdf.set_line_width(0.3)
        for line in page.lines:
            pdf.set_font(FAMILY, line.style, line.size)
            if line.boxed:
                # Stamps are red and framed, as the clerk's rubber stamp prints them.
                width = text_width(line.text, line.style, line.size)
                height = line.size * PT_MM
                pdf.set_draw_color(*STAMP_RED)
                pdf.set_line_width(0.5)
                pdf.rect(line.x - 2, line.y - height - 0.8, width + 4, height + 2.6)
                pdf.set_text_color(*STAMP_RED)
                pdf.text(line.x, line.y, line.text)
                pdf.set_text_color(0, 0, 0)
                pdf.set_draw_color(0, 0, 0)
                pdf.set_line_width(0.3)
            else:
                pdf.text(line.x, line.y, line.text)
    pdf.output(str(path))
