"""The Taskforce report as a Word document, read back with python-docx: the same sections
as the page, Word headings, tables with a repeating header row, the charts as pictures,
Danish, and the same download paths (page button, URL, command)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table

from meetings import report as report_module
from meetings.report import build_report
from meetings.word import CONTENT_TYPE, render_docx
from tests.factories import MeetingFactory, ObligationFactory, UserFactory
from tests.meeting_scenario import MEETING_DAY
from tests.meetings.test_taskforce_report_pdf import EMPTY_SECTIONS

SECTIONS = [
    "1. Sammenfatning",
    "2. Overskredne forpligtelser",
    "3. Forfalder før næste møde",
    "4. Ændringer siden sidste møde",
    "5. Punkter til orientering",
    "6. Status pr. aftale og initiativ",
    "7. Tidslinje over milepæle",
]


def read(content: bytes):
    assert content[:2] == b"PK", "a .docx is a zip file"
    return Document(io.BytesIO(content))


def headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def table_after(document, heading: str):
    """The first table that follows the heading, before the next section's heading."""
    seen = False
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            if seen:
                return block
        elif block.text == heading:
            seen = True
        elif seen and block.style.name == "Heading 1":
            return None
    return None


def rows_text(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_document_has_the_reports_sections_as_word_headings(scenario):
    document = read(render_docx(build_report(scenario.meeting)))
    assert headings(document, 1)[: len(SECTIONS)] == SECTIONS
    [title] = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert title == "Taskforce for Patientforløb på Kræft- og Hjerteområdet"
    assert "Møde 1. juni 2017: Sommermødet" in [p.text for p in document.paragraphs]
    # Section 6 has the agreements and their initiatives as the next levels down.
    assert any(h.startswith("Kræftplan IV (") for h in headings(document, 2))
    assert "Behandling i hjemmet" in " ".join(headings(document, 3))


def test_the_overdue_obligations_are_a_word_table_with_a_repeating_header(scenario):
    document = read(render_docx(build_report(scenario.meeting)))
    table = table_after(document, "2. Overskredne forpligtelser")
    assert table is not None
    header, *body = rows_text(table)
    assert header == ["Frist", "Forpligtelse", "Ansvarlig", "Status", "Seneste statusrapport"]
    header_row = table.rows[0]._tr
    assert header_row.trPr.find(qn("w:tblHeader")).get(qn("w:val")) == "true"
    actions = [cells[1] for cells in body]
    # Oldest deadline first, as on the page: KL's plan (February) before the white paper.
    assert actions[0].startswith("Kommunal plan for rehabilitering")
    [white_paper] = [cells for cells in body if cells[1].startswith("Hvidbog om")]
    assert white_paper[2] == "Danske Regioner"
    assert white_paper[3] == "Forsinket – overskredet"
    assert "Hvidbogen afventer høring i regionerne." in white_paper[4]
    assert "»primo 2017«" in white_paper[0]
    assert not [cells for cells in body if cells[1].startswith("Oplæg om hurtigere udredning")]


def test_the_changes_say_who_changed_what_and_when(scenario):
    document = read(render_docx(build_report(scenario.meeting)))
    header, *body = rows_text(table_after(document, "4. Ændringer siden sidste møde"))
    assert header == ["Hvornår", "Forpligtelse", "Ændring", "Før", "Efter", "Af"]
    assert [
        "10.04.2017 10.00",
        "Hvidbog om patientansvarlig læge\nKræftplan IV",
        "Status ændret",
        "Igangsat (efter tidsplanen)",
        "→ Forsinket",
        "Rikke Region",
    ] in body


def test_the_charts_are_pictures_with_alternative_text(scenario):
    document = read(render_docx(build_report(scenario.meeting)))
    pictures = document.inline_shapes
    assert len(pictures) == 2
    descriptions = [shape._inline.docPr.get("descr") for shape in pictures]
    assert descriptions[0].startswith("Forpligtelser pr. status")
    assert descriptions[1].startswith("Tidslinje")
    for shape in pictures:
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        image = document.part.related_parts[blip.embed].image
        assert image.content_type == "image/png"
        assert image.px_width >= 1000


def test_the_document_is_in_danish_with_page_numbers(scenario):
    document = read(render_docx(build_report(scenario.meeting)))
    defaults = document.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "da-DK"
    assert document.core_properties.language == "da-DK"
    assert document.core_properties.title == ("Statusrapport til Taskforcen – 1. juni 2017")
    footer = document.sections[0].footer.paragraphs[0]._p
    codes = [f.get(qn("w:instr")) for f in footer.iter(qn("w:fldSimple"))]
    assert codes == ["PAGE", "NUMPAGES"]
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def test_an_empty_report_says_so_in_each_section(taskforce):
    meeting = MeetingFactory(forum=taskforce, date=datetime.date(2030, 5, 1))
    document = read(render_docx(build_report(meeting)))
    text = [p.text for p in document.paragraphs]
    for message in EMPTY_SECTIONS:
        assert message in text
    assert len(document.inline_shapes) == 1  # the status chart; no timeline without milestones


def test_a_long_list_is_capped_and_says_how_many_more(agreement, regions, taskforce, monkeypatch):
    monkeypatch.setattr(report_module, "DETAIL_LIMIT", 5)
    monkeypatch.setattr(report_module, "LIST_LIMIT", 3)
    for _ in range(8):
        ObligationFactory(agreement=agreement, lead_owner=regions, phrase="primo 2017")
    document = read(render_docx(report_module.build_report(datetime.date(2017, 6, 1), taskforce)))
    _, *body = rows_text(table_after(document, "2. Overskredne forpligtelser"))
    assert len(body) == 3
    text = [p.text for p in document.paragraphs]
    assert any(t.startswith("… og 5 flere.") for t in text)
    assert any("viser antal pr. initiativ" in t for t in text)


@pytest.fixture
def staff_client(client, superuser):
    client.force_login(superuser)
    return client


def test_the_page_offers_the_word_download_beside_the_pdf(staff_client, scenario):
    page = staff_client.get(reverse("meetings:report", args=[scenario.meeting.pk]))
    html = page.content.decode()
    url = reverse("meetings:report-docx", args=[scenario.meeting.pk])
    assert f'href="{url}">Hent som Word</a>' in html
    assert html.index("Hent som PDF") < html.index("Hent som Word")
    response = staff_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"] == (
        'attachment; filename="statusrapport-taskforce-2017-06-01.docx"'
    )
    assert headings(read(response.content), 1)[0] == "1. Sammenfatning"


def test_the_preview_download_keeps_the_filters(staff_client, scenario):
    page = staff_client.get(
        reverse("meetings:preview"), {"dato": MEETING_DAY.isoformat(), "ansvarlig": "kl"}
    )
    html = page.content.decode()
    url = f"{reverse('meetings:preview-docx')}?dato=2017-06-01&amp;ansvarlig=kl"
    assert f'href="{url}"' in html
    response = staff_client.get(url.replace("&amp;", "&"))
    document = read(response.content)
    actions = " ".join(cells[1] for cells in rows_text(document.tables[-1])[1:])
    all_text = " ".join(c for t in document.tables for r in rows_text(t) for c in r)
    assert "Kommunal plan for rehabilitering" in all_text
    assert "Hvidbog om patientansvarlig læge" not in all_text
    assert actions  # section 6 lists KL's obligations


def test_the_word_download_needs_a_role(client, scenario):
    url = reverse("meetings:report-docx", args=[scenario.meeting.pk])
    assert client.get(url).status_code == 302
    client.force_login(UserFactory(username="udenfor", is_staff=False))
    assert client.get(url).status_code == 302
    assert client.get(reverse("meetings:preview-docx")).status_code == 302


def test_the_command_writes_the_report_as_word(scenario, tmp_path):
    output = tmp_path / "rapport.docx"
    err = io.StringIO()
    call_command("taskforce_report", "--meeting", "2017-06-01", "--output", str(output), stderr=err)
    assert err.getvalue().startswith(f"Wrote {output}: meeting, 6 obligations")
    assert headings(read(output.read_bytes()), 1)[: len(SECTIONS)] == SECTIONS
