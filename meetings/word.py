"""The report as a Word document, for the secretariat to edit before it goes out.

The same report object and the same sections as the page and the PDF
(templates/meetings/taskforce.html), written with Word's own parts: the built-in heading
styles (so the navigation pane and a table of contents work), real tables whose header row
repeats on each page, the charts as pictures, page numbers in the footer, and Danish as the
document's language so that Word's spelling check reads it as Danish.
"""

import datetime
import io

from django.utils import timezone, translation
from django.utils.formats import date_format
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from agreements.status import Status
from meetings.charts import SHORT_STATUS
from meetings.render import status_chart, timeline_chart
from meetings.report import DEFAULT_HORIZON, FIRST_MEETING_LOOKBACK, Report, Row

LANGUAGE = "da-DK"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# A4 with 2 cm margins leaves 17 cm for the text and the pictures.
TEXT_WIDTH = Cm(17)
# The charts are drawn at this many pixels across: sharp when printed at 17 cm.
PICTURE_PIXELS = 2000
GREY = RGBColor(0x55, 0x55, 0x55)
TABLE_TEXT = Pt(8.5)
MORE = "Filtrér rapporten på aftale eller ansvarlig for at se dem alle."


def render_docx(report: Report) -> bytes:
    """The report as a .docx file."""
    with translation.override("da"):
        document = Document()
        _set_up(document, report)
        _header(document, report)
        _summary(document, report)
        _obligation_section(
            document,
            "2. Overskredne forpligtelser",
            "Åbne forpligtelser, hvis frist var overskredet på mødedagen. Ældste frist først.",
            report.overdue_capped,
            "Ingen overskredne forpligtelser.",
        )
        horizon = (
            "(dagen før næste møde)"
            if report.period.next
            else f"(intet næste møde fastlagt: {DEFAULT_HORIZON.days} dage frem)"
        )
        _obligation_section(
            document,
            "3. Forfalder før næste møde",
            "Åbne forpligtelser med frist fra mødedagen til og med "
            f"{_day(report.period.horizon)} {horizon}.",
            report.due_soon_capped,
            "Ingen forpligtelser forfalder før næste møde.",
        )
        _changes(document, report)
        _obligation_section(
            document,
            "5. Punkter til orientering",
            f"Forpligtelser, som {report.forum} skal orienteres om, med frist i perioden.",
            report.for_information_capped,
            "Ingen punkter til orientering i perioden.",
        )
        _by_agreement(document, report)
        _timeline(document, report)
        if report.status_round:
            _round(document, report)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def _day(day: datetime.date | None) -> str:
    return date_format(day, "j. F Y") if day else ""


def _set_up(document, report: Report) -> None:
    """A4 portrait, Danish, a quiet body font, page numbers in the footer."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))

    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    # Every style is based on the defaults; the language there makes the whole text Danish.
    defaults = styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in run_defaults.findall(qn("w:lang")):
        run_defaults.remove(old)
    lang = OxmlElement("w:lang")
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), LANGUAGE)
    run_defaults.append(lang)

    properties = document.core_properties
    properties.title = _title(report)
    properties.subject = f"Statusrapport til {report.forum}"
    properties.language = LANGUAGE
    properties.author = "Kræftplan-tracker"
    properties.created = report.built_at

    running = section.header.paragraphs[0]
    running.text = _title(report)
    running.style.font.size = Pt(8)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Side ")
    _field(footer, "PAGE")
    footer.add_run(" af ")
    _field(footer, "NUMPAGES")


def _title(report: Report) -> str:
    return f"Statusrapport til {report.forum} – {_day(report.date)}"


def _field(paragraph, code: str) -> None:
    """A field that Word fills in when it lays the page out (page number, page count)."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), code)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _meta(paragraph, text: str) -> None:
    run = paragraph.add_run(text)
    run.font.size = Pt(8.5)
    run.font.color.rgb = GREY


def _header(document, report: Report) -> None:
    kicker = document.add_paragraph()
    _meta(kicker, "STATUSRAPPORT")
    document.add_heading(report.forum.name, level=0)
    what = "Forhåndsvisning for" if report.is_preview else "Møde"
    title = f": {report.meeting.title}" if report.meeting and report.meeting.title else ""
    document.add_paragraph(f"{what} {_day(report.date)}{title}")

    period = report.period
    if period.is_first_meeting:
        since = f"(første møde: {FIRST_MEETING_LOOKBACK.days} dage tilbage)"
    else:
        since = f"(siden mødet {_day(period.previous.date)})"
    selection = []
    if report.agreement_filter:
        selection.append("Aftaler: " + ", ".join(map(str, report.agreement_filter)) + ".")
    if report.owner_filter:
        selection.append("Ansvarlige: " + ", ".join(map(str, report.owner_filter)) + ".")
    facts = [
        ("Periode", f"{_day(period.since)} – {_day(period.until)} {since}"),
        ("Næste møde", _day(period.next.date) if period.next else "Ikke fastlagt"),
        ("Udvalg", " ".join(selection) or "Alle aftaler og ansvarlige"),
        ("Dannet", date_format(timezone.localtime(report.built_at), r"j. F Y \k\l. H.i")),
    ]
    table = document.add_table(rows=0, cols=2)
    for name, value in facts:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = name, value
        cells[0].paragraphs[0].runs[0].bold = True
    _widths(table, [Cm(3.5), Cm(13.5)])
    if report.is_preview:
        document.add_paragraph(
            f"Der er ikke registreret et møde i {report.forum} denne dag. Rapporten viser, "
            f"hvordan den ville se ud, hvis mødet blev holdt {_day(report.date)}.",
            style="Intense Quote",
        )


def _summary(document, report: Report) -> None:
    document.add_heading("1. Sammenfatning", level=1)
    figures = [
        (report.total, "forpligtelser i alt"),
        (len(report.overdue), "overskredne"),
        (len(report.due_soon), "forfalder før næste møde"),
        (len(report.changes), "ændringer siden sidste møde"),
    ]
    if report.status_round:
        figures.append((f"{report.round_answered}/{report.round_asked}", "besvaret i statusrunden"))
    for number, words in figures:
        item = document.add_paragraph(style="List Bullet")
        item.add_run(str(number)).bold = True
        item.add_run(f" {words}")
    _picture(
        document,
        status_chart(report),
        "Forpligtelser pr. status ved mødet. Form og mønster viser status, også uden farver.",
    )
    if report.agreement_counts:
        header = [
            "Aftale",
            *(SHORT_STATUS[s] for s in Status),
            "Overskredet",
            "I alt",
        ]
        body = [
            [row.agreement, *map(str, row.counts), str(row.overdue), str(row.total)]
            for row in report.agreement_counts
        ]
        total = [
            "I alt",
            *(str(c.count) for c in report.status_counts),
            str(report.overdue_count),
            str(report.total),
        ]
        table = _table(document, header, [*body, total], size=Pt(7.5))
        for cell in table.rows[-1].cells:
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in table.rows:
            for cell in row.cells[1:]:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _widths(table, [Cm(3.7)] + [Cm(1.48)] * (len(header) - 1))
    else:
        document.add_paragraph("Ingen forpligtelser i udvalget.")
    document.add_heading("Om rapporten", level=3)
    document.add_paragraph(
        "Status er den seneste statusrapport dateret senest på mødedagen. Perioden går fra "
        f"forrige møde i {report.forum} til og med mødedagen; ved det første møde "
        f"{FIRST_MEETING_LOOKBACK.days} dage tilbage. Ændringer er hentet fra historikken med "
        "tidspunkt og bruger; »system« er ændringer uden bruger, fx indlæsning af aftalerne."
    )


def _obligation_section(document, heading: str, lead: str, capped, empty: str) -> None:
    document.add_heading(heading, level=1)
    document.add_paragraph(lead)
    if not capped.total:
        document.add_paragraph(empty)
        return
    _obligations(document, capped.shown, latest=True)
    if capped.more:
        document.add_paragraph(f"… og {capped.more} flere. {MORE}")


def _status_text(row: Row) -> str:
    if row.round_answer:
        return f"{row.status_label}\nStatusrunden: {row.round_answer}"
    return row.status_label


def _obligations(document, rows: list[Row], *, latest: bool) -> None:
    header = ["Frist", "Forpligtelse", "Ansvarlig", "Status"]
    widths = [Cm(3), Cm(7), Cm(3), Cm(4)]
    if latest:
        header.append("Seneste statusrapport")
        widths = [Cm(2.6), Cm(5), Cm(2.4), Cm(2.4), Cm(4.6)]
    body = []
    for row in rows:
        action = f"{row.action}\n{row.agreement}" if latest else row.action
        if latest and row.initiative:
            action += f" · {row.initiative}"
        cells = [f"{row.window}\n»{row.phrase}«", action, ", ".join(row.owners), _status_text(row)]
        if latest:
            if row.latest_at:
                when = timezone.localtime(row.latest_at).strftime("%d.%m.%Y")
                text = row.latest_text or "(ingen tekst)"
                cells.append(f"{when}: {text[:400]}")
            else:
                cells.append("Ingen statusrapport")
        body.append(cells)
    _widths(_table(document, header, body), widths)


def _changes(document, report: Report) -> None:
    document.add_heading("4. Ændringer siden sidste møde", level=1)
    document.add_paragraph(
        f"Registreret i trackeren fra {_day(report.period.since)} til og med "
        f"{_day(report.period.until)}: statusændringer, nye statusrapporter og flyttede frister."
    )
    if not report.changes:
        document.add_paragraph("Ingen ændringer siden sidste møde.")
        return
    if not report.detailed:
        document.add_paragraph(report.counted_changes_lead)
        body = [[line.agreement, *map(str, line.counts)] for line in report.change_counts]
        _table(document, ["Aftale", *report.change_kinds], body)
    capped = report.changes_capped
    if capped.shown:
        body = [
            [
                timezone.localtime(change.at).strftime("%d.%m.%Y %H.%M"),
                f"{change.subject}\n{change.agreement}",
                change.what,
                change.old or "–",
                (f"→ {change.new}" if change.old else change.new) or "–",
                change.who,
            ]
            for change in capped.shown
        ]
        header = ["Hvornår", "Forpligtelse", "Ændring", "Før", "Efter", "Af"]
        table = _table(document, header, body)
        _widths(table, [Cm(2.2), Cm(4.6), Cm(2.3), Cm(3.2), Cm(3.2), Cm(1.5)])
    if capped.more:
        document.add_paragraph(f"… og {capped.more} ændringer mere. {MORE}")


def _by_agreement(document, report: Report) -> None:
    document.add_heading("6. Status pr. aftale og initiativ", level=1)
    if not report.sections:
        document.add_paragraph("Ingen forpligtelser i udvalget.")
        return
    if not report.detailed:
        document.add_paragraph(
            f"Udvalget rummer {report.total} forpligtelser, så afsnittet viser antal pr. "
            "initiativ. Filtrér rapporten på aftale eller ansvarlig for at se forpligtelserne "
            "enkeltvis."
        )
    for section in report.sections:
        document.add_heading(f"{section.title} ({section.count} forpligtelser)", level=2)
        if report.detailed:
            for initiative in section.initiatives:
                document.add_heading(initiative.title, level=3)
                _obligations(document, initiative.rows, latest=False)
        else:
            body = [
                [i.title, " · ".join(f"{label}: {n}" for label, n in i.counts)]
                for i in section.initiatives
            ]
            table = _table(document, ["Initiativ", "Forpligtelser efter status"], body)
            _widths(table, [Cm(8.5), Cm(8.5)])


def _timeline(document, report: Report) -> None:
    document.add_heading("7. Tidslinje over milepæle", level=1)
    lead = (
        f"Frister fra {_day(report.timeline_start)} til {_day(report.timeline_end)}. "
        "Bjælken er tidsvinduet, figuren er fristen."
    )
    if report.timeline_left_out:
        lead += (
            f" Viser de {len(report.timeline)} frister nærmest mødet; "
            f"{report.timeline_left_out} flere står i listerne ovenfor."
        )
    document.add_paragraph(lead)
    if report.timeline:
        _picture(document, timeline_chart(report), "Tidslinje over milepæle omkring mødet.")
    else:
        document.add_paragraph("Ingen milepæle omkring mødet.")


def _round(document, report: Report) -> None:
    status_round = report.status_round
    document.add_heading("8. Ikke besvaret i statusrunden", level=1)
    state = (
        "er åben"
        if status_round.is_open
        else f"blev lukket {_day(timezone.localdate(status_round.closed_at))}"
    )
    document.add_paragraph(
        f"Statusrunden før mødet {state} med svarfrist {_day(status_round.answer_by)}. "
        f"{report.round_answered} af {report.round_asked} forpligtelser er besvaret (med ny "
        "status eller »uændret«). Ved hver forpligtelse står, om dens status er besvaret, "
        "uændret eller ikke besvaret i runden."
    )
    if not report.round_unanswered:
        document.add_paragraph("Alle forpligtelser i runden er besvaret.")
    for party, rows in report.round_unanswered:
        document.add_heading(f"{party} ({len(rows)} ikke besvaret)", level=2)
        for row in rows:
            item = document.add_paragraph(style="List Bullet")
            item.add_run(row.action)
            _meta(item, f" ({row.agreement}; frist {row.window})")


def _picture(document, svg, caption: str) -> None:
    """An SVG chart as a PNG picture (Word's own SVG support needs a PNG fallback anyway),
    with its words as the picture's alternative text and as a caption below it."""
    # Imported here: loading Cairo takes a moment, and only the Word report needs it.
    import cairosvg

    png = cairosvg.svg2png(bytestring=str(svg).encode(), output_width=PICTURE_PIXELS)
    shape = document.add_picture(io.BytesIO(png), width=TEXT_WIDTH)
    shape._inline.docPr.set("descr", caption)
    paragraph = document.add_paragraph(style="Caption")
    paragraph.add_run(caption)


def _table(document, header: list[str], body: list[list[str]], size=TABLE_TEXT):
    """A table with a bold header row that Word repeats at the top of each page."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        run = cell.paragraphs[0].runs[0]
        run.bold, run.font.size = True, size
        _shade(cell, "E8E8E8")
    _repeat_as_header(table.rows[0])
    for values in body:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            _cell_text(cell, text, size)
    return table


def _cell_text(cell, text: str, size) -> None:
    """The first line in the cell's text size, further lines as grey meta text."""
    first, *rest = text.split("\n")
    paragraph = cell.paragraphs[0]
    paragraph.add_run(first).font.size = size
    for line in rest:
        paragraph.add_run().add_break()
        _meta(paragraph, line)


def _repeat_as_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
    # A header row split over two pages would repeat half a header.
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    properties.append(cant_split)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _widths(table, widths) -> None:
    """Fixed column widths: in the table's grid (which LibreOffice reads) and in each cell
    (which Word reads)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
