"""The report as an HTML page and as a PDF: one template, one print stylesheet."""

import gc
import threading
from contextlib import contextmanager

from django.template.loader import render_to_string
from django.utils import translation

from agreements.status import Light, Status
from meetings.charts import SHORT_STATUS, Bar, bar_chart_svg, timeline_svg
from meetings.report import DEFAULT_HORIZON, FIRST_MEETING_LOOKBACK, Report

TEMPLATE = "meetings/taskforce.html"

# Each thread's WeasyPrint FontConfiguration (Pango is not thread-safe).
_pango = threading.local()


def status_chart(report: Report):
    bars = [Bar(c.label, c.count, c.light) for c in report.status_counts]
    bars.append(Bar("Heraf overskredet", report.overdue_count, Light.RED))
    return bar_chart_svg(bars)


def timeline_chart(report: Report):
    return timeline_svg(
        report.timeline,
        report.timeline_start,
        report.timeline_end,
        today=report.date,
        marker_label=f"Mødet {report.date:%d.%m.%Y}",
        highlight=(report.period.since, report.period.until),
        highlight_label="Perioden siden sidste møde",
    )


def render_html(report: Report, *, links: dict[str, str] | None = None, request=None) -> str:
    """The report page; `links` (page, PDF, admin) are shown on screen only. With the
    request, the inline stylesheet carries its Content-Security-Policy nonce."""
    with translation.override("da"):
        return render_to_string(
            TEMPLATE,
            {
                "report": report,
                "status_chart": status_chart(report),
                "timeline_chart": timeline_chart(report),
                "statuses": [SHORT_STATUS[s] for s in Status],
                "lookback_days": FIRST_MEETING_LOOKBACK.days,
                "horizon_days": DEFAULT_HORIZON.days,
                "links": links or {},
            },
            request=request,
        )


def render_pdf(report: Report) -> bytes:
    """The report as an A4 PDF, drawn by WeasyPrint from the same HTML, which may load only
    data: URLs and the site's own static files (meetings/pdf_resources.py)."""
    # Imported here: loading Pango takes a moment.
    from weasyprint import HTML

    from meetings.pdf_resources import OwnStaticFiles, base_url

    with cyclic_gc_paused():
        html = HTML(string=render_html(report), base_url=base_url(), url_fetcher=OwnStaticFiles())
        return html.write_pdf(font_config=font_config())


def font_config():
    """This thread's font configuration, kept for its next PDF: its Pango font map keeps the
    fonts it has matched and loaded. Shared safely because the stylesheet has no @font-face
    (each would add a font to it on every call)."""
    from weasyprint.text.fonts import FontConfiguration

    if not hasattr(_pango, "font_config"):
        _pango.font_config = FontConfiguration()
    return _pango.font_config


@contextmanager
def cyclic_gc_paused():
    """WeasyPrint makes millions of boxes, styles and Pango objects for a long report, which
    start Python's cycle collector hundreds of times, each time walking more of them: an
    eighth of the time of a PDF. Nearly all of them live until the PDF is written, so a pause
    costs no memory to speak of; the next collection after it frees what was garbage."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
