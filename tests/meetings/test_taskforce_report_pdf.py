"""The Taskforce status report as a PDF: rendered by WeasyPrint and read back with pypdf."""

import datetime
import io
import re

from pypdf import PdfReader

from meetings.render import render_pdf
from meetings.report import build_report
from tests.factories import MeetingFactory

HEADINGS = [
    "1. Sammenfatning",
    "2. Overskredne forpligtelser",
    "3. Forfalder før næste møde",
    "4. Ændringer siden sidste møde",
    "5. Punkter til orientering",
    "6. Status pr. aftale og initiativ",
    "7. Tidslinje over milepæle",
]

# What each section says when it has nothing to list.
EMPTY_SECTIONS = [
    "Ingen overskredne forpligtelser.",
    "Ingen forpligtelser forfalder før næste møde.",
    "Ingen ændringer siden sidste møde.",
    "Ingen punkter til orientering i perioden.",
    "Ingen milepæle omkring mødet.",
]


def pdf_pages(report) -> list[str]:
    pdf = render_pdf(report)
    assert pdf.startswith(b"%PDF")
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(pages: list[str]) -> str:
    """The text with line breaks as spaces: table cells wrap lines anywhere."""
    return " ".join(" ".join(pages).split())


def row(*cells: str) -> re.Pattern:
    """Cells of one table row in order; pypdf may or may not put a space between cells."""
    return re.compile(r"\s*".join(re.escape(cell) for cell in cells))


def section(text: str, heading: str) -> str:
    """The text from a heading to the next one."""
    start = text.index(heading)
    following = HEADINGS[HEADINGS.index(heading) + 1 :]
    ends = [text.index(h, start) for h in following if h in text[start:]]
    return text[start : min(ends, default=len(text))]


def test_the_pdf_has_every_section_in_order(scenario):
    text = flat(pdf_pages(build_report(scenario.meeting)))
    positions = [text.find(heading) for heading in HEADINGS]
    assert -1 not in positions, [h for h, p in zip(HEADINGS, positions, strict=True) if p < 0]
    assert positions == sorted(positions)


def test_the_pdf_lists_a_known_overdue_obligation(scenario):
    text = flat(pdf_pages(build_report(scenario.meeting)))
    overdue = section(text, "2. Overskredne forpligtelser")
    assert "Hvidbog om patientansvarlig læge" in overdue
    assert "Danske Regioner" in overdue
    assert "Hvidbogen afventer høring i regionerne." in overdue
    assert "Forsinket – overskredet" in overdue
    # Oldest deadline first: KL's plan was due in February, the white paper in March.
    assert overdue.index("Kommunal plan for rehabilitering") < overdue.index("Hvidbog om")
    assert "Oplæg om hurtigere udredning" not in overdue


def test_the_pdf_shows_a_known_status_change_with_who_and_when(scenario):
    text = flat(pdf_pages(build_report(scenario.meeting)))
    changes = section(text, "4. Ændringer siden sidste møde")
    assert row(
        "10.04.2017 10.00",
        "Hvidbog om patientansvarlig læge",
        "Kræftplan IV",
        "Status ændret",
        "Igangsat (efter tidsplanen)",
        "→ Forsinket",
        "Rikke Region",
    ).search(changes)
    assert row(
        "15.05.2017 10.00",
        "Evaluering af pakkeforløbene",
        "Kræftplan IV",
        "Frist flyttet",
        "01.10.2017 – 31.12.2017",
        "→ 01.01.2018 – 31.03.2018",
        "Rikke Region",
    ).search(changes)
    # The first report, on 1 February, came before the previous meeting on 1 March.
    assert "01.02.2017" not in changes


def test_the_pdf_has_page_numbers_and_the_meeting_date_in_a_running_header(scenario):
    pages = pdf_pages(build_report(scenario.meeting))
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert f"Side {number} af {len(pages)}" in page
    assert "Møde 1. juni 2017: Sommermødet" in pages[1]


def test_an_empty_period_renders_a_clean_report_that_says_so(taskforce):
    meeting = MeetingFactory(forum=taskforce, date=datetime.date(2030, 5, 1))
    text = flat(pdf_pages(build_report(meeting)))
    for heading in HEADINGS:
        assert heading in text
    for message in EMPTY_SECTIONS:
        assert message in text


def test_a_period_with_no_changes_says_so_but_still_lists_what_is_overdue(scenario):
    # A meeting on 15 August counts from the June meeting; nothing was recorded since.
    text = flat(pdf_pages(build_report(datetime.date(2017, 8, 15))))
    assert "Ingen ændringer siden sidste møde." in text
    assert "Hvidbog om patientansvarlig læge" in section(text, "2. Overskredne forpligtelser")
