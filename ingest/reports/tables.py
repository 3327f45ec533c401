"""The monthly report as flat rows, and as CSV and XLSX files built from them."""

from __future__ import annotations

import csv
import io

from ingest.reports.labels import label
from ingest.reports.monthly import DIMENSIONS, Comparison, MonthlyReport
from ingest.reports.tracking_section import FIGURES
from kernel.model import DIRECTIONS


def header(report: MonthlyReport, language: str) -> list[str]:
    """Column titles: section, direction, value, then the four compared figures."""
    month = report.month
    return [
        label("col_section", language),
        label("col_direction", language),
        label("col_value", language),
        label("current", language, month=month),
        label("previous", language, month=month.shifted(-1)),
        label("last_year", language, month=month.shifted(-12)),
        label("year_to_date", language),
        label("change", language),
    ]


def _figures(counts: Comparison) -> list[int]:
    return [counts.current, counts.previous, counts.last_year, counts.year_to_date, counts.change]


def flat_rows(report: MonthlyReport, language: str) -> list[list[str | int]]:
    """Every figure of the report as one row each: totals first, then each breakdown."""
    rows: list[list[str | int]] = []
    for direction in DIRECTIONS:
        rows.append([label("totals", language), label(direction, language),
                     label("all", language), *_figures(report.totals[direction])])
    for dimension in DIMENSIONS:
        for direction in DIRECTIONS:
            for row in report.breakdown(dimension, direction):
                rows.append([label(dimension, language), label(direction, language),
                             row.value or label("not_stated", language), *_figures(row.counts)])
    return rows


def scope(report: MonthlyReport, language: str) -> str:
    """The sentence that says which clearance level the report is for."""
    return label(f"scope_{report.max_secrecy}", language)


def render_csv(report: MonthlyReport, language: str) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read the diacritics.

    The title and the scope (which clearance the file is for) come first, one
    cell each, then the table.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([label("title", language, month=report.month)])
    writer.writerow([scope(report, language)])
    writer.writerow(header(report, language))
    writer.writerows(flat_rows(report, language))
    writer.writerow([])
    writer.writerow([label("tracking", language)])
    writer.writerows(tracking_rows(report, language))
    return out.getvalue().encode("utf-8-sig")


def tracking_rows(report: MonthlyReport, language: str) -> list[list[str | int]]:
    """The tracking section: a heading row, then one row per lead unit."""
    rows: list[list[str | int]] = [
        [label("col_unit", language), *(label(name, language) for name in FIGURES)]]
    for line in report.tracking:
        rows.append([report.unit_names.get(line.unit, line.unit), *line.figures()])
    return rows


def render_xlsx(report: MonthlyReport, language: str) -> bytes:
    """A workbook: a totals sheet, then one sheet per breakdown."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    columns = header(report, language)
    bold = Font(bold=True)
    sheets = [("totals", None), *((d, d) for d in DIMENSIONS)]
    first = True
    for title_key, dimension in sheets:
        sheet = workbook.active if first else workbook.create_sheet()
        first = False
        assert sheet is not None
        # Sheet names: at most 31 characters and none of []:*?/\ (Excel's rules).
        sheet.title = label(title_key, language)[:31]
        sheet.append([label("title", language, month=report.month)])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([scope(report, language)])
        sheet.append(columns[1:])
        for cell in sheet[3]:
            cell.font = bold
        for direction in DIRECTIONS:
            if dimension is None:
                sheet.append([label(direction, language), label("all", language),
                              *_figures(report.totals[direction])])
                continue
            for row in report.breakdown(dimension, direction):
                sheet.append([label(direction, language),
                              row.value or label("not_stated", language), *_figures(row.counts)])
        sheet.column_dimensions["A"].width = 20
        sheet.column_dimensions["B"].width = 48
        for letter in "CDEFG":
            sheet.column_dimensions[letter].width = 18
        sheet.freeze_panes = "A4"
    tracking = workbook.create_sheet(label("tracking", language)[:31])
    tracking.append([label("tracking", language)])
    for line in tracking_rows(report, language):
        tracking.append(line)
    tracking.column_dimensions["A"].width = 30
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
