"""The reports pages: the chart, a year side by side, and every month's published report."""

from __future__ import annotations

from collections import defaultdict

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from apps.web.chart import monthly_svg, monthly_table
from apps.web.deps import CurrentUser, Language, State
from apps.web.labels import label
from apps.web.pages import render
from apps.web.service import REPORT_MONTH, ReportFile
from ingest.reports.labels import label as report_label
from kernel.errors import NotFound

router = APIRouter(include_in_schema=False)
MONTHS = tuple(f"{m:02d}" for m in range(1, 13))


@router.get("/reports", response_class=HTMLResponse)
def reports_page(request: Request, state: State, user: CurrentUser, lang: Language,
                 year: str = "") -> Response:
    """The chart, one year's twelve months side by side, and the published reports by month."""
    labels = {"title": label("monthly_chart", lang), "incoming": label("incoming", lang),
              "outgoing": label("outgoing", lang)}
    rows = monthly_table(state.service.monthly(user))
    years = sorted({m[:4] for m, _i, _o in rows}, reverse=True)
    shown = year if year in years else (years[0] if years else "")
    by_type = []
    for doc_type in state.service.type_values(user):
        months = {m: (i, o) for m, i, o in monthly_table(state.service.monthly(user, doc_type))}
        by_type.append((doc_type, months))
    published = state.service.reports(user)
    return render(request, state, lang, "reports.html", user, rows=rows,
                  chart=monthly_svg(rows, labels), by_type=by_type, years=years, year=shown,
                  months=MONTHS, totals={m: (i, o) for m, i, o in rows},
                  history=_by_month(published),
                  report_scope=report_label(f"scope_{user.max_secrecy}", lang))


@router.get("/reports/{month}", response_class=HTMLResponse)
def report_month_page(month: str, request: Request, state: State, user: CurrentUser,
                      lang: Language) -> Response:
    """One month's report inside the app: the HTML report framed, its files to download."""
    files = _by_month(state.service.reports(user)).get(month) if REPORT_MONTH.fullmatch(
        month) else None
    if not files:
        raise NotFound(f"no report for {month[:10]!r}")
    return render(request, state, lang, "report_month.html", user, month=month, files=files,
                  report_scope=report_label(f"scope_{user.max_secrecy}", lang))


def _by_month(reports: list[ReportFile]) -> dict[str, dict[str, ReportFile]]:
    """month -> suffix -> file, newest month first."""
    grouped: dict[str, dict[str, ReportFile]] = defaultdict(dict)
    for report in reports:
        grouped[report.month][report.suffix] = report
    return dict(sorted(grouped.items(), reverse=True))
